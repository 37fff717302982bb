//! Event conditions: a test on a model metric of a group as last measured, e.g.
//! `{ metric = "soviet.share.bolsheviks", group = "soviet.petrograd", at_least = 0.5 }`.

use super::action::MAX_CONGRESS;
use super::error::{nearest, ScenarioError};
use super::load::File;
use super::reader::{in_order, join_key, valid_name, Value};
use super::{Comparison, Condition};
use crate::model::ids::{Class, Region, Role};

const CONDITION_KEYS: &[&str] = &["metric", "group", "at_least", "at_most"];

impl File<'_> {
    pub(super) fn condition(
        &self,
        value: &Value<'_>,
        prefix: &str,
    ) -> Result<Condition, ScenarioError> {
        let table = self.table(value, prefix)?;
        let mut metric = None;
        let mut group = "all".to_string();
        let mut test: Option<(Comparison, f64)> = None;
        for (key, value) in in_order(table) {
            let path = join_key(prefix, key.get_ref());
            match key.get_ref().as_ref() {
                "metric" => {
                    let name = self.string(value, &path)?;
                    if name.is_empty() || name.chars().any(char::is_whitespace) {
                        return Err(ScenarioError::Invalid {
                            location: self.loc(value.span()),
                            key: path,
                            message: format!(
                                "{name:?} is not a metric name (dotted, e.g. \"soviet.share.bolsheviks\")"
                            ),
                        });
                    }
                    metric = Some(name.to_string());
                }
                "group" => group = self.group(value, &path)?,
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
        let metric =
            metric.ok_or_else(|| missing("metric", "a condition names the metric it tests"))?;
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

    /// A metric group: `all`, `class.<id>`, `role.<id>`, `region.<id>`, `soviet.<name>`,
    /// `congress.<n>`.
    fn group(&self, value: &Value<'_>, path: &str) -> Result<String, ScenarioError> {
        let text = self.string(value, path)?;
        let prefixed = |prefix: &str, ids: Vec<&str>| -> Vec<String> {
            ids.iter().map(|id| format!("{prefix}.{id}")).collect()
        };
        let unknown = |what: &'static str, valid: Vec<String>, candidates: &[String]| {
            ScenarioError::UnknownValue {
                location: self.loc(value.span()),
                key: path.to_string(),
                what,
                found: text.to_string(),
                suggestion: nearest(text, candidates.iter().map(String::as_str)),
                valid,
            }
        };
        let known = |prefix: &str, what, ids: Vec<&str>, id: &str| {
            if ids.contains(&id) {
                Ok(text.to_string())
            } else {
                let valid = prefixed(prefix, ids);
                Err(unknown(what, valid.clone(), &valid))
            }
        };
        match text.split_once('.') {
            None if text == "all" => return Ok(text.to_string()),
            Some(("class", id)) => return known("class", "class group", Class::ids(), id),
            Some(("role", id)) => return known("role", "role group", Role::ids(), id),
            Some(("region", id)) => return known("region", "region group", Region::ids(), id),
            Some(("soviet", name)) if valid_name(name) => return Ok(text.to_string()),
            Some(("congress", n))
                if n.parse::<u32>()
                    .is_ok_and(|n| (1..=MAX_CONGRESS).contains(&n)) =>
            {
                return Ok(text.to_string())
            }
            _ => {}
        }
        let congress = format!("congress.<1-{MAX_CONGRESS}>");
        let forms = [
            "all",
            "class.<class>",
            "role.<role>",
            "region.<region>",
            "soviet.<name>",
            congress.as_str(),
        ];
        let mut candidates = vec!["all".to_string()];
        candidates.extend(prefixed("class", Class::ids()));
        candidates.extend(prefixed("role", Role::ids()));
        candidates.extend(prefixed("region", Region::ids()));
        let valid = forms.iter().map(|f| f.to_string()).collect();
        Err(unknown("group", valid, &candidates))
    }
}
