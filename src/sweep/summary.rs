//! Summaries of one run (the columns of `runs.csv`) and the fan series (`fans.csv`), computed
//! from the run's metrics in one pass, while the run's rows are still in memory.

use std::collections::HashMap;

use crate::date::Date;
use crate::record::{format_value, Metrics};

use super::Fan;

/// The steps a summary looks at: those dated within `[from, to]` (each bound optional).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Window {
    pub from: Option<Date>,
    pub to: Option<Date>,
}

impl Window {
    fn contains(&self, date: Date) -> bool {
        self.from.is_none_or(|from| date >= from) && self.to.is_none_or(|to| date <= to)
    }
}

/// How a summary reduces a metric's time series to one value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Stat {
    /// The last value recorded.
    Final,
    /// The value at the last step dated on or before `date`.
    At(Date),
    /// The largest value in the window.
    Max(Window),
    /// The smallest value in the window.
    Min(Window),
    /// The mean over the steps in the window.
    Mean(Window),
    /// The date of the first step in the window whose value is at least `threshold` (empty if
    /// none).
    FirstAbove(f64, Window),
    /// The date of the first step in the window whose value is at most `threshold`.
    FirstBelow(f64, Window),
}

/// The stat names a sweep file may use, in the order messages list them.
pub const STATS: &[&str] = &[
    "final",
    "at",
    "max",
    "min",
    "mean",
    "first_above",
    "first_below",
];

impl Stat {
    pub fn name(&self) -> &'static str {
        match self {
            Stat::Final => "final",
            Stat::At(_) => "at",
            Stat::Max(_) => "max",
            Stat::Min(_) => "min",
            Stat::Mean(_) => "mean",
            Stat::FirstAbove(..) => "first_above",
            Stat::FirstBelow(..) => "first_below",
        }
    }

    /// Whether the summary is a date (a first crossing) rather than a value.
    pub fn is_date(&self) -> bool {
        matches!(self, Stat::FirstAbove(..) | Stat::FirstBelow(..))
    }

    pub fn window(&self) -> Option<Window> {
        match self {
            Stat::Final | Stat::At(_) => None,
            Stat::Max(w) | Stat::Min(w) | Stat::Mean(w) => Some(*w),
            Stat::FirstAbove(_, w) | Stat::FirstBelow(_, w) => Some(*w),
        }
    }
}

/// One `[[summary]]`: a column of `runs.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub column: String,
    pub metric: String,
    pub group: String,
    pub stat: Stat,
}

/// The running state of one summary over a run's rows.
#[derive(Debug, Clone, Copy)]
enum Acc {
    Value(Option<f64>),
    Mean { sum: f64, count: u64 },
    Date(Option<u32>),
}

/// The summaries and fan series of one finished run.
pub(crate) struct RunSummary {
    /// One field per summary, formatted for `runs.csv` (empty when the metric was never
    /// recorded in the window).
    pub fields: Vec<String>,
    /// Per fan: (step, value) in step order.
    pub fans: Vec<Vec<(u32, f64)>>,
}

/// Computes the summaries and fan series of a run.
pub(crate) fn summarise(metrics: &Metrics, summaries: &[Summary], fans: &[Fan]) -> RunSummary {
    let dates: Vec<Option<Date>> = metrics.dates.iter().map(|d| Date::parse(d).ok()).collect();
    // (metric id, group id) -> the summaries and fans that read it.
    let mut wanted: HashMap<(u32, u32), (Vec<usize>, Vec<usize>)> = HashMap::new();
    let ids = |metric: &str, group: &str| Some((metrics.id(metric)?, metrics.id(group)?));
    for (i, summary) in summaries.iter().enumerate() {
        if let Some(key) = ids(&summary.metric, &summary.group) {
            wanted.entry(key).or_default().0.push(i);
        }
    }
    for (i, fan) in fans.iter().enumerate() {
        if let Some(key) = ids(&fan.metric, &fan.group) {
            wanted.entry(key).or_default().1.push(i);
        }
    }
    let mut accs: Vec<Acc> = summaries
        .iter()
        .map(|s| match s.stat {
            Stat::Mean(_) => Acc::Mean { sum: 0.0, count: 0 },
            Stat::FirstAbove(..) | Stat::FirstBelow(..) => Acc::Date(None),
            _ => Acc::Value(None),
        })
        .collect();
    let mut fan_series: Vec<Vec<(u32, f64)>> = vec![Vec::new(); fans.len()];

    for row in &metrics.rows {
        let Some((targets, fan_targets)) = wanted.get(&(row.metric, row.group)) else {
            continue;
        };
        for &f in fan_targets {
            fan_series[f].push((row.step, row.value));
        }
        let Some(date) = dates.get(row.step as usize).copied().flatten() else {
            continue;
        };
        let value = row.value;
        for &i in targets {
            let acc = &mut accs[i];
            match (summaries[i].stat, acc) {
                (Stat::Final, Acc::Value(v)) => *v = Some(value),
                (Stat::At(at), Acc::Value(v)) if date <= at => *v = Some(value),
                (Stat::Max(w), Acc::Value(v)) if w.contains(date) => {
                    *v = Some(v.map_or(value, |m| m.max(value)));
                }
                (Stat::Min(w), Acc::Value(v)) if w.contains(date) => {
                    *v = Some(v.map_or(value, |m| m.min(value)));
                }
                (Stat::Mean(w), Acc::Mean { sum, count }) if w.contains(date) => {
                    *sum += value;
                    *count += 1;
                }
                (Stat::FirstAbove(t, w), Acc::Date(d))
                    if d.is_none() && w.contains(date) && value >= t =>
                {
                    *d = Some(row.step);
                }
                (Stat::FirstBelow(t, w), Acc::Date(d))
                    if d.is_none() && w.contains(date) && value <= t =>
                {
                    *d = Some(row.step);
                }
                _ => {}
            }
        }
    }

    let fields = accs
        .iter()
        .map(|acc| match *acc {
            Acc::Value(v) => v.map(format_value).unwrap_or_default(),
            Acc::Mean { sum, count } if count > 0 => format_value(sum / count as f64),
            Acc::Mean { .. } => String::new(),
            Acc::Date(step) => step
                .and_then(|s| metrics.dates.get(s as usize).cloned())
                .unwrap_or_default(),
        })
        .collect();
    RunSummary {
        fields,
        fans: fan_series,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metrics() -> Metrics {
        let mut metrics = Metrics::default();
        let values = [0.1, 0.5, 0.3, 0.7, 0.2];
        for (step, value) in values.iter().enumerate() {
            let date = Date::parse("1918-01-01").unwrap().add_days(7 * step as i32);
            metrics.dates.push(date.to_string());
            metrics.push(step as u32, "active", "all", *value);
            metrics.push(step as u32, "other", "all", 1.0);
        }
        metrics
    }

    fn summary(stat: Stat) -> Summary {
        Summary {
            column: "c".to_string(),
            metric: "active".to_string(),
            group: "all".to_string(),
            stat,
        }
    }

    #[test]
    fn every_stat() {
        let d = |s: &str| Date::parse(s).unwrap();
        let window = Window {
            from: Some(d("1918-01-08")),
            to: Some(d("1918-01-22")),
        };
        let summaries = [
            summary(Stat::Final),
            summary(Stat::At(d("1918-01-10"))),
            summary(Stat::Max(Window::default())),
            summary(Stat::Min(window)),
            summary(Stat::Mean(window)),
            summary(Stat::FirstAbove(0.6, Window::default())),
            summary(Stat::FirstBelow(0.25, window)),
            summary(Stat::FirstAbove(0.9, Window::default())),
            Summary {
                metric: "missing".to_string(),
                ..summary(Stat::Final)
            },
        ];
        let fans = [Fan {
            metric: "active".to_string(),
            group: "all".to_string(),
        }];
        let result = summarise(&metrics(), &summaries, &fans);
        assert_eq!(
            result.fields,
            ["0.2", "0.5", "0.7", "0.3", "0.5", "1918-01-22", "", "", ""]
        );
        assert_eq!(result.fans[0].len(), 5);
        assert_eq!(result.fans[0][3], (3, 0.7));
    }
}
