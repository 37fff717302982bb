//! A run's measured rows, typed, and the latest value of each (metric, group) for event
//! conditions. Filled by the measure system; read by events, the recorder and the readers of
//! a run (sweep summaries, validate, compare).

use std::collections::BTreeMap;

use bevy_ecs::prelude::Resource;

use super::stat::Reading;
use super::{GroupKey, Metric, Stat};
use crate::date::Date;

/// A measured row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row {
    pub step: u32,
    pub metric: Metric,
    pub group: GroupKey,
    pub value: f64,
}

/// Every measured row of a run in measurement order, the dates of its steps, and the latest
/// value of each (metric, group).
#[derive(Debug, Clone, Default, Resource)]
pub struct Metrics {
    pub rows: Vec<Row>,
    /// Dates of the steps, by step.
    pub dates: Vec<String>,
    latest: BTreeMap<(Metric, GroupKey), f64>,
}

impl Metrics {
    pub fn push(&mut self, step: u32, metric: Metric, group: GroupKey, value: f64) {
        self.rows.push(Row {
            step,
            metric,
            group,
            value,
        });
        self.latest.insert((metric, group), value);
    }

    /// The last measured value of a metric for a group.
    pub fn get(&self, metric: Metric, group: GroupKey) -> Option<f64> {
        self.latest.get(&(metric, group)).copied()
    }

    /// A statistic of one metric's series for one group (steps whose date does not parse,
    /// in a file someone edited, are left out).
    pub fn read(&self, metric: Metric, group: GroupKey, stat: &Stat) -> Option<Reading> {
        stat.evaluate(self.rows.iter().filter_map(|r| {
            let date = self.dates.get(r.step as usize)?;
            (r.metric == metric && r.group == group)
                .then(|| Date::parse(date).ok().map(|date| (date, r.value)))
                .flatten()
        }))
    }

    /// Every (step, value) of one metric for one group, in step order.
    pub fn series(&self, metric: Metric, group: GroupKey) -> Vec<(u32, f64)> {
        self.rows
            .iter()
            .filter(|r| r.metric == metric && r.group == group)
            .map(|r| (r.step, r.value))
            .collect()
    }
}

/// One-off results announced by events this step (a congress's composition, an election),
/// recorded with the step's metrics.
#[derive(Debug, Clone, Default, Resource)]
pub struct Announcements {
    pending: Vec<(Metric, GroupKey, f64)>,
}

impl Announcements {
    pub fn push(&mut self, metric: Metric, group: GroupKey, value: f64) {
        self.pending.push((metric, group, value));
    }

    pub fn take(&mut self) -> Vec<(Metric, GroupKey, f64)> {
        std::mem::take(&mut self.pending)
    }
}
