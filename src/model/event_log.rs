//! The log of every event that happened in a run: filled by the systems, written to
//! `events.csv` by the recorder.

use bevy_ecs::prelude::Resource;

use crate::model::Clock;

/// One row of `events.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct LoggedEvent {
    pub step: u32,
    pub date: String,
    pub id: String,
    /// `scheduled`, `triggered` or `emergent`.
    pub kind: String,
    pub description: String,
    pub sources: String,
}

/// Every event that happened, in order.
#[derive(Debug, Clone, Default, Resource)]
pub struct EventLog {
    pub events: Vec<LoggedEvent>,
}

impl EventLog {
    pub fn record(
        &mut self,
        clock: &Clock,
        id: &str,
        kind: &str,
        description: &str,
        sources: &str,
    ) {
        self.events.push(LoggedEvent {
            step: clock.step,
            date: clock.date.to_string(),
            id: id.to_string(),
            kind: kind.to_string(),
            description: description.to_string(),
            sources: sources.to_string(),
        });
    }
}
