//! Time and the running totals of a run.

use bevy_ecs::prelude::Resource;

use crate::date::Date;

/// One step is one week.
#[derive(Debug, Clone, Copy, Resource)]
pub struct Clock {
    pub step: u32,
    pub date: Date,
    pub people_per_agent: f64,
}

impl Clock {
    /// The week of the year, 0-51, for seasonal rules.
    pub fn week_of_year(&self) -> u32 {
        (self.date.day_of_year() / 7).min(51) as u32
    }
}

/// Cumulative deaths and this step's flows, in agents.
#[derive(Debug, Clone, Default, Resource)]
pub struct Tolls {
    pub famine: f64,
    pub war: f64,
    pub repression: f64,
    /// Red Army deserters this step.
    pub red_desertion: f64,
}
