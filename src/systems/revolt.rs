//! Open revolt (Epstein 2002), its repression, and the fall of a regime whose coercive force
//! defects [DESIGN 3][000:229][001:139-159].

use bevy_ecs::prelude::{Query, Res, ResMut};

use crate::model::ids::{LegalStatus, Party, Regime, Region, Role};
use crate::model::params::Params;
use crate::model::EventLog;
use crate::model::{
    Clock, Communities, Outlook, Person, Regions, State, Status, Tally, Temperament, Tolls,
};
use crate::rng::{RunRng, Stream};
use crate::systems::events::change_regime;

/// A share as a percentage, for the event log's words: a unit, not a parameter.
const PERCENT: f64 = 100.0;

/// Police per head of the regime in power.
fn police(params: &Params, state: &State) -> f64 {
    match state.regime {
        Regime::Tsar => params.revolt.police_tsar,
        Regime::Provisional => params.revolt.police_provisional,
        Regime::Sovnarkom => state.cheka,
    }
}

/// The Cheka grows quickly toward what the threat calls for (`revolt.police_sovnarkom`
/// raised by rebels and White soldiers per head) and shrinks only slowly when the threat
/// recedes: its capacity outlives the threat [003:103-105][000:761][000:789].
pub fn build_cheka(params: Res<Params>, tally: Res<Tally>, mut state: ResMut<State>) {
    if state.regime != Regime::Sovnarkom {
        return;
    }
    let r = &params.repression;
    let alive = tally.alive();
    let threat = tally
        .regions
        .iter()
        .map(|t| t.active + t.white_army)
        .sum::<f64>()
        / alive;
    let target = params.revolt.police_sovnarkom * (1.0 + r.threat_response * threat);
    let rate = if target > state.cheka {
        r.cheka_growth
    } else {
        r.cheka_decay
    };
    state.cheka += rate * (target - state.cheka);
}

/// Coercive force per head in each region, from the last tally: the police and the armed
/// who are not themselves in revolt, spread over the region's people.
pub fn coercion(params: &Params, state: &State, tally: &Tally) -> [f64; Region::COUNT] {
    std::array::from_fn(|r| {
        let region = &tally.regions[r];
        let old_army = region.loyal_armed - region.red_army;
        police(params, state)
            + (params.revolt.armed_weight * old_army
                + params.revolt.red_army_weight * region.red_army)
                / region.alive.max(1.0)
    })
}

/// The arrest probability a rebel expects in each community: the coercive force per head of
/// its region against the rebels per head among its own people (the village district, the
/// factory, the regiment, the ship) at the last tally, counting oneself too, as Epstein
/// counts the rebels within an agent's vision.
pub fn arrest_by_community(
    k: f64,
    coercion: &[f64; Region::COUNT],
    tally: &Tally,
    communities: &Communities,
) -> Vec<f64> {
    communities
        .list
        .iter()
        .zip(&tally.community_active)
        .map(|(community, &active)| {
            let seen = (f64::from(active) + 1.0) / f64::from(community.members.max(1));
            arrest_probability(k, coercion[community.region.index()], seen)
        })
        .collect()
}

/// Epstein's estimated arrest probability P = 1 - exp(-k C/A).
pub fn arrest_probability(k: f64, coercion: f64, activity: f64) -> f64 {
    1.0 - (-k * coercion / activity).exp()
}

/// Grievance G = H(1 - L), with H the hardship of the person's class and place as they
/// feel it (at most 1), plus a term for a sudden fall in legitimacy (a sudden drop ignites,
/// a slow one does not).
pub fn grievance(params: &Params, outlook: &Outlook, temperament: &Temperament) -> f64 {
    let felt = f64::from(outlook.hardship) * f64::from(temperament.hardship_sensitivity);
    felt.min(1.0) * (1.0 - f64::from(outlook.legitimacy))
        + params.revolt.drop_weight * f64::from(outlook.legitimacy_drop)
}

/// The Epstein rule: a person is active when G - R*P > T, with P from the region's coercive
/// force and the rebels among the person's own community last week, so a district that has
/// risen emboldens its people while a quiet one beside it stays quiet. Active peasants under
/// Sovnarkom take up arms as insurgents [001:149][003:111-117]; insurgents who calm down go
/// home.
pub fn activate(
    params: Res<Params>,
    state: Res<State>,
    tally: Res<Tally>,
    communities: Res<Communities>,
    mut regions: ResMut<Regions>,
    mut persons: Query<(&Person, &mut Status, &Outlook, &Temperament)>,
) {
    let coercion = coercion(&params, &state, &tally);
    for (region, &coercion) in regions.list.iter_mut().zip(&coercion) {
        region.coercion = coercion;
        region.active_now = 0.0;
    }
    let arrest = arrest_by_community(
        params.revolt.arrest_constant,
        &coercion,
        &tally,
        &communities,
    );
    for (person, mut status, outlook, temperament) in &mut persons {
        if !matches!(
            status.role,
            Role::Civilian | Role::Soldier | Role::Sailor | Role::Insurgent
        ) {
            status.active = false;
            continue;
        }
        let p = arrest[person.community as usize];
        let net =
            grievance(&params, outlook, temperament) - f64::from(temperament.risk_aversion) * p;
        status.active = net > params.revolt.threshold;
        if status.active {
            regions.get_mut(person.region).active_now += 1.0;
        }
        let rebels_in_arms = state.regime == Regime::Sovnarkom && person.class.works_land();
        if status.active && rebels_in_arms && status.role == Role::Civilian {
            status.role = Role::Insurgent;
        } else if !status.active && status.role == Role::Insurgent {
            status.role = Role::Civilian;
        }
    }
}

/// Arrests: the coercive force of a region arrests up to `repression.arrest_rate` rebels per
/// member a week, so each active person's chance is that capacity over this week's rebels;
/// some of the arrested are shot; the jailed come out after their term [000:229][000:761].
pub fn repress(
    params: Res<Params>,
    clock: Res<Clock>,
    rng: Res<RunRng>,
    regions: Res<Regions>,
    tally: Res<Tally>,
    mut tolls: ResMut<Tolls>,
    mut persons: Query<(&Person, &mut Status)>,
) {
    let r = &params.repression;
    for (person, mut status) in &mut persons {
        if status.role == Role::Jailed {
            status.jail_weeks = status.jail_weeks.saturating_sub(1);
            if status.jail_weeks == 0 {
                status.role = match status.before_jail {
                    Role::Insurgent => Role::Civilian,
                    role => role,
                };
            }
            continue;
        }
        if !status.active {
            continue;
        }
        let region = regions.get(person.region);
        let capacity = r.arrest_rate * region.coercion * tally.regions[person.region.index()].alive;
        let chance = (capacity / region.active_now.max(1.0)).min(1.0);
        let mut draws = rng.draws(Stream::Repression, person.id, clock.step);
        if draws.chance(chance) {
            status.active = false;
            if draws.chance(r.lethality) {
                status.role = Role::Dead;
                tolls.repression += 1.0;
            } else {
                status.before_jail = status.role;
                status.role = Role::Jailed;
                status.jail_weeks = r.jail_weeks as u16;
            }
        }
    }
}

/// The Tsar falls when enough of the capital's garrison is in revolt: the coercive force has
/// defected. The Provisional Government takes over in dual power with the soviets, the
/// socialist parties become legal [000:229-235][000:259][001:139-159].
pub fn regime_collapse(
    params: Res<Params>,
    clock: Res<Clock>,
    tally: Res<Tally>,
    mut state: ResMut<State>,
    mut regions: ResMut<Regions>,
    mut log: ResMut<EventLog>,
) {
    if state.regime != Regime::Tsar {
        return;
    }
    let capital = &tally.regions[Region::Petrograd.index()];
    let defected = capital.soldiers_active / capital.soldiers.max(1.0);
    if defected < params.revolt.defection_threshold {
        return;
    }
    change_regime(&mut state, &mut regions, Regime::Provisional);
    state.soviets = true;
    state.status = [LegalStatus::Legal; Party::COUNT];
    state.status[Party::Monarchists.index()] = LegalStatus::Harassed;
    state.in_government = [false; Party::COUNT];
    state.in_government[Party::Kadets.index()] = true;
    log.record(
        &clock,
        "february_revolution",
        "emergent",
        &format!(
            "{:.0}% of the Petrograd garrison in revolt: the Tsar's regime falls; Provisional Government and soviets in dual power",
            PERCENT * defected
        ),
        "000:229-235;001:139-159",
    );
}

#[cfg(test)]
mod tests {
    use bevy_ecs::prelude::World;
    use bevy_ecs::system::RunSystemOnce;

    use super::*;
    use crate::model::ids::Class;
    use crate::systems::economy::initial_regions;

    /// The role of someone jailed as `before` after their last week inside.
    fn released(before: Role) -> Role {
        let params = Params::default();
        let mut world = World::new();
        world.insert_resource(initial_regions(&params, 1000.0));
        world.insert_resource(params);
        world.insert_resource(Clock {
            step: 10,
            date: crate::date::Date::from_ymd(1917, 6, 1).expect("a valid date"),
            people_per_agent: 1000.0,
        });
        world.insert_resource(RunRng::new(1));
        world.insert_resource(Tally::new(0));
        world.insert_resource(Tolls::default());
        let person = Person {
            id: 0,
            class: Class::PeasantMiddle,
            home: Region::CentralIndustrial,
            region: Region::Petrograd,
            community: 0,
            industrial: false,
            minority: false,
            village_tie: 0.6,
        };
        let status = Status {
            role: Role::Jailed,
            jail_weeks: 1,
            before_jail: before,
            active: false,
        };
        let entity = world.spawn((person, status)).id();
        world.run_system_once(repress).expect("repress runs");
        world.get::<Status>(entity).expect("still there").role
    }

    #[test]
    fn a_district_that_has_risen_expects_fewer_arrests_than_a_quiet_one_beside_it() {
        use crate::model::ids::CommunityKind;
        use crate::model::Community;
        let district = |members| {
            let mut community = Community::new(CommunityKind::Village, Region::Volga, None);
            community.members = members;
            community
        };
        let communities = Communities {
            list: vec![district(200), district(200), district(200)],
            home_villages: Vec::new(),
        };
        let mut tally = Tally::new(3);
        tally.community_active = vec![0, 50, 199];
        let mut coercion = [0.0; Region::COUNT];
        coercion[Region::Volga.index()] = 0.01;
        let arrest = arrest_by_community(2.3, &coercion, &tally, &communities);
        // The first rebel of a quiet district of 200 faces 0.01 x 200 = 2 of coercion alone.
        assert!((arrest[0] - (1.0 - (-2.3f64 * 2.0).exp())).abs() < 1e-12);
        assert!(arrest[0] > arrest[1] && arrest[1] > arrest[2]);
        assert!(arrest[2] < 0.03, "a district all in revolt: {}", arrest[2]);
    }

    #[test]
    fn prisoners_go_back_to_what_they_were_doing_and_insurgents_go_home() {
        assert_eq!(released(Role::Sailor), Role::Sailor);
        assert_eq!(released(Role::Soldier), Role::Soldier);
        assert_eq!(released(Role::Insurgent), Role::Civilian);
    }
}
