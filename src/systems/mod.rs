//! The verbs of the model: one file per mechanism family. Each rule is a named function with
//! its sources; [`add_to_schedule`] gives them their one explicit order, and [`add_recorder`]
//! puts the recorder after them in a schedule of its own.

pub mod allegiance;
pub mod census;
pub mod civil_war;
pub mod coup;
pub mod economy;
pub mod events;
pub mod measure;
pub mod nations;
pub mod population;
pub mod revolt;
pub mod soviets;
pub mod war;

use bevy_ecs::prelude::{IntoScheduleConfigs, Schedule, SystemSet};

/// Floor under a divisor that may be zero (no people, no enemies, no need): a guard against
/// dividing by zero, not a parameter; far below any count or share the model divides by.
pub const DIVISOR_FLOOR: f64 = 1e-9;

/// People per million: parameters give populations and armies in millions. A unit, not a
/// parameter.
pub const MILLION: f64 = 1e6;

/// A share as a percentage, for the event log's words: a unit, not a parameter.
pub const PERCENT: f64 = 100.0;

/// People per thousand: parameters give the sailors in thousands. A unit, not a parameter.
pub const THOUSAND: f64 = 1e3;

/// Maps a share (0 to 1) onto the scale of stands (-1 against, 1 for): a change of scale,
/// not a parameter.
pub fn stand_from_share(share: f64) -> f64 {
    2.0 * share - 1.0
}

/// Maps a stand (-1 to 1) back onto a share (0 to 1): the inverse of [`stand_from_share`].
pub fn share_from_stand(stand: f64) -> f64 {
    (1.0 + stand) / 2.0
}

/// The phases of a week, run in this order; [`add_to_schedule`] puts every rule in one, and
/// [`add_recorder`] the recorder in the last.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Scenario events fire on last week's measurements.
    Events,
    /// Railways, grain, industry, hunger and flight, food detachments.
    Economy,
    /// The world war and the civil war.
    War,
    /// Hardship and legitimacy, party choice and public stance.
    Outlook,
    /// The Cheka, Epstein activation, arrests.
    Revolt,
    /// The weekly tally and party membership.
    Census,
    /// A general's march decided, the fall of the Tsar, soviet elections.
    Politics,
    /// The recorder measures the week.
    Measure,
}

/// One week, in order: events fire on last week's measurements; the world, the economy and
/// the war move; people update their outlook, party and stance; revolt and repression; the
/// census counts the result; soviets and parties follow it; then the recorder measures
/// ([`add_recorder`]). The phases run in the order of [`Phase`], the rules within a phase in
/// the order given here.
pub fn add_to_schedule(schedule: &mut Schedule) {
    schedule.configure_sets(
        (
            Phase::Events,
            Phase::Economy,
            Phase::War,
            Phase::Outlook,
            Phase::Revolt,
            Phase::Census,
            Phase::Politics,
        )
            .chain(),
    );
    schedule.add_systems(events::fire_events.in_set(Phase::Events));
    schedule.add_systems(
        (
            economy::run_railways,
            economy::grain_cycle,
            economy::run_industry,
            economy::hunger_and_flight,
            economy::dispatch_food_detachments,
        )
            .chain()
            .in_set(Phase::Economy),
    );
    schedule.add_systems(
        (
            war::wage_war,
            civil_war::break_out,
            civil_war::recruit_armies,
            civil_war::fight_fronts,
            nations::muster,
            civil_war::end_civil_war,
        )
            .chain()
            .in_set(Phase::War),
    );
    schedule.add_systems(
        (
            allegiance::wear_down_governing_parties,
            allegiance::update_outlook_and_choose,
        )
            .chain()
            .in_set(Phase::Outlook),
    );
    schedule.add_systems(
        (revolt::build_cheka, revolt::activate, revolt::repress)
            .chain()
            .in_set(Phase::Revolt),
    );
    schedule.add_systems(
        (
            census::take_census,
            census::count_members,
            revolt::seize_estates,
            revolt::tolerate_seizures,
        )
            .chain()
            .in_set(Phase::Census),
    );
    schedule.add_systems(
        (
            coup::decide,
            coup::decide_rising,
            revolt::regime_collapse,
            soviets::elect_soviets,
        )
            .chain()
            .in_set(Phase::Politics),
    );
}

/// The recorder, which measures each week once its rules have run: a schedule of its own, run
/// after the week's, so that a run can tell what recording costs ([`crate::sim::RunResult`]).
pub fn add_recorder(schedule: &mut Schedule) {
    schedule.add_systems(measure::measure.in_set(Phase::Measure));
}

/// A world for one rule's unit test: default parameters, the start regions at 1,000 people
/// an agent, seed 1, the clock at `step` on `date`, the Tsar's state and the switches the
/// parameters give, an empty tally, no persons, and no tolls or events. A test inserts over these what it
/// needs otherwise.
#[cfg(test)]
pub fn test_world(step: u32, date: &str) -> bevy_ecs::prelude::World {
    use crate::model::params::Params;
    use crate::model::run_state::Switches;
    use crate::model::{Clock, EventLog, Persons, State, Tally, Tolls};
    use crate::rng::RunRng;
    let params = Params::default();
    let mut world = bevy_ecs::prelude::World::new();
    world.insert_resource(economy::initial_regions(&params, 1000.0));
    world.insert_resource(Switches::new(&params));
    world.insert_resource(params);
    world.insert_resource(Clock {
        step,
        date: crate::date::Date::parse(date).expect("a test's date is valid"),
        people_per_agent: 1000.0,
    });
    world.insert_resource(RunRng::new(1));
    world.insert_resource(Tally::new(0));
    world.insert_resource(Tolls::default());
    world.insert_resource(EventLog::default());
    world.insert_resource(State::tsarist());
    world.insert_resource(Persons::default());
    world
}
