//! The `[[events]]` of a scenario file: ids, triggers (`date` or `when`) and actions.

use std::collections::HashMap;

use super::action::read_action;
use super::chain::EventPatch;
use super::error::{ScenarioError, SourceLocation};
use super::load::File;
use super::reader::{in_order, join_key, Value};
use super::Trigger;
use crate::date::Date;

const EVENT_KEYS: &[&str] = &[
    "id",
    "enabled",
    "description",
    "sources",
    "date",
    "when",
    "actions",
];
const WHEN_KEYS: &[&str] = &["all", "earliest", "latest"];

/// The most `[[events]]` one file may have.
pub const MAX_EVENTS: usize = 10_000;

impl File<'_> {
    pub(super) fn events(
        &self,
        value: &Value<'_>,
        has_extends: bool,
    ) -> Result<Vec<EventPatch>, ScenarioError> {
        let items = self.array(value, "events", "an array of tables ([[events]])")?;
        if items.len() > MAX_EVENTS {
            return Err(ScenarioError::Invalid {
                location: self.loc(value.span()),
                key: "events".to_string(),
                message: format!(
                    "{} events; a file may have at most {MAX_EVENTS} (the shipped baseline has \
                     under 100)",
                    items.len()
                ),
            });
        }
        let mut patches = Vec::new();
        let mut first_at: HashMap<String, Box<SourceLocation>> = HashMap::new();
        for (index, item) in items.iter().enumerate() {
            let patch = self.event(index, item, has_extends, &mut first_at)?;
            patches.push(patch);
        }
        Ok(patches)
    }

    fn event(
        &self,
        index: usize,
        item: &Value<'_>,
        has_extends: bool,
        first_at: &mut HashMap<String, Box<SourceLocation>>,
    ) -> Result<EventPatch, ScenarioError> {
        let prefix = format!("events[{index}]");
        let table = self.table(item, &prefix)?;
        let mut patch = EventPatch {
            id: String::new(),
            key: prefix.clone(),
            location: self.loc(item.span()),
            enabled: None,
            description: None,
            sources: None,
            trigger: None,
            actions: None,
        };
        let mut has_id = false;
        for (key, value) in in_order(table) {
            let path = join_key(&prefix, key.get_ref());
            match key.get_ref().as_ref() {
                "id" => {
                    let id = self.name(value, &path, "be an event id")?;
                    let location = self.loc(value.span());
                    if let Some(first) = first_at.get(id) {
                        return Err(ScenarioError::DuplicateEventId {
                            location,
                            key: path,
                            id: id.to_string(),
                            first: first.clone(),
                        });
                    }
                    first_at.insert(id.to_string(), location);
                    patch.id = id.to_string();
                    has_id = true;
                }
                "enabled" => patch.enabled = Some(self.boolean(value, &path)?),
                "description" => patch.description = Some(self.string(value, &path)?.to_string()),
                "sources" => patch.sources = Some(self.sources(value, &path)?),
                "date" | "when" => {
                    if patch.trigger.is_some() {
                        return Err(ScenarioError::Invalid {
                            location: self.loc(key.span()),
                            key: path,
                            message: "an event has one trigger: `date` or `when`, not both"
                                .to_string(),
                        });
                    }
                    patch.trigger = Some(if key.get_ref() == "date" {
                        Trigger::Date(self.date(value, &path)?)
                    } else {
                        self.when(value, &path)?
                    });
                }
                "actions" => {
                    let items = self.array(value, &path, "an array of actions")?;
                    let mut actions = Vec::new();
                    for (i, action) in items.iter().enumerate() {
                        actions.push(read_action(self, action, &format!("{path}[{i}]"))?);
                    }
                    patch.actions = Some(actions);
                }
                _ => return Err(self.unknown_key(key, &prefix, &prefix, EVENT_KEYS)),
            }
        }
        if !has_id {
            return Err(ScenarioError::MissingKey {
                location: patch.location.clone(),
                key: format!("{prefix}.id"),
                help: "every event needs an id, e.g. `id = \"kornilov_affair\"`".to_string(),
            });
        }
        if patch.trigger.is_none() && !has_extends {
            return Err(ScenarioError::MissingKey {
                location: patch.location.clone(),
                key: format!("{prefix}.date"),
                help: format!(
                    "event `{}` needs a trigger: `date = \"YYYY-MM-DD\"` or a `when` table",
                    patch.id
                ),
            });
        }
        Ok(patch)
    }

    fn when(&self, value: &Value<'_>, prefix: &str) -> Result<Trigger, ScenarioError> {
        let table = self.table(value, prefix)?;
        let mut all = None;
        let mut earliest: Option<(Date, &Value<'_>)> = None;
        let mut latest: Option<(Date, &Value<'_>)> = None;
        for (key, value) in in_order(table) {
            let path = join_key(prefix, key.get_ref());
            match key.get_ref().as_ref() {
                "all" => {
                    let items = self.array(value, &path, "an array of conditions")?;
                    if items.is_empty() {
                        return Err(ScenarioError::Invalid {
                            location: self.loc(value.span()),
                            key: path,
                            message: "needs at least one condition, e.g. \
                                      { metric = \"legitimacy\", group = \"all\", at_most = 0.3 }"
                                .to_string(),
                        });
                    }
                    let mut conditions = Vec::new();
                    for (i, item) in items.iter().enumerate() {
                        conditions.push(self.condition(item, &format!("{path}[{i}]"))?);
                    }
                    all = Some(conditions);
                }
                "earliest" => earliest = Some((self.date(value, &path)?, value)),
                "latest" => latest = Some((self.date(value, &path)?, value)),
                _ => return Err(self.unknown_key(key, prefix, prefix, WHEN_KEYS)),
            }
        }
        let Some(all) = all else {
            return Err(ScenarioError::MissingKey {
                location: self.loc(value.span()),
                key: format!("{prefix}.all"),
                help: "a `when` trigger lists its conditions: `all = [ { metric = \"...\", \
                       group = \"all\", at_least = 0.5 } ]`"
                    .to_string(),
            });
        };
        if let (Some((first, _)), Some((last, last_value))) = (earliest, latest) {
            if last < first {
                return Err(ScenarioError::Invalid {
                    location: self.loc(last_value.span()),
                    key: format!("{prefix}.latest"),
                    message: format!("latest {last} is before earliest {first}"),
                });
            }
        }
        Ok(Trigger::Condition {
            all,
            earliest: earliest.map(|(d, _)| d),
            latest: latest.map(|(d, _)| d),
        })
    }
}
