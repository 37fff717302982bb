//! The JSON Schema (draft 2020-12) of scenario files, printed by `revsim schema` so that editors
//! (e.g. with Taplo or Even Better TOML) check files as people type. It is built from the same
//! tables the loader validates against: the parameter registry, the id vocabularies, the
//! run settings and the event actions. The loader is the authority; the schema is a strict subset of what
//! it accepts (e.g. it lists `[params]` by flat dotted name only).

use serde_json::{json, Map, Value};

use super::action::{action_schema, ACTIONS};
use super::overrides::run_schema;
use crate::model::params::{registry, ParamKind};

/// `"YYYY-MM-DD"` (Gregorian) or `"YYYY-MM-DD OS"` (Old Style).
const DATE_PATTERN: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}( +OS)?$";
/// Scenario names and event ids: they name folders and rows of `events.csv`.
const NAME_PATTERN: &str = "^[A-Za-z0-9_-][A-Za-z0-9_.-]*$";

/// The JSON Schema of the scenario file format.
pub fn json_schema() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "revsim scenario",
        "description": "A revsim scenario file (TOML): a baseline, or changes to one it `extends`.",
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "scenario": scenario_table(),
            "run": run_table(),
            "params": params_table(),
            "events": {
                "description": "Events, merged by id with those of the scenario this one extends.",
                "type": "array",
                "items": { "$ref": "#/$defs/event" }
            }
        },
        "$defs": {
            "date": {
                "description": "A date: \"YYYY-MM-DD\" (Gregorian) or \"YYYY-MM-DD OS\" (Old Style, Julian).",
                "type": "string",
                "pattern": DATE_PATTERN
            },
            "sources": {
                "description": "Passages of the source texts, as \"NNN:L\" or \"NNN:L-M\" (file number : lines).",
                "type": "array",
                "items": { "type": "string" }
            },
            "event": event(),
            "when": when(),
            "condition": condition(),
            "action": {
                "description": "What an event does; `do` names the action.",
                "oneOf": ACTIONS.iter().map(action_schema).collect::<Vec<_>>()
            }
        }
    })
}

fn scenario_table() -> Value {
    json!({
        "description": "Who the scenario is and what it inherits.",
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "name": {
                "description": "The scenario's name (the output folder). Required in a file that extends no other; otherwise the file name.",
                "type": "string",
                "pattern": NAME_PATTERN
            },
            "title": { "description": "One line for `revsim list` and plots.", "type": "string" },
            "about": { "description": "What the scenario asks, in a few sentences.", "type": "string" },
            "sources": { "$ref": "#/$defs/sources" },
            "extends": {
                "description": "The scenario this one changes: a name in the scenarios folder, or a path relative to this file.",
                "type": "string"
            }
        }
    })
}

fn run_table() -> Value {
    json!({
        "description": "How the run is set up; each key overrides the scenario this one extends.",
        "type": "object",
        "additionalProperties": false,
        "properties": run_schema()
    })
}

fn described(reference: &str, description: &str) -> Value {
    json!({ "$ref": reference, "description": description })
}

/// One property per registry entry.
fn params_table() -> Value {
    let mut properties = Map::new();
    for spec in registry() {
        let mut property = Map::new();
        let sources = if spec.sources.is_empty() {
            String::new()
        } else {
            format!(" Sources: {}.", spec.sources.join(", "))
        };
        property.insert(
            "description".into(),
            json!(format!("{}.{sources}", spec.doc.trim_end_matches('.'))),
        );
        match spec.kind {
            ParamKind::Flag => {
                property.insert("type".into(), json!("boolean"));
                property.insert("default".into(), json!(spec.default >= 0.5));
            }
            ParamKind::Integer => {
                property.insert("type".into(), json!("integer"));
                property.insert("minimum".into(), json!(spec.min as i64));
                property.insert("maximum".into(), json!(spec.max as i64));
                property.insert("default".into(), json!(spec.default as i64));
            }
            ParamKind::Real => {
                property.insert("type".into(), json!("number"));
                property.insert("minimum".into(), json!(spec.min));
                property.insert("maximum".into(), json!(spec.max));
                property.insert("default".into(), json!(spec.default));
            }
        }
        properties.insert(spec.name.clone(), Value::Object(property));
    }
    json!({
        "description": "Rule parameters by dotted name, e.g. \"allegiance.social_weight\" = 0.5.",
        "type": "object",
        "additionalProperties": false,
        "properties": properties
    })
}

fn event() -> Value {
    json!({
        "description": "An event: a trigger (`date` or `when`) and actions. In a scenario that extends another, an event with an inherited id changes only the keys it sets (e.g. `enabled = false`).",
        "type": "object",
        "additionalProperties": false,
        "required": ["id"],
        "not": { "required": ["date", "when"] },
        "properties": {
            "id": { "description": "Unique within the file; merges with an inherited event of the same id.", "type": "string", "pattern": NAME_PATTERN },
            "enabled": { "description": "false: the event never fires.", "type": "boolean", "default": true },
            "description": { "type": "string" },
            "sources": { "$ref": "#/$defs/sources" },
            "date": described("#/$defs/date", "Fires on the step whose week contains this date."),
            "when": { "$ref": "#/$defs/when" },
            "actions": { "type": "array", "items": { "$ref": "#/$defs/action" } }
        }
    })
}

fn when() -> Value {
    json!({
        "description": "Fires on the first step on or after `earliest` when every condition holds; never after `latest`.",
        "type": "object",
        "additionalProperties": false,
        "required": ["all"],
        "properties": {
            "all": { "type": "array", "minItems": 1, "items": { "$ref": "#/$defs/condition" } },
            "earliest": { "$ref": "#/$defs/date" },
            "latest": { "$ref": "#/$defs/date" }
        }
    })
}

fn condition() -> Value {
    json!({
        "description": "A test on a metric as last measured, e.g. { metric = \"soviet.share.bolsheviks\", group = \"soviet.petrograd\", at_least = 0.5 }.",
        "type": "object",
        "additionalProperties": false,
        "required": ["metric"],
        "oneOf": [ { "required": ["at_least"] }, { "required": ["at_most"] } ],
        "properties": {
            "metric": { "enum": crate::metrics::Metric::all().map(|m| m.to_string()).collect::<Vec<_>>() },
            "group": { "enum": crate::metrics::GroupKey::all().map(|g| g.to_string()).collect::<Vec<_>>(), "default": "all" },
            "at_least": { "type": "number" },
            "at_most": { "type": "number" }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every object schema forbids unknown keys.
    fn check_closed(value: &Value, path: &str) {
        match value {
            Value::Object(map) => {
                if map.get("type") == Some(&json!("object")) {
                    assert_eq!(
                        map.get("additionalProperties"),
                        Some(&json!(false)),
                        "{path}"
                    );
                }
                for (key, inner) in map {
                    check_closed(inner, &format!("{path}/{key}"));
                }
            }
            Value::Array(items) => {
                for (i, inner) in items.iter().enumerate() {
                    check_closed(inner, &format!("{path}/{i}"));
                }
            }
            _ => {}
        }
    }

    #[test]
    fn schema_has_every_parameter_and_action() {
        let schema = json_schema();
        let params = &schema["properties"]["params"]["properties"];
        for spec in registry() {
            let property = &params[spec.name.as_str()];
            assert!(property.is_object(), "{} missing", spec.name);
            assert!(property["description"].as_str().unwrap().len() > 1);
        }
        let actions = schema["$defs"]["action"]["oneOf"].as_array().unwrap();
        for spec in ACTIONS {
            assert!(
                actions
                    .iter()
                    .any(|a| a["properties"]["do"]["const"] == json!(spec.name)),
                "{}",
                spec.name
            );
        }
        check_closed(&schema, "");
    }

    #[test]
    fn schema_is_serializable_json() {
        let text = serde_json::to_string_pretty(&json_schema()).unwrap();
        assert!(text.contains("2020-12"));
        assert!(text.contains("allegiance.social_weight"));
    }
}
