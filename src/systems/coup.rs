//! A general's march on the capital (Kornilov's, August 1917): the march is an outside shock
//! (the `coup` action); whether it takes the capital is decided here, by force, from what the
//! soldiers, the railwaymen and the capital's soviet parties do [001:229-233][000:269].

use bevy_ecs::prelude::{Res, ResMut};

use crate::model::ids::{Regime, Region, Role};
use crate::model::params::Params;
use crate::model::tally::socialists;
use crate::model::{Clock, Coup, EventLog, Group, Regions, State, Tally};
use crate::systems::events::change_regime;
use crate::validate::Unit;

/// The forces a march on `target` meets, in agents.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MarchForces {
    /// The general's troops who reach the capital willing to fight.
    pub attackers: f64,
    /// The capital's soldiers, sailors and workers who come out for the soviets.
    pub defenders: f64,
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
    let taken = forces.attackers > params.civil_war.control_ratio * forces.defenders;
    let people = clock.people_per_agent;
    let count = |agents: f64| crate::validate::format(Unit::People, Some(agents * people));
    let balance = format!(
        "{} troops willing to fight reach {} against {} soldiers and workers who come out for the soviets",
        count(forces.attackers),
        target.name(),
        count(forces.defenders)
    );
    if taken {
        state.coup = Coup::Taken;
        change_regime(&mut state, &mut regions, Regime::Tsar);
        log.record(
            &clock,
            "coup_takes_capital",
            "emergent",
            &format!("{balance}: the general takes the capital"),
            "001:229",
        );
    } else {
        state.coup = Coup::Collapsed(state.regime);
        log.record(
            &clock,
            "coup_collapses",
            "emergent",
            &format!("{balance}: the troops refuse to fight and the coup collapses"),
            "000:269;001:233",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ids::Party;
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
