//! Armed attempts on a capital. A general's march (Kornilov's, August 1917): the march is an
//! outside shock (the `coup` action); whether it takes the capital is decided here, by force,
//! from what the soldiers, the railwaymen and the capital's soviet parties do
//! [001:229-233][000:269]. A party's rising against the government (the Left SRs', July
//! 1918): the rising is the party's decision (the `rising` action); whether it takes the
//! capital is decided here, by force, from whom the party and the government can call out
//! under arms there [004:127-132].

use bevy_ecs::prelude::{Res, ResMut};

use crate::model::ids::{Party, Regime, Region, Role};
use crate::model::params::Params;
use crate::model::tally::socialists;
use crate::model::{Clock, Coup, EventLog, Group, Regions, Rising, State, Tally};
use crate::systems::events::change_regime;
use crate::systems::revolt::police;
use crate::validate::Unit;

/// The forces of an armed attempt on a capital (a general's march, a party's rising), in
/// agents.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MarchForces {
    /// Who attack and are willing to fight: the general's troops who reach the capital, or
    /// the party's armed supporters.
    pub attackers: f64,
    /// Who come out against them.
    pub defenders: f64,
}

impl MarchForces {
    /// Whether the attackers take the capital: they outnumber the defenders by
    /// `civil_war.control_ratio`, the force any side needs to take a region.
    fn taken(&self, params: &Params) -> bool {
        self.attackers > params.civil_war.control_ratio * self.defenders
    }

    /// Both forces in people, as an event's description gives them.
    fn in_people(&self, clock: &Clock) -> (String, String) {
        let count = |agents: f64| {
            crate::validate::format(Unit::People, Some(agents * clock.people_per_agent))
        };
        (count(self.attackers), count(self.defenders))
    }
}

/// The balance of force of a march on `target`'s capital, from the last tally:
/// - **attackers**: `coup.detachment` of the soldiers and sailors, less those who privately
///   back a soviet party, who refuse to fight once agitators tell them what the march is for
///   [000:269][001:233]; of those, the share that gets through the railwaymen, who stop the
///   trains as the country's industrial workers openly back the soviet parties [001:233];
/// - **defenders**: the capital region's soldiers, sailors and industrial workers whose public
///   stance is for a soviet party, whom the soviet parties call out [000:269][001:231].
///
/// Parameters: `coup.detachment`.
pub fn march_forces(params: &Params, tally: &Tally, target: Region) -> MarchForces {
    let in_uniform = [Role::Soldier, Role::Sailor].map(|role| tally.group(Group::Role(role)));
    let loyal_to_command: f64 = in_uniform
        .iter()
        .map(|stats| stats.persons - socialists(&stats.private))
        .sum();
    let (workers, workers_socialist) = tally.regions.iter().fold((0.0, 0.0), |(all, soc), r| {
        (all + r.industrial_workers, soc + r.workers_socialist)
    });
    let trains_through = 1.0 - workers_socialist / workers.max(1.0);
    let capital = &tally.regions[target.index()];
    MarchForces {
        attackers: params.coup.detachment * loyal_to_command * trains_through,
        defenders: capital.soldiers_socialist + capital.workers_socialist,
    }
}

/// Decides a march under way this week: it takes the capital where its troops outnumber the
/// defenders by `civil_war.control_ratio` (the force any side needs to take a region), and
/// the general then rules (the old order restored: `Regime::Tsar`); otherwise it collapses,
/// and the regime it marched under carries the stain ([`Coup::Collapsed`], which
/// `allegiance::regime_positions` reads). Logs the outcome as an emergent event.
///
/// Parameters: `coup.detachment`, `civil_war.control_ratio`.
pub fn decide(
    params: Res<Params>,
    tally: Res<Tally>,
    clock: Res<Clock>,
    mut state: ResMut<State>,
    mut regions: ResMut<Regions>,
    mut log: ResMut<EventLog>,
) {
    let Coup::Marching(target) = state.coup else {
        return;
    };
    let forces = march_forces(&params, &tally, target);
    let (attackers, defenders) = forces.in_people(&clock);
    let balance = format!(
        "{attackers} troops willing to fight reach {} against {defenders} soldiers and workers who come out for the soviets",
        target.name(),
    );
    let (id, verdict, sources) = if forces.taken(&params) {
        state.coup = Coup::Taken;
        change_regime(&mut state, &mut regions, Regime::Tsar);
        (
            "coup_takes_capital",
            "the general takes the capital",
            "001:229",
        )
    } else {
        state.coup = Coup::Collapsed(state.regime);
        (
            "coup_collapses",
            "the troops refuse to fight and the coup collapses",
            "000:269;001:233",
        )
    };
    log.record(
        &clock,
        id,
        "emergent",
        &format!("{balance}: {verdict}"),
        sources,
    );
}

/// The balance of force of `party`'s rising in `region`'s capital, from the last tally:
/// - **attackers**: the region's soldiers, sailors and Red Army men whose public stance is
///   the party's, whom it can call out [004:127-132];
/// - **defenders**: those whose public stance is for a party in government, and the regime's
///   police (the Cheka under Sovnarkom), per head of the region's people.
pub fn rising_forces(
    params: &Params,
    state: &State,
    tally: &Tally,
    party: Party,
    region: Region,
) -> MarchForces {
    let counts = &tally.regions[region.index()];
    let for_government: f64 = Party::ALL
        .iter()
        .filter(|p| state.in_government[p.index()])
        .map(|p| counts.armed_public[p.index()])
        .sum();
    MarchForces {
        attackers: counts.armed_public[party.index()],
        defenders: for_government + police(params, state) * counts.alive,
    }
}

/// Decides a rising under way this week: it takes the capital where the party's armed
/// supporters outnumber the government's by `civil_war.control_ratio` (the force any side
/// needs to take a region), and fails otherwise ([`Rising::Taken`], [`Rising::Failed`], read
/// by the metrics `rising.taken` and `rising.failed`, on which a scenario hangs what follows).
/// Logs the outcome as an emergent event. The texts tell the Left SRs' rising only as a
/// provocation the Bolsheviks put down [004:127-132]; that a rising, like a march, needs the
/// control ratio: model assumption.
///
/// Parameters: `civil_war.control_ratio`.
pub fn decide_rising(
    params: Res<Params>,
    tally: Res<Tally>,
    clock: Res<Clock>,
    mut state: ResMut<State>,
    mut log: ResMut<EventLog>,
) {
    let Rising::Under(party, region) = state.rising else {
        return;
    };
    let forces = rising_forces(&params, &state, &tally, party, region);
    let (attackers, defenders) = forces.in_people(&clock);
    let balance = format!(
        "{attackers} armed men who openly back the rising party rise in {} against {defenders} soldiers and police who stand by the government",
        region.name(),
    );
    let (id, verdict) = if forces.taken(&params) {
        state.rising = Rising::Taken(party);
        ("rising_takes_capital", "the rising takes the capital")
    } else {
        state.rising = Rising::Failed(party);
        ("rising_fails", "the rising fails")
    };
    log.record(
        &clock,
        id,
        "emergent",
        &format!("{balance}: {verdict}"),
        "004:127-132",
    );
}

#[cfg(test)]
mod tests {
    use bevy_ecs::system::RunSystemOnce;
    use bevy_ecs::world::World;

    use super::*;
    use crate::date::Date;
    use crate::model::tally::GroupStats;

    /// A country of 1,000 soldiers (`socialist` of them privately for a soviet party), 100
    /// industrial workers (`workers_socialist` of them openly for one) and a capital whose
    /// defenders are `defenders` soldiers.
    fn tally(socialist: f64, workers_socialist: f64, defenders: f64) -> Tally {
        let mut tally = Tally::new(0);
        let mut soldiers = GroupStats {
            persons: 1000.0,
            ..GroupStats::default()
        };
        soldiers.private[Party::Srs.index()] = socialist;
        soldiers.private[Party::None.index()] = 1000.0 - socialist;
        tally.groups[Group::Role(Role::Soldier).index()] = soldiers;
        let capital = &mut tally.regions[Region::Petrograd.index()];
        capital.industrial_workers = 100.0;
        capital.workers_socialist = workers_socialist;
        capital.soldiers_socialist = defenders;
        tally
    }

    /// A rising takes the capital only against fewer than 1 / `control_ratio` as many
    /// armed men for the government's parties and police; the party's other supporters,
    /// unarmed, do not count.
    #[test]
    fn a_rising_needs_more_armed_men_than_the_government_can_call_out() {
        let params = Params::default();
        let mut state = State::tsarist();
        state.regime = Regime::Sovnarkom;
        state.cheka = 0.001;
        state.in_government = [false; Party::COUNT];
        state.in_government[Party::Bolsheviks.index()] = true;
        let mut tally = Tally::new(0);
        let moscow = &mut tally.regions[Region::Moscow.index()];
        moscow.alive = 10_000.0;
        moscow.armed_public[Party::LeftSrs.index()] = 20.0;
        moscow.armed_public[Party::Bolsheviks.index()] = 40.0;
        let forces = rising_forces(&params, &state, &tally, Party::LeftSrs, Region::Moscow);
        assert_eq!(forces.attackers, 20.0);
        assert_eq!(forces.defenders, 50.0);
        let mut world = World::new();
        world.insert_resource(params);
        world.insert_resource(tally);
        world.insert_resource(Clock {
            step: 0,
            date: Date::parse("1918-07-06").unwrap(),
            people_per_agent: 1.0,
        });
        world.insert_resource(EventLog::default());
        let decide = |world: &mut World, state: State| {
            world.insert_resource(state);
            world.run_system_once(decide_rising).unwrap();
            world.resource::<State>().rising
        };
        state.rising = Rising::Under(Party::LeftSrs, Region::Moscow);
        assert_eq!(
            decide(&mut world, state.clone()),
            Rising::Failed(Party::LeftSrs)
        );
        world.resource_mut::<Tally>().regions[Region::Moscow.index()].armed_public
            [Party::LeftSrs.index()] = 80.0;
        assert_eq!(decide(&mut world, state), Rising::Taken(Party::LeftSrs));
    }

    #[test]
    fn soldiers_who_back_the_soviets_and_railwaymen_who_stop_the_trains_thin_the_march() {
        let mut params = Params::default();
        assert!(params.set("coup.detachment", 0.5));
        let forces = march_forces(&params, &tally(0.0, 0.0, 10.0), Region::Petrograd);
        assert_eq!(forces.attackers, 500.0);
        assert_eq!(forces.defenders, 10.0);
        // Half the soldiers for the soviets: half the march refuses.
        let forces = march_forces(&params, &tally(500.0, 0.0, 10.0), Region::Petrograd);
        assert_eq!(forces.attackers, 250.0);
        // Half the workers openly for the soviets: half the trains stop, and those workers
        // defend the capital.
        let forces = march_forces(&params, &tally(500.0, 50.0, 10.0), Region::Petrograd);
        assert_eq!(forces.attackers, 125.0);
        assert_eq!(forces.defenders, 60.0);
    }
}
