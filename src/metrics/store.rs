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
    latest: Latest,
}

impl Metrics {
    pub fn push(&mut self, step: u32, metric: Metric, group: GroupKey, value: f64) {
        self.rows.push(Row {
            step,
            metric,
            group,
            value,
        });
        self.latest.set((metric, group), value);
    }

    /// The last measured value of a metric for a group.
    pub fn get(&self, metric: Metric, group: GroupKey) -> Option<f64> {
        self.latest.get(&(metric, group))
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

/// The last value of each (metric, group), each in the place it was first measured. A step
/// measures its metrics in the order the step before did, so each key is looked for first in
/// the place after the last one set, and looked up only where that is not it (the first of a
/// step, a family measured from some step on, an announcement): a thousand rows a week cost a
/// comparison each, not a search of a thousand keys.
#[derive(Debug, Clone, Default)]
struct Latest {
    values: Vec<((Metric, GroupKey), f64)>,
    places: BTreeMap<(Metric, GroupKey), usize>,
    next: usize,
}

impl Latest {
    fn set(&mut self, key: (Metric, GroupKey), value: f64) {
        let place = match self.values.get(self.next) {
            Some((expected, _)) if *expected == key => self.next,
            _ => *self.places.entry(key).or_insert_with(|| {
                self.values.push((key, value));
                self.values.len() - 1
            }),
        };
        self.values[place].1 = value;
        self.next = place + 1;
    }

    fn get(&self, key: &(Metric, GroupKey)) -> Option<f64> {
        self.places.get(key).map(|&place| self.values[place].1)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::Family;

    /// The latest value of each (metric, group) whatever order the steps measure them in: the
    /// same order again, a metric measured from some step on, one announced once.
    #[test]
    fn the_latest_value_of_each_metric_and_group_is_kept() {
        let (a, b, c) = (
            Metric::of(Family::Population),
            Metric::of(Family::Harvest),
            Metric::of(Family::Railways),
        );
        let mut metrics = Metrics::default();
        metrics.push(0, a, GroupKey::All, 1.0);
        metrics.push(0, b, GroupKey::All, 2.0);
        metrics.push(1, a, GroupKey::All, 3.0);
        metrics.push(1, c, GroupKey::All, 4.0);
        metrics.push(1, b, GroupKey::All, 5.0);
        metrics.push(2, b, GroupKey::All, 6.0);
        metrics.push(2, a, GroupKey::All, 7.0);
        assert_eq!(metrics.get(a, GroupKey::All), Some(7.0));
        assert_eq!(metrics.get(b, GroupKey::All), Some(6.0));
        assert_eq!(metrics.get(c, GroupKey::All), Some(4.0));
        assert_eq!(
            metrics.get(a, GroupKey::Region(crate::model::ids::Region::Petrograd)),
            None
        );
        assert_eq!(metrics.rows.len(), 7);
    }
}
