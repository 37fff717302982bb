//! Reading scenario files: find by name, parse with byte spans, validate every key and value,
//! resolve `extends` chains, apply `--set` overrides.
//!
//! Each file of a chain is validated against its own text, so an error names the file, line
//! and column where it is. The first error in position order is reported, alone; the given file
//! is checked before the files it extends, and `--set` overrides last.
//!
//! Merge rules for `extends` (the parent is loaded first, then the child applied on top):
//! - `[scenario]`: the child's `title`, `about` and `sources` replace the parent's when set;
//!   `name` is never inherited (a file without one is named after its file stem).
//! - `[run]`: each key the child sets replaces the parent's.
//! - `[params]`: each parameter the child sets replaces the parent's value.
//! - `[[events]]`: merged by `id`. A child event whose id the parent has changes only the fields
//!   it sets (`enabled = false` disables it; a new `date` or `when` replaces its trigger; a new
//!   `actions` list replaces the actions); an event with a new id is appended and needs a trigger.

use std::collections::HashMap;
use std::fs;
use std::ops::Deref;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use toml::de::{DeTable, DeValue};

use super::action::{read_action, MAX_CONGRESS};
use super::error::{nearest, ScenarioError, SourceLocation};
use super::overrides::{
    Override, DEFAULT_END, DEFAULT_PEOPLE_PER_AGENT, DEFAULT_SEED, DEFAULT_START, RUN_KEYS,
};
use super::reader::{in_order, join_key, valid_name, Key, TomlReader, Value};
use super::{Action, Comparison, Condition, EventSpec, RunConfig, Scenario, Trigger};
use crate::date::Date;
use crate::model::ids::{Class, Region, Role};
use crate::model::params::{registry, spec, Params};

const TOP_KEYS: &[&str] = &["scenario", "run", "params", "events"];
const SCENARIO_KEYS: &[&str] = &["name", "title", "about", "sources", "extends"];
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
const CONDITION_KEYS: &[&str] = &["metric", "group", "at_least", "at_most"];
/// Finds a scenario: `name_or_path` itself if it is a file (or ends in `.toml`), else
/// `scenarios_dir/<name>.toml`.
pub fn find_scenario(name_or_path: &str, scenarios_dir: &Path) -> Result<PathBuf, ScenarioError> {
    let path = Path::new(name_or_path);
    if path.is_file() || name_or_path.ends_with(".toml") {
        return Ok(path.to_path_buf());
    }
    let candidate = scenarios_dir.join(format!("{name_or_path}.toml"));
    if candidate.is_file() {
        return Ok(candidate);
    }
    Err(unknown_scenario(None, name_or_path, scenarios_dir))
}

/// A scenario as `revsim list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioSummary {
    pub name: String,
    pub title: String,
    pub path: PathBuf,
}

/// Every `*.toml` file directly in `scenarios_dir` that has a `[scenario]` table (sweep files and
/// subfolders are skipped), sorted by name. A file that does not load is listed with the title
/// `(invalid: <reason>)`.
pub fn list_scenarios(scenarios_dir: &Path) -> Vec<ScenarioSummary> {
    let mut summaries = Vec::new();
    for path in toml_files(scenarios_dir) {
        let stem = file_stem(&path);
        let Ok(text) = fs::read_to_string(&path) else {
            summaries.push(ScenarioSummary {
                name: stem,
                title: "(invalid: cannot read the file)".to_string(),
                path,
            });
            continue;
        };
        let declared_name = match DeTable::parse(&text) {
            Err(error) => {
                summaries.push(ScenarioSummary {
                    name: stem,
                    title: format!("(invalid: {})", short(error.message())),
                    path,
                });
                continue;
            }
            Ok(root) => match root.get_ref().get("scenario") {
                None => continue,
                Some(table) => table
                    .get_ref()
                    .get("name")
                    .and_then(|name| name.get_ref().as_str())
                    .map(str::to_string),
            },
        };
        let summary = match load_scenario(&path, scenarios_dir, &[]) {
            Ok(scenario) => ScenarioSummary {
                name: scenario.name,
                title: scenario.title,
                path,
            },
            Err(error) => {
                let message = error.to_string();
                let own_prefix = format!("{}:", path.display());
                let reason = message.strip_prefix(&own_prefix).unwrap_or(&message);
                ScenarioSummary {
                    name: declared_name.unwrap_or(stem),
                    title: format!("(invalid: {})", short(reason)),
                    path,
                }
            }
        };
        summaries.push(summary);
    }
    summaries.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.path.cmp(&b.path)));
    summaries
}

fn short(text: &str) -> String {
    let first_line = text.lines().next().unwrap_or("").trim();
    if first_line.chars().count() > 120 {
        let cut: String = first_line.chars().take(117).collect();
        format!("{cut}...")
    } else {
        first_line.to_string()
    }
}

/// The `*.toml` files directly in `dir`, sorted by path.
fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == "toml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn unknown_scenario(
    location: Option<Box<SourceLocation>>,
    name: &str,
    dir: &Path,
) -> ScenarioError {
    let available: Vec<String> = toml_files(dir).iter().map(|p| file_stem(p)).collect();
    let wanted = name.strip_suffix(".toml").unwrap_or(name);
    let wanted = Path::new(wanted)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let suggestion = nearest(&wanted, available.iter().map(String::as_str));
    ScenarioError::UnknownScenario {
        location,
        name: name.to_string(),
        dir: dir.to_path_buf(),
        available,
        suggestion,
    }
}

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
        apply_override(&mut scenario, &mut provenance, item);
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

/// Reads the file and each file it extends; the given file first.
fn load_chain(path: &Path, scenarios_dir: &Path) -> Result<Vec<Layer>, ScenarioError> {
    let mut chain: Vec<Layer> = Vec::new();
    let mut seen: Vec<PathBuf> = Vec::new();
    let mut current = path.to_path_buf();
    loop {
        let text = fs::read_to_string(&current).map_err(|error| ScenarioError::Io {
            path: current.clone(),
            message: error.to_string(),
        })?;
        let layer = parse_layer(&current, text, scenarios_dir)?;
        seen.push(fs::canonicalize(&current).unwrap_or_else(|_| current.clone()));
        let parent = layer.extends.clone();
        chain.push(layer);
        let Some((parent, location)) = parent else {
            return Ok(chain);
        };
        let canonical = fs::canonicalize(&parent).unwrap_or_else(|_| parent.clone());
        if let Some(first) = seen.iter().position(|p| *p == canonical) {
            let mut names: Vec<String> =
                chain[first..].iter().map(|l| file_stem(&l.path)).collect();
            names.push(file_stem(&parent));
            return Err(ScenarioError::ExtendsCycle {
                location,
                chain: names,
            });
        }
        current = parent;
    }
}

/// Where a resolved run setting came from, for the end-after-start check.
#[derive(Debug, Clone)]
enum Origin {
    Default,
    File(Box<SourceLocation>),
    Override(String),
}

struct Provenance {
    start: Origin,
    end: Origin,
}

impl Provenance {
    /// Records where a run's start or end was set.
    fn set(&mut self, setting: &Override, origin: Origin) {
        match setting {
            Override::Start(_) => self.start = origin,
            Override::End(_) => self.end = origin,
            _ => {}
        }
    }
}

/// Applies the chain, base first.
fn merge(chain: &[Layer]) -> Result<(Scenario, Provenance), ScenarioError> {
    let child = &chain[0];
    let mut provenance = Provenance {
        start: Origin::Default,
        end: Origin::Default,
    };
    let mut title: Option<String> = None;
    let mut about = String::new();
    let mut sources = Vec::new();
    let mut run = RunConfig {
        start: Date::parse(DEFAULT_START).expect("valid default start"),
        end: Date::parse(DEFAULT_END).expect("valid default end"),
        seed: DEFAULT_SEED,
        people_per_agent: DEFAULT_PEOPLE_PER_AGENT,
    };
    let mut params = Params::default();
    let mut events: Vec<EventSpec> = Vec::new();

    for (depth, layer) in chain.iter().enumerate().rev() {
        if let Some(value) = &layer.title {
            title = Some(value.clone());
        }
        if let Some(value) = &layer.about {
            about = value.clone();
        }
        if let Some(value) = &layer.sources {
            sources = value.clone();
        }
        for (setting, location) in &layer.run {
            setting.apply(&mut run, &mut params);
            provenance.set(setting, Origin::File(location.clone()));
        }
        for setting in &layer.params {
            setting.apply(&mut run, &mut params);
        }
        for patch in &layer.events {
            if let Some(event) = events.iter_mut().find(|e| e.id == patch.id) {
                patch.apply(event);
                continue;
            }
            let Some(trigger) = patch.trigger.clone() else {
                let parents: Vec<String> = chain[depth + 1..].iter().map(Layer::name).collect();
                let suggestion = nearest(&patch.id, events.iter().map(|e| e.id.as_str()));
                let hint = match suggestion {
                    Some(name) => format!(" (did you mean `{name}`?)"),
                    None => String::new(),
                };
                return Err(ScenarioError::MissingKey {
                    location: patch.location.clone(),
                    key: format!("{}.date", patch.key),
                    help: format!(
                        "`{}` is not an event of {}{hint}, so it is a new event and needs a \
                         trigger: `date = \"YYYY-MM-DD\"` or a `when` table",
                        patch.id,
                        parents.join(" or ")
                    ),
                });
            };
            events.push(EventSpec {
                id: patch.id.clone(),
                enabled: patch.enabled.unwrap_or(true),
                description: patch.description.clone().unwrap_or_default(),
                sources: patch.sources.clone().unwrap_or_default(),
                trigger,
                actions: patch.actions.clone().unwrap_or_default(),
            });
        }
    }

    let name = child.name();
    let scenario = Scenario {
        title: title.unwrap_or_else(|| name.clone()),
        name,
        about,
        sources,
        path: child.path.clone(),
        extends: chain[1..].iter().map(Layer::name).collect(),
        run,
        params,
        events,
        hash: String::new(),
    };
    Ok((scenario, provenance))
}

fn apply_override(scenario: &mut Scenario, provenance: &mut Provenance, item: &Override) {
    item.apply(&mut scenario.run, &mut scenario.params);
    provenance.set(item, Origin::Override(item.to_string()));
}

fn check_dates(scenario: &Scenario, provenance: &Provenance) -> Result<(), ScenarioError> {
    let RunConfig { start, end, .. } = scenario.run;
    if end > start {
        return Ok(());
    }
    let message =
        format!("the run must end after it starts, but end {end} is not after start {start}");
    for origin in [&provenance.end, &provenance.start] {
        if let Origin::Override(text) = origin {
            return Err(ScenarioError::BadOverride {
                text: text.clone(),
                message,
            });
        }
    }
    let (location, key) = match (&provenance.end, &provenance.start) {
        (Origin::File(location), _) => (location.clone(), "run.end"),
        (_, Origin::File(location)) => (location.clone(), "run.start"),
        _ => unreachable!("the default run ends after it starts"),
    };
    Err(ScenarioError::Invalid {
        location,
        key: key.to_string(),
        message,
    })
}

/// The nearest parameter name to `name`: a close spelling, or else the one parameter whose
/// name ends with it (`social_weight` for `allegiance.social_weight`).
pub(crate) fn nearest_param(name: &str) -> Option<String> {
    if let Some(found) = nearest(name, registry().iter().map(|s| s.name.as_str())) {
        return Some(found);
    }
    let suffix = format!(".{name}");
    let mut matches = registry().iter().filter(|s| s.name.ends_with(&suffix));
    match (matches.next(), matches.next()) {
        (Some(only), None) => Some(only.name.clone()),
        _ => None,
    }
}

/// One file of a chain, validated but not merged.
struct Layer {
    path: PathBuf,
    text: String,
    name: Option<String>,
    title: Option<String>,
    about: Option<String>,
    sources: Option<Vec<String>>,
    /// The parent file and where `extends` names it.
    extends: Option<(PathBuf, Box<SourceLocation>)>,
    /// `[run]`, in file order, with where each is written.
    run: Vec<(Override, Box<SourceLocation>)>,
    /// `[params]`, in file order.
    params: Vec<Override>,
    events: Vec<EventPatch>,
}

impl Layer {
    fn name(&self) -> String {
        self.name.clone().unwrap_or_else(|| file_stem(&self.path))
    }
}

/// An `[[events]]` entry of one file: a whole event, or the fields that change an inherited one.
#[derive(Debug, Clone)]
struct EventPatch {
    id: String,
    /// `events[i]`, for messages.
    key: String,
    location: Box<SourceLocation>,
    enabled: Option<bool>,
    description: Option<String>,
    sources: Option<Vec<String>>,
    trigger: Option<Trigger>,
    actions: Option<Vec<Action>>,
}

impl EventPatch {
    fn apply(&self, event: &mut EventSpec) {
        if let Some(enabled) = self.enabled {
            event.enabled = enabled;
        }
        if let Some(description) = &self.description {
            event.description = description.clone();
        }
        if let Some(sources) = &self.sources {
            event.sources = sources.clone();
        }
        if let Some(trigger) = &self.trigger {
            event.trigger = trigger.clone();
        }
        if let Some(actions) = &self.actions {
            event.actions = actions.clone();
        }
    }
}

/// Parses and validates one file.
fn parse_layer(path: &Path, text: String, scenarios_dir: &Path) -> Result<Layer, ScenarioError> {
    let mut layer = {
        let file = File(TomlReader { path, text: &text });
        file.parse(scenarios_dir)?
    };
    layer.text = text;
    Ok(layer)
}

/// One file's text, for locations and values.
struct File<'a>(TomlReader<'a>);

impl<'a> Deref for File<'a> {
    type Target = TomlReader<'a>;

    fn deref(&self) -> &TomlReader<'a> {
        &self.0
    }
}

impl<'a> File<'a> {
    fn parse(&self, scenarios_dir: &Path) -> Result<Layer, ScenarioError> {
        let root = DeTable::parse(self.text).map_err(|error| ScenarioError::Syntax {
            location: self.loc(error.span().unwrap_or(0..0)),
            message: error.message().to_string(),
        })?;
        let root = root.get_ref();
        let scenario_table = root.get("scenario");
        let has_extends = scenario_table
            .and_then(|t| t.get_ref().as_table())
            .is_some_and(|t| t.contains_key("extends"));

        let mut layer = Layer {
            path: self.path.to_path_buf(),
            text: String::new(),
            name: None,
            title: None,
            about: None,
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
        if !has_extends && layer.name.is_none() {
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
            match key.get_ref().as_ref() {
                "name" => {
                    let name = self.string(value, &path)?;
                    if !valid_name(name) {
                        return Err(ScenarioError::Invalid {
                            location: self.loc(value.span()),
                            key: path,
                            message: format!(
                                "{name:?} cannot name a scenario (it names the output folder): \
                                 use letters, digits, `_`, `-` and `.`"
                            ),
                        });
                    }
                    layer.name = Some(name.to_string());
                }
                "title" => layer.title = Some(self.string(value, &path)?.to_string()),
                "about" => layer.about = Some(self.string(value, &path)?.to_string()),
                "sources" => layer.sources = Some(self.strings(value, &path)?),
                "extends" => {
                    let name = self.string(value, &path)?;
                    let location = self.loc(value.span());
                    let parent = resolve_extends(name, self.path, scenarios_dir, &location)?;
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
        collect_params(table, "", &mut leaves);
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

    fn events(
        &self,
        value: &Value<'_>,
        has_extends: bool,
    ) -> Result<Vec<EventPatch>, ScenarioError> {
        let items = self.array(value, "events", "an array of tables ([[events]])")?;
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
                    let id = self.string(value, &path)?;
                    if !valid_name(id) {
                        return Err(ScenarioError::Invalid {
                            location: self.loc(value.span()),
                            key: path,
                            message: format!(
                                "{id:?} cannot be an event id: use letters, digits, `_`, `-` and `.`"
                            ),
                        });
                    }
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
                "sources" => patch.sources = Some(self.strings(value, &path)?),
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

    fn condition(&self, value: &Value<'_>, prefix: &str) -> Result<Condition, ScenarioError> {
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

/// Every leaf of a `[params]` table with its full dotted name. A table is a leaf when its
/// dotted name is a parameter (so that the value is reported as the wrong type).
fn collect_params<'t, 'i>(
    table: &'t DeTable<'i>,
    prefix: &str,
    out: &mut Vec<(String, &'t Key<'i>, &'t Value<'i>)>,
) {
    for (key, value) in table.iter() {
        let name = if prefix.is_empty() {
            key.get_ref().to_string()
        } else {
            format!("{prefix}.{}", key.get_ref())
        };
        match value.get_ref() {
            DeValue::Table(inner) if spec(&name).is_none() => collect_params(inner, &name, out),
            _ => out.push((name, key, value)),
        }
    }
}

/// The file `extends = "..."` names: a path relative to the file when it looks like one,
/// else a scenario in `scenarios_dir`.
fn resolve_extends(
    name: &str,
    child: &Path,
    scenarios_dir: &Path,
    location: &SourceLocation,
) -> Result<PathBuf, ScenarioError> {
    if name.ends_with(".toml") || name.contains('/') || name.contains('\\') {
        let dir = child.parent().unwrap_or(Path::new("."));
        let path = dir.join(name);
        if path.is_file() {
            return Ok(path);
        }
        return Err(unknown_scenario(
            Some(Box::new(location.clone())),
            name,
            dir,
        ));
    }
    let path = scenarios_dir.join(format!("{name}.toml"));
    if path.is_file() {
        return Ok(path);
    }
    Err(unknown_scenario(
        Some(Box::new(location.clone())),
        name,
        scenarios_dir,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ids::Regime;
    use crate::scenario::Policy;

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
                    metric: "legitimacy".to_string(),
                    group: "all".to_string(),
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
    fn list_skips_non_scenarios_and_marks_invalid_files() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "zeta",
            "[scenario]\nname = \"zeta\"\ntitle = \"Z\"\n",
        );
        write(
            dir.path(),
            "alpha",
            "[scenario]\nname = \"alpha\"\n[run]\nsed = 1\n",
        );
        write(dir.path(), "sweep", "[sweep]\nname = \"s\"\n");
        write(dir.path(), "broken", "[scenario\n");
        let list = list_scenarios(dir.path());
        let names: Vec<&str> = list.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["alpha", "broken", "zeta"]);
        assert!(list[0].title.starts_with("(invalid: "), "{}", list[0].title);
        assert!(list[0].title.contains("seed"), "{}", list[0].title);
        assert!(list[1].title.starts_with("(invalid: "), "{}", list[1].title);
        assert_eq!(list[2].title, "Z");
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
