//! A what-if as the page describes it, and the scenario file it becomes: a child of the
//! chosen scenario (`extends`) that changes only what the page changed.

use serde::Deserialize;

use crate::model::params::{spec, ParamKind};
use crate::scenario::Scenario;

/// An event the page changed: switched on or off, or moved to another date.
#[derive(Debug, Clone, Deserialize)]
pub struct EventChange {
    pub id: String,
    pub enabled: bool,
    /// A new date (`YYYY-MM-DD`), for an event scheduled on a date.
    #[serde(default)]
    pub date: Option<String>,
}

/// What the page asks for.
#[derive(Debug, Clone, Deserialize)]
pub struct WhatIf {
    /// The scenario it extends (a name in the scenarios folder).
    pub scenario: String,
    /// The what-if's name (its file name when saved).
    pub name: String,
    /// Its question.
    pub title: String,
    /// Events changed with respect to the scenario.
    #[serde(default)]
    pub events: Vec<EventChange>,
    /// Parameters set, by dotted name.
    #[serde(default)]
    pub params: Vec<(String, f64)>,
    /// People per agent (the class or the full scale).
    pub people_per_agent: u32,
    /// Runs per scenario.
    pub runs: usize,
}

impl WhatIf {
    /// The name as a file stem: lower-case letters, digits and `_` only.
    pub fn file_name(&self) -> String {
        let stem: String = self
            .name
            .trim()
            .to_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        if stem.trim_matches('_').is_empty() {
            "my_whatif".to_string()
        } else {
            stem
        }
    }
}

/// A TOML string, quoted and escaped.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// The scenario file of a what-if on `base` (the scenario it extends, as loaded): only what
/// differs from `base` is written. The error says which parameter or event is unknown.
pub fn scenario_toml(whatif: &WhatIf, base: &Scenario) -> Result<String, String> {
    let mut out = String::from("# A what-if saved by `revsim serve`; `revsim run` this file.\n");
    out.push_str("[scenario]\n");
    out.push_str(&format!("name = {}\n", quoted(&whatif.file_name())));
    out.push_str(&format!("title = {}\n", quoted(whatif.title.trim())));
    out.push_str(&format!("extends = {}\n", quoted(&base.name)));
    out.push_str("\n[run]\n");
    out.push_str(&format!("people_per_agent = {}\n", whatif.people_per_agent));
    let mut params = String::new();
    for (name, value) in &whatif.params {
        let spec = spec(name).ok_or_else(|| {
            format!("`{name}` is not a parameter: `revsim list params` lists them")
        })?;
        if !value.is_finite() || !spec.contains(*value) {
            return Err(format!(
                "`{name}` = {value}: expected {}",
                spec.range_text()
            ));
        }
        if base.params.get(name) == Some(*value) {
            continue;
        }
        let text = match spec.kind {
            ParamKind::Flag => (*value >= 0.5).to_string(),
            ParamKind::Integer => format!("{}", value.round() as i64),
            ParamKind::Real => format!("{value:?}"),
        };
        params.push_str(&format!("{} = {text}\n", quoted(name)));
    }
    if !params.is_empty() {
        out.push_str("\n[params]\n");
        out.push_str(&params);
    }
    for change in &whatif.events {
        let event = base
            .events
            .iter()
            .find(|e| e.id == change.id)
            .ok_or_else(|| {
                format!(
                    "`{}` is not an event of {}: `revsim list events {}` lists them",
                    change.id, base.name, base.name
                )
            })?;
        let date = change
            .date
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty());
        let moved = match (&event.trigger, date) {
            (crate::scenario::Trigger::Date(old), Some(new)) => old.to_string() != new,
            (_, Some(_)) => {
                return Err(format!(
                    "`{}` happens when its conditions hold, not on a date: only its switch \
                     can change",
                    change.id
                ))
            }
            _ => false,
        };
        if change.enabled == event.enabled && !moved {
            continue;
        }
        out.push_str(&format!("\n[[events]]\nid = {}\n", quoted(&change.id)));
        if change.enabled != event.enabled {
            out.push_str(&format!("enabled = {}\n", change.enabled));
        }
        if let (true, Some(date)) = (moved, date) {
            out.push_str(&format!("date = {}\n", quoted(date)));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Scenario {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        crate::scenario::load_scenario(&root.join("baseline_1917.toml"), &root, &[])
            .expect("the baseline loads")
    }

    fn whatif(params: Vec<(String, f64)>, events: Vec<EventChange>) -> WhatIf {
        WhatIf {
            scenario: "baseline_1917".to_string(),
            name: "My what-if!".to_string(),
            title: "What if \"this\"?".to_string(),
            events,
            params,
            people_per_agent: 5000,
            runs: 2,
        }
    }

    #[test]
    fn only_what_changed_is_written_and_the_file_loads() {
        let base = base();
        let spec = &crate::model::params::registry()[0];
        let other = if base.params.get(&spec.name) == Some(spec.max) {
            spec.min
        } else {
            spec.max
        };
        let dated = base
            .events
            .iter()
            .find(|e| matches!(e.trigger, crate::scenario::Trigger::Date(_)))
            .expect("a dated event");
        let unchanged = base
            .events
            .iter()
            .find(|e| e.id != dated.id)
            .expect("another");
        let text = scenario_toml(
            &whatif(
                vec![(spec.name.clone(), other)],
                vec![
                    EventChange {
                        id: dated.id.clone(),
                        enabled: !dated.enabled,
                        date: None,
                    },
                    EventChange {
                        id: unchanged.id.clone(),
                        enabled: unchanged.enabled,
                        date: None,
                    },
                ],
            ),
            &base,
        )
        .expect("a valid what-if");
        assert!(text.contains("name = \"my_what_if_\""), "{text}");
        assert!(text.contains(&format!(
            "id = \"{}\"\nenabled = {}",
            dated.id, !dated.enabled
        )));
        assert!(
            !text.contains(&format!("id = \"{}\"", unchanged.id)),
            "{text}"
        );
        let dir = tempfile::tempdir().expect("a folder");
        let path = dir.path().join("my_what_if_.toml");
        std::fs::write(&path, &text).expect("written");
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let loaded = crate::scenario::load_scenario(&path, &root, &[]).expect("it loads");
        assert_eq!(loaded.params.get(&spec.name), Some(other));
        assert_eq!(loaded.run.people_per_agent, 5000);
        assert_eq!(loaded.title, "What if \"this\"?");
    }

    #[test]
    fn a_moved_date_is_written_and_read_back_and_a_condition_cannot_move() {
        let base = base();
        let dated = base
            .events
            .iter()
            .find(|e| matches!(e.trigger, crate::scenario::Trigger::Date(_)))
            .expect("a dated event");
        let crate::scenario::Trigger::Date(old) = &dated.trigger else {
            unreachable!("a dated event")
        };
        let new = old.add_days(14).to_string();
        let change = EventChange {
            id: dated.id.clone(),
            enabled: dated.enabled,
            date: Some(new.clone()),
        };
        let text = scenario_toml(&whatif(vec![], vec![change]), &base).expect("valid");
        assert!(text.contains(&format!("date = \"{new}\"")), "{text}");
        assert!(!text.contains("enabled ="), "{text}");
        let dir = tempfile::tempdir().expect("a folder");
        let path = dir.path().join("moved.toml");
        std::fs::write(&path, &text).expect("written");
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let loaded = crate::scenario::load_scenario(&path, &root, &[]).expect("it loads");
        let moved = loaded
            .events
            .iter()
            .find(|e| e.id == dated.id)
            .expect("kept");
        assert_eq!(
            moved.trigger,
            crate::scenario::Trigger::Date(old.add_days(14))
        );
        if let Some(conditional) = base
            .events
            .iter()
            .find(|e| matches!(e.trigger, crate::scenario::Trigger::Condition { .. }))
        {
            let change = EventChange {
                id: conditional.id.clone(),
                enabled: conditional.enabled,
                date: Some(new),
            };
            let error = scenario_toml(&whatif(vec![], vec![change]), &base).unwrap_err();
            assert!(error.contains("only its switch can change"), "{error}");
        }
    }

    #[test]
    fn unknown_or_out_of_range_input_is_refused_with_what_is_valid() {
        let base = base();
        let error =
            scenario_toml(&whatif(vec![("no.such".to_string(), 1.0)], vec![]), &base).unwrap_err();
        assert!(error.contains("`no.such` is not a parameter"), "{error}");
        let spec = &crate::model::params::registry()[0];
        let error = scenario_toml(
            &whatif(vec![(spec.name.clone(), spec.max + 1.0)], vec![]),
            &base,
        )
        .unwrap_err();
        assert!(error.contains(&spec.range_text()), "{error}");
        let change = EventChange {
            id: "no_such_event".to_string(),
            enabled: false,
            date: None,
        };
        let error = scenario_toml(&whatif(vec![], vec![change]), &base).unwrap_err();
        assert!(
            error.contains("revsim list events baseline_1917"),
            "{error}"
        );
    }
}
