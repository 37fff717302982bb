//! Summaries of one run (the columns of `runs.csv`) and the fan series (`fans.csv`), read
//! from the run's metrics while its rows are still in memory.

use crate::metrics::{resolve, Metrics, Reading, Stat};
use crate::record::format_value;

use super::Fan;

/// One `[[summary]]`: a column of `runs.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub column: String,
    pub metric: String,
    pub group: String,
    pub stat: Stat,
}

/// The summaries and fan series of one finished run.
pub(crate) struct RunSummary {
    /// One field per summary, formatted for `runs.csv` (empty when the metric was never
    /// recorded in the window).
    pub fields: Vec<String>,
    /// Per fan: (step, value) in step order.
    pub fans: Vec<Vec<(u32, f64)>>,
}

/// Computes the summaries and fan series of a run, each read with the one statistics language
/// (`metrics::Stat`).
pub(crate) fn summarise(metrics: &Metrics, summaries: &[Summary], fans: &[Fan]) -> RunSummary {
    let series = |metric: &str, group: &str| -> Vec<(u32, f64)> {
        resolve(metric, group)
            .map(|(metric, group)| metrics.series(metric, group))
            .unwrap_or_default()
    };
    let fields = summaries
        .iter()
        .map(|summary| {
            let read = resolve(&summary.metric, &summary.group)
                .ok()
                .and_then(|(metric, group)| metrics.read(metric, group, &summary.stat));
            match read {
                Some(Reading::Value(value)) => format_value(value),
                Some(Reading::Date(date)) => date.to_string(),
                None => String::new(),
            }
        })
        .collect();
    RunSummary {
        fields,
        fans: fans
            .iter()
            .map(|fan| series(&fan.metric, &fan.group))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;
    use crate::metrics::{Family, GroupKey, Metric, Window};

    fn metrics() -> Metrics {
        let (active, other) = (Metric::of(Family::Active), Metric::of(Family::Hardship));
        let mut metrics = Metrics::default();
        let values = [0.1, 0.5, 0.3, 0.7, 0.2];
        for (step, value) in values.iter().enumerate() {
            let date = Date::parse("1918-01-01").unwrap().add_days(7 * step as i32);
            metrics.dates.push(date.to_string());
            metrics.push(step as u32, active, GroupKey::All, *value);
            metrics.push(step as u32, other, GroupKey::All, 1.0);
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
                metric: "legitimacy".to_string(),
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
