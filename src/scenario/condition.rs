//! Event conditions: a test on a model metric of a group as last measured, e.g.
//! `{ metric = "soviet.share.bolsheviks", group = "soviet.petrograd", at_least = 0.5 }`,
//! checked against the metric registry (`crate::metrics`) when the file is read.

use super::error::ScenarioError;
use super::load::File;
use super::reader::{in_order, join_key, Value};
use super::{Comparison, Condition};

const CONDITION_KEYS: &[&str] = &["metric", "group", "at_least", "at_most"];

impl File<'_> {
    /// A condition on a metric, checked against the metric registry: a misspelled metric or
    /// group, or a group the metric is not measured for, is an error here, not an event that
    /// silently never fires.
    pub(super) fn condition(
        &self,
        value: &Value<'_>,
        prefix: &str,
    ) -> Result<Condition, ScenarioError> {
        let table = self.table(value, prefix)?;
        let mut metric = None;
        let mut group = None;
        let mut test: Option<(Comparison, f64)> = None;
        for (key, value) in in_order(table) {
            let path = join_key(prefix, key.get_ref());
            match key.get_ref().as_ref() {
                "metric" => {
                    let name = self.string(value, &path)?;
                    metric = Some((name, self.loc(value.span()), path));
                }
                "group" => {
                    let name = self.string(value, &path)?;
                    group = Some((name, self.loc(value.span()), path));
                }
                "at_least" | "at_most" => {
                    if test.is_some() {
                        return Err(ScenarioError::Invalid {
                            location: self.loc(key.span()),
                            key: path,
                            message: "a condition has one of `at_least` and `at_most`, not both"
                                .to_string(),
                        });
                    }
                    let comparison = if key.get_ref() == "at_least" {
                        Comparison::AtLeast
                    } else {
                        Comparison::AtMost
                    };
                    test = Some((comparison, self.number(value, &path)?));
                }
                _ => return Err(self.unknown_key(key, prefix, prefix, CONDITION_KEYS)),
            }
        }
        let missing = |key: &str, help: &str| ScenarioError::MissingKey {
            location: self.loc(value.span()),
            key: format!("{prefix}.{key}"),
            help: help.to_string(),
        };
        let (metric_name, metric_at, metric_key) =
            metric.ok_or_else(|| missing("metric", "a condition names the metric it tests"))?;
        let (group_name, group_at, group_key) =
            group.unwrap_or_else(|| ("all", self.loc(value.span()), format!("{prefix}.group")));
        let (metric, group) =
            crate::metrics::resolve(metric_name, group_name).map_err(|error| {
                ScenarioError::from_metric(error, (metric_at, metric_key), (group_at, group_key))
            })?;
        let (comparison, threshold) = test.ok_or_else(|| {
            missing(
                "at_least",
                "a condition needs a threshold: `at_least = x` or `at_most = x`",
            )
        })?;
        Ok(Condition {
            metric,
            group,
            comparison,
            value: threshold,
        })
    }
}
