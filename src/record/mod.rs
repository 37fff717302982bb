//! Metrics -> tidy rows, the event log, and the output files (timeseries.csv, events.csv,
//! manifest.json). The recorder reads the world; it never changes it.

mod measure;
mod output;
mod read;
mod run_files;

pub use measure::measure;
pub(crate) use output::format_value;
pub use output::{write_events, write_manifest, write_timeseries, Manifest, OutputError};
pub use read::{read_events, read_timeseries, ReadError, TimeseriesRow};
pub use run_files::write_run;

use std::collections::BTreeMap;

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

/// One-off results announced by events this step (a congress's composition, an election).
#[derive(Debug, Clone, Default, Resource)]
pub struct Announcements {
    pending: Vec<(String, String, f64)>,
}

impl Announcements {
    pub fn push(&mut self, metric: String, group: String, value: f64) {
        self.pending.push((metric, group, value));
    }

    fn take(&mut self) -> Vec<(String, String, f64)> {
        std::mem::take(&mut self.pending)
    }
}

/// A measured row: step, interned metric and group names, value.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    pub step: u32,
    pub metric: u32,
    pub group: u32,
    pub value: f64,
}

/// Every measured row of the run, with names interned, and the latest value of each
/// (metric, group) for event conditions.
#[derive(Debug, Clone, Default, Resource)]
pub struct Metrics {
    names: Vec<String>,
    index: BTreeMap<String, u32>,
    pub rows: Vec<Row>,
    /// Dates of the steps, by step.
    pub dates: Vec<String>,
    latest: BTreeMap<(u32, u32), f64>,
}

impl Metrics {
    fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.index.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), id);
        id
    }

    pub fn push(&mut self, step: u32, metric: &str, group: &str, value: f64) {
        let metric = self.intern(metric);
        let group = self.intern(group);
        self.rows.push(Row {
            step,
            metric,
            group,
            value,
        });
        self.latest.insert((metric, group), value);
    }

    /// The interned id of a metric or group name, if it was ever measured.
    pub fn id(&self, name: &str) -> Option<u32> {
        self.index.get(name).copied()
    }

    pub fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    /// The last measured value of a metric for a group.
    pub fn get(&self, metric: &str, group: &str) -> Option<f64> {
        let metric = *self.index.get(metric)?;
        let group = *self.index.get(group)?;
        self.latest.get(&(metric, group)).copied()
    }

    /// Every (step, value) of one metric for one group, in step order.
    pub fn series(&self, metric: &str, group: &str) -> Vec<(u32, f64)> {
        let (Some(&metric), Some(&group)) = (self.index.get(metric), self.index.get(group)) else {
            return Vec::new();
        };
        self.rows
            .iter()
            .filter(|r| r.metric == metric && r.group == group)
            .map(|r| (r.step, r.value))
            .collect()
    }
}

/// A condition of an event that reads a metric and group the run never recorded, so the event
/// could never fire on it: usually a misspelled metric or group.
#[derive(Debug, Clone, PartialEq)]
pub struct UnreadCondition {
    pub event: String,
    pub metric: String,
    pub group: String,
    /// The recorded metric (or, if the metric exists, group) nearest to a likely typo.
    pub nearest: Option<String>,
}

impl std::fmt::Display for UnreadCondition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "event `{}` could never fire: its condition reads metric `{}` of group `{}`, which this run never recorded",
            self.event, self.metric, self.group
        )?;
        if let Some(nearest) = &self.nearest {
            write!(f, " (did you mean `{nearest}`?)")?;
        }
        Ok(())
    }
}

/// The conditions of the scenario's enabled events that read a (metric, group) pair the run
/// never recorded; `revsim list` names the metrics.
pub fn unread_conditions(
    scenario: &crate::scenario::Scenario,
    metrics: &Metrics,
) -> Vec<UnreadCondition> {
    let recorded = |metric: &str, group: &str| metrics.get(metric, group).is_some();
    let metric_names: std::collections::BTreeSet<&str> = metrics
        .latest
        .keys()
        .map(|&(m, _)| metrics.name(m))
        .collect();
    let groups_of = |metric: &str| -> Vec<&str> {
        let Some(id) = metrics.id(metric) else {
            return Vec::new();
        };
        metrics
            .latest
            .keys()
            .filter(|&&(m, _)| m == id)
            .map(|&(_, g)| metrics.name(g))
            .collect()
    };
    let mut unread = Vec::new();
    for event in scenario.events.iter().filter(|e| e.enabled) {
        let crate::scenario::Trigger::Condition { all, .. } = &event.trigger else {
            continue;
        };
        for condition in all {
            if recorded(&condition.metric, &condition.group) {
                continue;
            }
            let nearest = if metric_names.contains(condition.metric.as_str()) {
                crate::scenario::nearest(&condition.group, groups_of(&condition.metric))
            } else {
                crate::scenario::nearest(&condition.metric, metric_names.iter().copied())
            };
            unread.push(UnreadCondition {
                event: event.id.clone(),
                metric: condition.metric.clone(),
                group: condition.group.clone(),
                nearest,
            });
        }
    }
    unread
}
