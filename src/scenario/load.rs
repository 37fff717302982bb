//! Loading a scenario: parse each file of its `extends` chain with byte spans, validate every
//! key and value, merge the chain (`chain.rs`), apply overrides (`overrides.rs`).
//!
//! Each file of a chain is validated against its own text, so an error names the file, line
//! and column where it is. The first error in position order is reported, alone; the given file
//! is checked before the files it extends, and `--set` overrides last. `[[events]]` are read in
//! `events.rs`, their conditions in `condition.rs` and their actions in `action.rs`.

use std::collections::HashMap;
use std::ops::Deref;
use std::path::Path;

use sha2::{Digest, Sha256};
use toml::de::DeTable;

use super::chain::{apply_override, check_dates, load_chain, merge, Layer};
use super::error::{ScenarioError, SourceLocation};
use super::find::resolve_reference;
use super::overrides::{nearest_param, Override, RUN_KEYS};
use super::reader::{collect_leaves, in_order, join_key, line_starts, Intro, TomlReader, Value};
use super::Scenario;
use crate::model::params::spec;

const TOP_KEYS: &[&str] = &["scenario", "run", "params", "events"];
const SCENARIO_KEYS: &[&str] = &["name", "title", "about", "sources", "extends"];

/// Loads, validates and resolves a scenario: its `extends` chain, then `overrides` in order.
/// `scenarios_dir` is where `extends = "name"` looks.
pub fn load_scenario(
    path: &Path,
    scenarios_dir: &Path,
    overrides: &[Override],
) -> Result<Scenario, ScenarioError> {
    let chain = load_chain(path, scenarios_dir)?;
    let (mut scenario, mut provenance) = merge(&chain)?;
    for item in overrides {
        apply_override(&mut scenario, &mut provenance, item)?;
    }
    check_dates(&scenario, &provenance)?;

    let mut hasher = Sha256::new();
    for layer in chain.iter().rev() {
        hasher.update(b"file\0");
        hasher.update((layer.text.len() as u64).to_le_bytes());
        hasher.update(layer.text.as_bytes());
    }
    for item in overrides {
        hasher.update(b"set\0");
        hasher.update(item.to_string().as_bytes());
        hasher.update(b"\n");
    }
    scenario.hash = format!("{:x}", hasher.finalize());
    Ok(scenario)
}

/// Parses and validates one file.
pub(super) fn parse_layer(
    path: &Path,
    text: String,
    scenarios_dir: &Path,
) -> Result<Layer, ScenarioError> {
    let mut layer = {
        let starts = line_starts(&text);
        let file = File(TomlReader {
            path,
            text: &text,
            line_starts: &starts,
        });
        file.parse(scenarios_dir)?
    };
    layer.text = text;
    Ok(layer)
}

/// One file's text, for locations and values.
pub(super) struct File<'a>(TomlReader<'a>);

impl<'a> Deref for File<'a> {
    type Target = TomlReader<'a>;

    fn deref(&self) -> &TomlReader<'a> {
        &self.0
    }
}

impl<'a> File<'a> {
    fn parse(&self, scenarios_dir: &Path) -> Result<Layer, ScenarioError> {
        let root = self.parse_root()?;
        let root = root.get_ref();
        let scenario_table = root.get("scenario");
        let has_extends = scenario_table
            .and_then(|t| t.get_ref().as_table())
            .is_some_and(|t| t.contains_key("extends"));

        let mut layer = Layer {
            path: self.path.to_path_buf(),
            text: String::new(),
            intro: Intro::default(),
            sources: None,
            extends: None,
            run: Vec::new(),
            params: Vec::new(),
            events: Vec::new(),
        };
        for (key, value) in in_order(root) {
            match key.get_ref().as_ref() {
                "scenario" => self.scenario_table(value, scenarios_dir, &mut layer)?,
                "run" => self.run_table(value, &mut layer)?,
                "params" => {
                    let table = self.table(value, "params")?;
                    layer.params = self.params(table)?;
                }
                "events" => layer.events = self.events(value, has_extends)?,
                _ => return Err(self.unknown_key(key, "", "the top-level table", TOP_KEYS)),
            }
        }
        if !has_extends && layer.intro.name.is_none() {
            let location = match scenario_table {
                Some(table) => self.loc(table.span()),
                None => self.loc(0..0),
            };
            return Err(ScenarioError::MissingKey {
                location,
                key: "scenario.name".to_string(),
                help: "a scenario that extends no other needs a name: add \
                       `[scenario]` with `name = \"...\"`"
                    .to_string(),
            });
        }
        Ok(layer)
    }

    fn scenario_table(
        &self,
        value: &Value<'_>,
        scenarios_dir: &Path,
        layer: &mut Layer,
    ) -> Result<(), ScenarioError> {
        let table = self.table(value, "scenario")?;
        for (key, value) in in_order(table) {
            let path = join_key("scenario", key.get_ref());
            if self.intro_key(key.get_ref(), value, &path, "scenario", &mut layer.intro)? {
                continue;
            }
            match key.get_ref().as_ref() {
                "sources" => layer.sources = Some(self.sources(value, &path)?),
                "extends" => {
                    let name = self.string(value, &path)?;
                    let location = self.loc(value.span());
                    let parent = resolve_reference(name, self.path, scenarios_dir, &location)?;
                    layer.extends = Some((parent, location));
                }
                _ => return Err(self.unknown_key(key, "scenario", "[scenario]", SCENARIO_KEYS)),
            }
        }
        Ok(())
    }

    fn run_table(&self, value: &Value<'_>, layer: &mut Layer) -> Result<(), ScenarioError> {
        let table = self.table(value, "run")?;
        for (key, value) in in_order(table) {
            let path = join_key("run", key.get_ref());
            match Override::read_run(self, key.get_ref(), value, &path) {
                Some(setting) => layer.run.push((setting?, self.loc(value.span()))),
                None => return Err(self.unknown_key(key, "run", "[run]", RUN_KEYS)),
            }
        }
        Ok(())
    }

    /// `[params]`, flat (`"a.b" = 1`) or nested (`[params.a] b = 1`, `a.b = 1`), in file order.
    fn params(&self, table: &DeTable<'_>) -> Result<Vec<Override>, ScenarioError> {
        let mut leaves = Vec::new();
        collect_leaves(table, "", &|name, _| spec(name).is_some(), &mut leaves);
        leaves.sort_by_key(|(_, key, _)| key.span().start);
        let mut set: Vec<Override> = Vec::new();
        let mut first_at: HashMap<String, Box<SourceLocation>> = HashMap::new();
        for (name, key, value) in leaves {
            let path = join_key("params", &name);
            let Some(spec) = spec(&name) else {
                return Err(ScenarioError::UnknownParam {
                    location: self.loc(key.span()),
                    key: path,
                    suggestion: nearest_param(&name),
                    name,
                });
            };
            let number = self.param_value(value, &path, spec)?;
            if let Some(first) = first_at.get(&name) {
                return Err(ScenarioError::Invalid {
                    location: self.loc(key.span()),
                    key: path,
                    message: format!("set twice in this file (first at {first})"),
                });
            }
            first_at.insert(name.clone(), self.loc(key.span()));
            set.push(Override::Param {
                name,
                value: number,
            });
        }
        Ok(set)
    }
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::PathBuf;

    use super::*;
    use crate::date::Date;
    use crate::model::ids::Regime;
    use crate::model::params::Params;
    use crate::scenario::overrides::{DEFAULT_PEOPLE_PER_AGENT, DEFAULT_SEED, DEFAULT_START};
    use crate::scenario::{Action, Comparison, Condition, Policy, RunConfig, Trigger};

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(format!("{name}.toml"));
        fs::write(&path, text).unwrap();
        path
    }

    const PARENT: &str = r#"
[scenario]
name = "parent"
title = "The parent"
about = "A base."
sources = ["000:1"]

[run]
end = "1920-12-31"
seed = 7

[params]
"allegiance.social_weight" = 0.4

[[events]]
id = "first"
date = "1917-05-01"
actions = [ { do = "convene_congress", number = 1 } ]

[[events]]
id = "second"
description = "Second"
date = "1917-10-25 OS"
actions = [ { do = "set_policy", policy = "regime", value = "sovnarkom" } ]
"#;

    #[test]
    fn child_changes_only_what_it_sets() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "parent", PARENT);
        let child = write(
            dir.path(),
            "child",
            r#"
[scenario]
extends = "parent"
title = "The child"

[run]
seed = 9

[[events]]
id = "first"
enabled = false

[[events]]
id = "second"
date = "1918-01-01"

[[events]]
id = "third"
when = { all = [ { metric = "legitimacy", at_most = 0.2 } ], earliest = "1918-03-01" }
actions = [ { do = "constituent_election" } ]
"#,
        );
        let scenario = load_scenario(&child, dir.path(), &[]).unwrap();
        assert_eq!(scenario.name, "child");
        assert_eq!(scenario.title, "The child");
        assert_eq!(scenario.about, "A base.");
        assert_eq!(scenario.sources, vec!["000:1".to_string()]);
        assert_eq!(scenario.extends, vec!["parent".to_string()]);
        assert_eq!(scenario.run.seed, 9);
        assert_eq!(scenario.run.end.to_string(), "1920-12-31");
        assert_eq!(scenario.run.start.to_string(), DEFAULT_START);
        assert_eq!(scenario.run.people_per_agent, DEFAULT_PEOPLE_PER_AGENT);
        assert_eq!(scenario.params.get("allegiance.social_weight"), Some(0.4));

        let ids: Vec<&str> = scenario.events.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["first", "second", "third"]);
        let first = &scenario.events[0];
        assert!(!first.enabled);
        assert_eq!(first.actions, vec![Action::ConveneCongress { number: 1 }]);
        let second = &scenario.events[1];
        assert!(second.enabled);
        assert_eq!(second.description, "Second");
        assert_eq!(
            second.trigger,
            Trigger::Date(Date::from_ymd(1918, 1, 1).unwrap())
        );
        assert_eq!(
            second.actions,
            vec![Action::SetPolicy(Policy::Regime(Regime::Sovnarkom))]
        );
        let third = &scenario.events[2];
        assert_eq!(
            third.trigger,
            Trigger::Condition {
                all: vec![Condition {
                    metric: crate::metrics::Metric::of(crate::metrics::Family::Legitimacy),
                    group: crate::metrics::GroupKey::All,
                    comparison: Comparison::AtMost,
                    value: 0.2,
                }],
                earliest: Some(Date::from_ymd(1918, 3, 1).unwrap()),
                latest: None,
            }
        );
    }

    #[test]
    fn defaults_apply_when_no_file_sets_run() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "bare", "[scenario]\nname = \"bare\"\n");
        let scenario = load_scenario(&path, dir.path(), &[]).unwrap();
        assert_eq!(scenario.title, "bare");
        assert_eq!(
            scenario.run,
            RunConfig {
                start: Date::from_ymd(1917, 3, 8).unwrap(),
                end: Date::from_ymd(1922, 12, 31).unwrap(),
                seed: DEFAULT_SEED,
                people_per_agent: DEFAULT_PEOPLE_PER_AGENT,
            }
        );
        assert_eq!(scenario.params, Params::default());
        assert!(scenario.events.is_empty());
        assert!(scenario.extends.is_empty());
    }

    #[test]
    fn grandchild_lists_parents_nearest_first_and_hash_covers_chain_and_overrides() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "parent", PARENT);
        write(
            dir.path(),
            "child",
            "[scenario]\nextends = \"parent\"\nname = \"kid\"\n",
        );
        let grandchild = write(
            dir.path(),
            "grandchild",
            "[scenario]\nextends = \"child\"\n",
        );
        let scenario = load_scenario(&grandchild, dir.path(), &[]).unwrap();
        assert_eq!(scenario.name, "grandchild");
        assert_eq!(
            scenario.extends,
            vec!["kid".to_string(), "parent".to_string()]
        );
        assert_eq!(scenario.hash.len(), 64);

        let again = load_scenario(&grandchild, dir.path(), &[]).unwrap();
        assert_eq!(again.hash, scenario.hash);
        let set: Override = "run.seed=3".parse().unwrap();
        let overridden = load_scenario(&grandchild, dir.path(), &[set]).unwrap();
        assert_ne!(overridden.hash, scenario.hash);
        assert_eq!(overridden.run.seed, 3);

        write(
            dir.path(),
            "parent",
            &PARENT.replace("seed = 7", "seed = 8"),
        );
        let changed = load_scenario(&grandchild, dir.path(), &[]).unwrap();
        assert_ne!(changed.hash, scenario.hash);
    }

    #[test]
    fn new_event_in_child_needs_a_trigger_and_near_ids_are_suggested() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "parent", PARENT);
        let child = write(
            dir.path(),
            "child",
            "[scenario]\nextends = \"parent\"\n\n[[events]]\nid = \"frist\"\nenabled = false\n",
        );
        let error = load_scenario(&child, dir.path(), &[]).unwrap_err();
        match &error {
            ScenarioError::MissingKey {
                location,
                key,
                help,
            } => {
                assert_eq!((location.line, location.column), (4, 1));
                assert_eq!(key, "events[0].date");
                assert!(help.contains("did you mean `first`?"), "{help}");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn nested_and_flat_params_and_overrides_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "nested",
            "[scenario]\nname = \"nested\"\n[params.allegiance]\nsocial_weight = 0.9\n\
             [params.program.bolsheviks]\npeace = 1\n",
        );
        let overrides: Vec<Override> = [
            "allegiance.social_weight=0.1",
            "allegiance.social_weight=0.2",
        ]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
        let scenario = load_scenario(&path, dir.path(), &[]).unwrap();
        assert_eq!(scenario.params.get("allegiance.social_weight"), Some(0.9));
        assert_eq!(scenario.params.get("program.bolsheviks.peace"), Some(1.0));
        let scenario = load_scenario(&path, dir.path(), &overrides).unwrap();
        assert_eq!(scenario.params.get("allegiance.social_weight"), Some(0.2));
    }

    #[test]
    fn run_must_end_after_start() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "backwards",
            "[scenario]\nname = \"b\"\n[run]\nstart = \"1918-01-01\"\nend = \"1917-12-31\"\n",
        );
        let error = load_scenario(&path, dir.path(), &[]).unwrap_err();
        assert!(
            matches!(&error, ScenarioError::Invalid { key, .. } if key == "run.end"),
            "{error}"
        );
        assert_eq!(error.location().unwrap().line, 5);

        let ok = write(dir.path(), "ok", "[scenario]\nname = \"ok\"\n");
        let set: Override = "run.end=1917-01-01".parse().unwrap();
        let error = load_scenario(&ok, dir.path(), &[set]).unwrap_err();
        assert!(
            matches!(error, ScenarioError::BadOverride { .. }),
            "{error}"
        );
    }

    #[test]
    fn override_syntax() {
        let parsed: Override = " run.end = \"1919-12-31\" ".parse().unwrap();
        assert_eq!(parsed, Override::End(Date::from_ymd(1919, 12, 31).unwrap()));
        assert_eq!(parsed.to_string(), "run.end=1919-12-31");
        assert!(matches!(
            "novalue".parse::<Override>(),
            Err(ScenarioError::BadOverride { .. })
        ));
        assert!(matches!(
            "=1".parse::<Override>(),
            Err(ScenarioError::BadOverride { .. })
        ));
    }
}
