//! The civil war: White and Red recruitment, Red desertion, combat and the control of
//! regions [002:85-97][004:99][001:155][000:209].

use bevy_ecs::prelude::{Res, ResMut};

use crate::model::ids::{Class, Party, Regime, Region, RegionField, Role, Side};
use crate::model::params::{flag, Params};
use crate::model::run_state::Switches;
use crate::model::EventLog;
use crate::model::{
    Allegiance, Clock, Communities, Outlook, Person, Persons, Regions, State, Status, Tally,
    Temperament, Tolls,
};
use crate::parallel::{count_rows, Workers};
use crate::rng::{Draws, RunRng, Stream};
use crate::systems::revolt::grievance;
use crate::systems::DIVISOR_FLOOR;

/// Who the Whites recruit among those who find Sovnarkom illegitimate: the propertied who
/// back no party of the soviets or of a nation (a party of order, the SRs of the Constituent
/// Assembly, or none), for the feudalists fought for their social existence, "they would
/// either accept expropriation, or, they would have to fight" [002:85-87]; the Cossacks who
/// prefer a party of order or the SRs [001:155]; where the Whites concede the land
/// (`civil_war.whites_grant_land`), the landholding peasants who do.
fn white_recruit(params: &Params, person: &Person, allegiance: &Allegiance) -> bool {
    let courted = flag(params.civil_war.whites_grant_land)
        && matches!(person.class, Class::PeasantMiddle | Class::PeasantKulak);
    let order = matches!(
        allegiance.private,
        Party::Kadets | Party::Monarchists | Party::Srs
    );
    if person.class.is_propertied() {
        order || allegiance.private == Party::None
    } else {
        order && (person.class == Class::Cossack || courted)
    }
}

/// Whether a civilian under Soviet control joins the Red Army this week: convinced
/// Bolshevik workers volunteer; with conscription, workers and peasants are called up
/// [002:97][004:99].
fn joins_red_army(
    params: &Params,
    switches: &Switches,
    person: &Person,
    allegiance: &Allegiance,
    draws: &mut Draws,
) -> bool {
    let c = &params.civil_war;
    let volunteers =
        switches.red_army && person.class.is_worker() && allegiance.private == Party::Bolsheviks;
    let called_up = switches.civil_war_active
        && switches.conscription
        && (person.class.is_worker() || person.class.is_peasant());
    (volunteers && draws.chance(c.red_volunteer_rate))
        || (called_up && draws.chance(c.conscription_rate))
}

/// The outbreak of the civil war: under Sovnarkom, once a foreign army is in arms against
/// it on Russian soil (the Czechoslovak Legion's revolt of May 1918, the Allied landings, a
/// foreign invasion), the war is on: the White armies form behind it and conscription can
/// follow. "The civil war began with the revolt, in May 1918, of the Czechoslovakian Legion"
/// [001:153-155]; "the feudalists were immediately assisted by military forces" [002:87-89].
/// No date switches it on: a scenario without the Legion and the landings has no civil war
/// until some foreign army comes.
pub fn break_out(
    mut switches: ResMut<Switches>,
    clock: Res<Clock>,
    state: Res<State>,
    mut log: ResMut<EventLog>,
) {
    let invaded = state.foreign_army.iter().any(|&men| men > 0.0);
    if switches.civil_war_active || state.regime != Regime::Sovnarkom || !invaded {
        return;
    }
    switches.civil_war_active = true;
    log.record(
        &clock,
        "civil_war_begins",
        "emergent",
        "A foreign army rises against Sovnarkom; the White armies form behind it",
        "001:153-155;002:87-89",
    );
}

/// Weekly recruitment and desertion. Reds: convinced Bolshevik workers volunteer; with
/// conscription, workers and peasants under Soviet control are called up; Red soldiers
/// desert with grievance, more in the harvest season (`civil_war.harvest_season_weeks` either
/// side of `grain.harvest_week`) [002:97][004:99] (season: model assumption). Whites: the
/// propertied and Cossacks who reject Sovnarkom, anywhere while the White armies form
/// (`civil_war.white_formation_weeks`), then only in the regions the Whites hold
/// [002:85-87][001:155]. Once the civil war is over, what is left of the White armies is
/// beaten or evacuated at once (model assumption; the evacuations are general history) and
/// the Red Army demobilises (`civil_war.demobilisation_rate` a week).
pub fn recruit_armies(
    params: Res<Params>,
    switches: Res<Switches>,
    clock: Res<Clock>,
    rng: Res<RunRng>,
    state: Res<State>,
    regions: Res<Regions>,
    communities: Res<Communities>,
    workers: Option<Res<Workers>>,
    mut tolls: ResMut<Tolls>,
    mut persons: ResMut<Persons>,
) {
    tolls.red_desertion = 0.0;
    if state.regime != Regime::Sovnarkom {
        return;
    }
    let c = &params.civil_war;
    let at_war = switches.civil_war_active;
    let harvest_season = clock
        .week_of_year()
        .abs_diff(params.grain.harvest_week as u32)
        <= c.harvest_season_weeks as u32;
    // Volunteers gather wherever they are while the White armies form; after that, only where
    // the Whites hold the land.
    let forming = state.civil_war_weeks < c.white_formation_weeks as u32;
    // One person's week; whether a Red soldier deserted.
    let recruit = |person: &mut Person,
                   status: &mut Status,
                   allegiance: &Allegiance,
                   outlook: &Outlook,
                   temperament: &Temperament| {
        let mut draws = rng.draws(Stream::CivilWar, person.id, clock.step);
        if !at_war {
            // A White remnant left in the field would retake the regions the Red Army leaves
            // when a foreign war draws it away (as the Polish war of 1920 did).
            let discharged = match status.role {
                Role::WhiteArmy => true,
                Role::RedArmy => draws.chance(c.demobilisation_rate),
                _ => false,
            };
            if discharged {
                communities.discharge(person, status);
            } else if status.role == Role::Civilian
                && joins_red_army(&params, &switches, person, allegiance, &mut draws)
            {
                status.role = Role::RedArmy;
            }
            return false;
        }
        let legitimacy = f64::from(outlook.legitimacy);
        let held = regions.get(person.region).control;
        match status.role {
            Role::Civilian | Role::Soldier => {
                if (forming || held == Side::White)
                    && white_recruit(&params, person, allegiance)
                    && legitimacy < c.white_legitimacy
                    && draws.chance(c.white_recruit_rate)
                {
                    status.role = Role::WhiteArmy;
                } else if held == Side::Soviet
                    && joins_red_army(&params, &switches, person, allegiance, &mut draws)
                {
                    status.role = Role::RedArmy;
                }
                false
            }
            Role::RedArmy | Role::WhiteArmy => {
                let season = if harvest_season {
                    c.harvest_desertion
                } else {
                    1.0
                };
                let chance = (c.desertion_base
                    + c.desertion_grievance * grievance(&params, outlook, temperament))
                    * season;
                if !draws.chance(chance) {
                    return false;
                }
                let red = status.role == Role::RedArmy;
                communities.discharge(person, status);
                red
            }
            _ => false,
        }
    };
    let deserters = count_rows(
        &mut persons,
        workers.as_deref(),
        |(person, status, allegiance, outlook, temperament)| {
            recruit(person, status, allegiance, outlook, temperament)
        },
    );
    tolls.red_desertion = f64::from(deserters);
}

/// The share of the Red Army in the field armies: `civil_war.field_share`, and more the more
/// of the people the Whites hold (`civil_war.mobilisation` per share), as the rear is
/// stripped when the revolution is in danger; once the Whites hold no region, the people of
/// the regions a foreign army invades count as theirs did: the Polish war of 1920 was fought
/// with the army that had beaten the Whites (model assumption).
fn red_field_share(params: &Params, state: &State, tally: &Tally, regions: &Regions) -> f64 {
    let c = &params.civil_war;
    let alive = tally.alive();
    let whites_hold = regions.list.iter().any(|r| r.control == Side::White);
    let in_danger: f64 = Region::ALL
        .iter()
        .filter(|&&r| {
            regions.get(r).control == Side::White
                || (!whites_hold && state.foreign_army[r.index()] > 0.0)
        })
        .map(|r| tally.regions[r.index()].alive)
        .sum();
    (c.field_share + c.mobilisation * in_danger / alive).min(1.0)
}

/// The forces facing each other in each region: Red, White (counted with foreign aid),
/// foreign armies of intervention, the armies of regions that have seceded
/// ([`crate::systems::nations::muster`]) and, once the Whites hold no region and no foreign
/// army is left, the Green insurgents in the regions they hold: the civil war was fought against "'Green' and
/// 'Black' (anarchist) peasant guerrillas" too, and concluded in 1921 by crushing all
/// resistance [000:209] (the order of the fronts: model assumption). The Reds spread their field armies
/// ([`red_field_share`] of the whole; the rest hold the rear) over the regions in proportion
/// to the enemies there, losing some of their strength to distance from the centre (model
/// assumption).
pub fn front_forces(
    params: &Params,
    state: &State,
    tally: &Tally,
    regions: &Regions,
) -> [Front; Region::COUNT] {
    let c = &params.civil_war;
    let aid = 1.0 + c.foreign_aid;
    let national = |r: usize| {
        let region = &regions.list[r];
        if region.control == Side::Independent {
            region.national_army
        } else {
            0.0
        }
    };
    // The Whites first: the Reds march on a seceded nation only once the Whites hold no
    // region.
    let whites_hold = regions.list.iter().any(|r| r.control == Side::White);
    let invaded = state.foreign_army.iter().any(|&men| men > 0.0);
    let green = |r: usize| {
        if !whites_hold && !invaded && regions.list[r].control == Side::Green {
            tally.regions[r].insurgents
        } else {
            0.0
        }
    };
    let enemy = |r: usize| {
        let nation = if whites_hold { 0.0 } else { national(r) };
        tally.regions[r].white_army * aid + state.foreign_army[r] + nation + green(r)
    };
    let enemies: f64 = (0..Region::COUNT).map(enemy).sum();
    let reds: f64 = red_field_share(params, state, tally, regions)
        * tally.regions.iter().map(|r| r.red_army).sum::<f64>();
    std::array::from_fn(|r| {
        let reach = 1.0 - c.red_reach_decay * params.region(Region::ALL[r], RegionField::Distance);
        let red = if enemies > 0.0 {
            reds * reach * enemy(r) / enemies
        } else {
            0.0
        };
        Front {
            red,
            white: tally.regions[r].white_army * aid,
            foreign: state.foreign_army[r],
            national: national(r),
            green: green(r),
        }
    })
}

/// The forces at one region's front, in agents.
#[derive(Debug, Clone, Copy, Default)]
pub struct Front {
    pub red: f64,
    pub white: f64,
    pub foreign: f64,
    pub national: f64,
    /// Green insurgents in a region they hold, once the Whites hold none and the foreign
    /// armies are gone.
    pub green: f64,
}

impl Front {
    /// The Red field army's strength against `enemy`, one of this front's enemies: the Reds
    /// facing several split their blows in proportion.
    fn red_on(&self, enemy: f64) -> f64 {
        let enemies = self.white + self.foreign + self.national + self.green;
        self.red * enemy / enemies.max(DIVISOR_FLOOR)
    }
}

/// Combat and control. Where a side outnumbers the other by `civil_war.control_ratio` it
/// takes the region; both sides lose men in proportion to the enemy they face, up to
/// `civil_war.rout_rate` a week for a force that breaks; a region the Whites hold with no
/// soldiers left in it falls back to the Soviets. Green insurgents take and lose Soviet
/// regions by [`contest_green`], during the civil war and after it. Foreign armies fight the Reds the same way but take
/// no region [000:209][001:149][001:155]. The Reds take back a region that has seceded where
/// they outnumber its national army by the same ratio; a national army's losses are made
/// good from its supporters, and the Whites do not march on it. Ratios and losses: model
/// assumption.
pub fn fight_fronts(
    params: Res<Params>,
    switches: Res<Switches>,
    clock: Res<Clock>,
    rng: Res<RunRng>,
    tally: Res<Tally>,
    mut state: ResMut<State>,
    mut regions: ResMut<Regions>,
    mut tolls: ResMut<Tolls>,
    mut log: ResMut<EventLog>,
    mut persons: ResMut<Persons>,
    workers: Option<Res<Workers>>,
) {
    let c = &params.civil_war;
    if !switches.civil_war_active && state.civil_war_weeks == 0 {
        // Before the civil war the soviets hold their regions without an army.
        return;
    }
    let forces = front_forces(&params, &state, &tally, &regions);
    if !switches.civil_war_active {
        // The war on the Greens outlasts the war on the Whites [000:209].
        contest_greens(&tally, &forces, &mut regions, c.control_ratio);
        return;
    }
    state.civil_war_weeks += 1;
    let loss = |enemy: f64, own: f64| {
        (c.combat_death_rate * enemy / own.max(DIVISOR_FLOOR)).min(c.rout_rate)
    };
    let mut white_loss = [0.0; Region::COUNT];
    let (mut red_front, mut enemy_front) = (0.0, 0.0);
    for &region in Region::ALL {
        let front = forces[region.index()];
        let Front {
            red,
            white,
            foreign,
            national,
            ..
        } = front;
        red_front += red;
        // A nation is fought only where the Reds have marched on it.
        let national = if red > 0.0 { national } else { 0.0 };
        enemy_front += white + foreign + national;
        let held = &mut regions.get_mut(region).control;
        if white > 0.0 {
            white_loss[region.index()] = loss(front.red_on(white), white);
        }
        if foreign > 0.0 {
            state.foreign_army[region.index()] -= foreign * loss(front.red_on(foreign), foreign);
        }
        // A region under foreign occupation is not contested until the occupier leaves; one
        // the Whites hold with no soldiers left in it falls back to the Soviets.
        if *held == Side::Independent {
            if red > c.control_ratio * national {
                *held = Side::Soviet;
                log.record(
                    &clock,
                    "reconquest",
                    "emergent",
                    &format!(
                        "The Red Army takes back {}, which had seceded",
                        region.name()
                    ),
                    "000:753",
                );
            }
        } else if white > 0.0 && *held != Side::German {
            if white > c.control_ratio * red {
                *held = Side::White;
            } else if red > c.control_ratio * white {
                *held = Side::Soviet;
            }
        } else if *held == Side::White {
            *held = Side::Soviet;
        }
    }
    contest_greens(&tally, &forces, &mut regions, c.control_ratio);
    let reds: f64 = tally.regions.iter().map(|r| r.red_army).sum();
    // The Reds at the fronts bear the losses; spread over the whole Red Army.
    let red_loss = if reds > 0.0 {
        loss(enemy_front, red_front) * red_front / reds
    } else {
        0.0
    };
    let deaths = count_rows(&mut persons, workers.as_deref(), |(person, status, ..)| {
        let chance = match status.role {
            Role::RedArmy => red_loss,
            Role::WhiteArmy => white_loss[person.region.index()],
            _ => return false,
        };
        let killed = chance > 0.0
            && rng
                .draws(Stream::Combat, person.id, clock.step)
                .chance(chance);
        if killed {
            status.role = Role::Dead;
        }
        killed
    });
    tolls.war += f64::from(deaths);
}

/// The Greens' hold on a region: insurgents take a Soviet region where they outnumber the
/// Red soldiers there (`reds`: its garrison, and the field army sent against them) by
/// `ratio` (`civil_war.control_ratio`), and lose it where the Reds outnumber them by as much,
/// or where none of them is left in arms.
/// The regime fought the "'Green' and 'Black' (anarchist) peasant guerrillas" in the civil
/// war and crushed all resistance in 1921 [000:209]; the ratio, and that the Greens are
/// fought for control without the losses of pitched battles: model assumption.
fn contest_green(held: &mut Side, insurgents: f64, reds: f64, ratio: f64) {
    if *held == Side::Soviet && insurgents > ratio * reds {
        *held = Side::Green;
    } else if *held == Side::Green && (insurgents <= 0.0 || reds > ratio * insurgents) {
        *held = Side::Soviet;
    }
}

/// [`contest_green`] in every region, the Reds there being its garrison and the share of the
/// field army sent against the Greens ([`Front::red_on`]); each region is contested on its
/// own, after any other fighting in the week.
fn contest_greens(
    tally: &Tally,
    forces: &[Front; Region::COUNT],
    regions: &mut Regions,
    ratio: f64,
) {
    for &region in Region::ALL {
        let counts = &tally.regions[region.index()];
        let front = &forces[region.index()];
        let against_greens = counts.red_army + front.red_on(front.green);
        contest_green(
            &mut regions.get_mut(region).control,
            counts.insurgents,
            against_greens,
            ratio,
        );
    }
}

/// The end of the civil war and the intervention. A foreign power makes peace once its armies
/// are down to `civil_war.foreign_peace_share` of the strength they invaded with. Once the
/// White armies have formed, when no foreign army is left, the Whites hold no region and are
/// down to `civil_war.remnant_share` of the population, what is left of them is beaten or
/// evacuated; the war and conscription end and both armies demobilise
/// [000:209][001:143][001:155]; the thresholds: model assumption.
pub fn end_civil_war(
    params: Res<Params>,
    mut switches: ResMut<Switches>,
    clock: Res<Clock>,
    mut state: ResMut<State>,
    tally: Res<Tally>,
    regions: Res<Regions>,
    mut log: ResMut<EventLog>,
) {
    let c = &params.civil_war;
    if !switches.civil_war_active || state.civil_war_weeks < c.white_formation_weeks as u32 {
        return;
    }
    let foreign: f64 = state.foreign_army.iter().sum();
    if foreign > 0.0 {
        if foreign > c.foreign_peace_share * state.foreign_invaded {
            return;
        }
        state.foreign_army = [0.0; Region::COUNT];
        state.foreign_invaded = 0.0;
        log.record(
            &clock,
            "foreign_peace",
            "emergent",
            "The foreign armies, worn down, make peace and leave",
            "001:143;001:155",
        );
    }
    let holding = regions.list.iter().any(|r| r.control == Side::White);
    if holding || tally.whites_per_head() > c.remnant_share {
        return;
    }
    switches.civil_war_active = false;
    switches.conscription = false;
    log.record(
        &clock,
        "civil_war_ends",
        "emergent",
        "The White armies hold no region and are down to remnants, which are beaten or evacuated",
        "000:209",
    );
}

/// The vacuum an occupier leaves: each region it held goes to the side with the most men
/// under arms there: the Red Army, the White armies, the Green insurgents, or the national
/// army its nationalists can raise ([`crate::model::RegionState::national_army`], set by
/// [`crate::systems::nations::muster`]); where no one has any, to the Greens, the peasant
/// armies of the occupied lands (model assumptions: the texts do not tell the withdrawal).
/// Nations secede in such vacuums: the oppressed nationalities "demanded autonomy and in some
/// cases outright independence" [000:251]. Returns the regions that seceded.
pub fn fill_vacuum(tally: &Tally, regions: &mut Regions) -> Vec<Region> {
    let mut seceded = Vec::new();
    for (index, region) in regions.list.iter_mut().enumerate() {
        if region.control != Side::German {
            continue;
        }
        let counts = &tally.regions[index];
        let forces = [
            (Side::Green, counts.insurgents),
            (Side::White, counts.white_army),
            (Side::Soviet, counts.red_army),
            (Side::Independent, region.national_army),
        ];
        region.control = forces
            .iter()
            .fold((Side::Green, 0.0), |best, &(side, men)| {
                if men > best.1 {
                    (side, men)
                } else {
                    best
                }
            })
            .0;
        if region.control == Side::Independent {
            seceded.push(Region::ALL[index]);
        }
    }
    seceded
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::systems::economy::initial_regions;

    /// An occupied region with 10 insurgents and 5 Red soldiers in it, and the national army
    /// given.
    fn occupied(national_army: f64) -> (Tally, Regions) {
        let mut regions = initial_regions(&Params::default(), 1000.0);
        let ukraine = regions.get_mut(Region::Ukraine);
        ukraine.control = Side::German;
        ukraine.national_army = national_army;
        let mut tally = Tally::new(0);
        tally.regions[Region::Ukraine.index()].insurgents = 10.0;
        tally.regions[Region::Ukraine.index()].red_army = 5.0;
        (tally, regions)
    }

    #[test]
    fn the_largest_force_fills_the_vacuum_a_national_army_among_them() {
        let (tally, mut regions) = occupied(20.0);
        assert_eq!(fill_vacuum(&tally, &mut regions), vec![Region::Ukraine]);
        assert_eq!(regions.get(Region::Ukraine).control, Side::Independent);
        // Without a national army the Greens, the most numerous, take it.
        let (tally, mut regions) = occupied(0.0);
        assert!(fill_vacuum(&tally, &mut regions).is_empty());
        assert_eq!(regions.get(Region::Ukraine).control, Side::Green);
        // Regions nobody occupied keep their holder.
        assert_eq!(regions.get(Region::Moscow).control, Side::Tsar);
    }

    #[test]
    fn the_greens_take_and_lose_a_region_by_the_force_ratio() {
        let ratio = 1.5;
        let contest = |held: Side, insurgents: f64, reds: f64| {
            let mut held = held;
            contest_green(&mut held, insurgents, reds, ratio);
            held
        };
        assert_eq!(contest(Side::Soviet, 16.0, 10.0), Side::Green);
        assert_eq!(contest(Side::Soviet, 14.0, 10.0), Side::Soviet);
        assert_eq!(contest(Side::Green, 10.0, 16.0), Side::Soviet);
        assert_eq!(contest(Side::Green, 10.0, 14.0), Side::Green);
        // Where no insurgent is left in arms the region falls back, Red soldiers or not.
        assert_eq!(contest(Side::Green, 0.0, 0.0), Side::Soviet);
        // Only the Soviets lose regions to the Greens.
        assert_eq!(contest(Side::White, 16.0, 0.0), Side::White);
    }

    /// Who holds the Volga after one week of [`fight_fronts`] with the civil war against the
    /// Whites over (after `weeks_fought` weeks of it), the Volga held by the Greens with
    /// `insurgents` in arms, 100 Red soldiers in Moscow and the other regions Soviet.
    fn after_the_war(weeks_fought: u32, insurgents: f64) -> Side {
        use bevy_ecs::system::RunSystemOnce;
        let mut world = crate::systems::test_world(200, "1921-06-02");
        let mut regions = world.resource::<Regions>().clone();
        for region in &mut regions.list {
            region.control = Side::Soviet;
        }
        regions.get_mut(Region::Volga).control = Side::Green;
        world.insert_resource(regions);
        world.resource_mut::<Switches>().civil_war_active = false;
        let mut tally = Tally::new(0);
        tally.regions[Region::Volga.index()].insurgents = insurgents;
        tally.regions[Region::Moscow.index()].red_army = 100.0;
        tally.regions[Region::Moscow.index()].alive = 1000.0;
        world.insert_resource(tally);
        world.resource_mut::<State>().civil_war_weeks = weeks_fought;
        world
            .run_system_once(fight_fronts)
            .expect("fight_fronts runs");
        world.resource::<Regions>().get(Region::Volga).control
    }

    #[test]
    fn after_the_civil_war_the_red_army_takes_back_the_greens_regions() {
        // 10 insurgents against the field army (30 % of 100, less for the distance).
        assert_eq!(after_the_war(100, 10.0), Side::Soviet);
        // Too many to take on.
        assert_eq!(after_the_war(100, 1000.0), Side::Green);
        // Before any civil war, the regions are not fought over at all.
        assert_eq!(after_the_war(0, 10.0), Side::Green);
    }

    #[test]
    fn the_field_army_turns_on_the_greens_once_the_whites_and_the_invaders_are_gone() {
        let params = Params::default();
        let mut regions = initial_regions(&params, 1000.0);
        regions.get_mut(Region::Volga).control = Side::Green;
        let mut tally = Tally::new(0);
        tally.regions[Region::Volga.index()].insurgents = 10.0;
        tally.regions[Region::Moscow.index()].red_army = 100.0;
        tally.regions[Region::Moscow.index()].alive = 1000.0;
        let mut state = State::tsarist();
        let sent = |state: &State, regions: &Regions| {
            front_forces(&params, state, &tally, regions)[Region::Volga.index()]
        };
        let front = sent(&state, &regions);
        assert_eq!(front.green, 10.0);
        assert!(
            front.red > 0.0,
            "the field army goes to the Greens: {front:?}"
        );
        // While a foreign army is in the country, or the Whites hold a region, it does not.
        state.foreign_army[Region::Ukraine.index()] = 5.0;
        assert_eq!(sent(&state, &regions).red, 0.0);
        state.foreign_army = [0.0; Region::COUNT];
        regions.get_mut(Region::Siberia).control = Side::White;
        assert_eq!(sent(&state, &regions).green, 0.0);
    }
}
