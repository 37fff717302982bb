//! The verbs of the model: one file per mechanism family. Each rule is a named function with
//! its sources; [`add_to_schedule`] gives them their one explicit order.

pub mod allegiance;
pub mod census;
pub mod civil_war;
pub mod economy;
pub mod events;
pub mod measure;
pub mod population;
pub mod revolt;
pub mod soviets;
pub mod war;

use bevy_ecs::prelude::{IntoScheduleConfigs, Schedule};

/// One week, in order: events fire on last week's measurements; the world, the economy and
/// the war move; people update their outlook, party and stance; revolt and repression; the
/// census counts the result; soviets and parties follow it; the recorder measures.
pub fn add_to_schedule(schedule: &mut Schedule) {
    schedule.add_systems(
        (
            events::fire_events,
            economy::run_railways,
            economy::grain_cycle,
            economy::run_industry,
            economy::hunger_and_flight,
            economy::dispatch_food_detachments,
            war::wage_war,
            civil_war::recruit_armies,
            civil_war::fight_fronts,
            civil_war::end_civil_war,
            allegiance::update_outlook,
            allegiance::choose_party,
            revolt::build_cheka,
            revolt::activate,
            revolt::repress,
            census::take_census,
            census::count_members,
            revolt::regime_collapse,
            soviets::elect_soviets,
            measure::measure,
        )
            .chain(),
    );
}
