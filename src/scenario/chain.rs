//! The `extends` chain: reading each file a scenario extends, and merging them.
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
use std::path::{Path, PathBuf};

use super::error::{nearest, ScenarioError, SourceLocation};
use super::find::file_stem;
use super::load::parse_layer;
use super::overrides::{EventLever, Override};
use super::reader::{name_or_stem, read_source, Intro};
use super::{Action, EventSpec, RunConfig, Scenario, Trigger};
use crate::model::params::Params;

/// Reads the file and each file it extends; the given file first.
pub(super) fn load_chain(path: &Path, scenarios_dir: &Path) -> Result<Vec<Layer>, ScenarioError> {
    let mut chain: Vec<Layer> = Vec::new();
    let mut seen: Vec<PathBuf> = Vec::new();
    let mut current = path.to_path_buf();
    loop {
        let text = read_source(&current)?;
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
pub(super) enum Origin {
    Default,
    File(Box<SourceLocation>),
    Override(String),
}

pub(super) struct Provenance {
    start: Origin,
    end: Origin,
    /// Where each event's trigger was last set, by event, with its key.
    triggers: Vec<(Box<SourceLocation>, String)>,
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
pub(super) fn merge(chain: &[Layer]) -> Result<(Scenario, Provenance), ScenarioError> {
    let child = &chain[0];
    let mut provenance = Provenance {
        start: Origin::Default,
        end: Origin::Default,
        triggers: Vec::new(),
    };
    let mut title: Option<String> = None;
    let mut about = String::new();
    let mut sources = Vec::new();
    let mut run = RunConfig::defaults();
    let mut params = Params::default();
    let mut events: Vec<EventSpec> = Vec::new();
    // Where each id is in `events`, so that merging is linear in the number of events.
    let mut index: HashMap<String, usize> = HashMap::new();

    for (depth, layer) in chain.iter().enumerate().rev() {
        if let Some(value) = &layer.intro.title {
            title = Some(value.clone());
        }
        if let Some(value) = &layer.intro.about {
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
            if let Some(&at) = index.get(&patch.id) {
                patch.apply(&mut events[at]);
                if patch.trigger.is_some() {
                    provenance.triggers[at] = patch.trigger_at();
                }
                continue;
            }
            let parents: Vec<String> = chain[depth + 1..].iter().map(Layer::name).collect();
            let hint = || match nearest(&patch.id, events.iter().map(|e| e.id.as_str())) {
                Some(name) => format!(" (did you mean `{name}`?)"),
                None => String::new(),
            };
            let Some(trigger) = patch.trigger.clone() else {
                let hint = hint();
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
            if !parents.is_empty() && patch.actions.as_ref().is_none_or(Vec::is_empty) {
                // A misspelt id of an inherited event would make a new, empty event while the
                // real one still fires.
                return Err(ScenarioError::MissingKey {
                    location: patch.location.clone(),
                    key: format!("{}.actions", patch.key),
                    help: format!(
                        "`{}` is not an event of {}{}, so it is a new event and needs actions",
                        patch.id,
                        parents.join(" or "),
                        hint()
                    ),
                });
            }
            index.insert(patch.id.clone(), events.len());
            provenance.triggers.push(patch.trigger_at());
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

    let name = name_or_stem(&child.path, child.intro.name.as_ref(), "scenario")?;
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

/// Applies one override; an event lever must name an event of the scenario (a date lever, a
/// dated one).
pub(super) fn apply_override(
    scenario: &mut Scenario,
    provenance: &mut Provenance,
    item: &Override,
) -> Result<(), ScenarioError> {
    if let Override::Event { id, lever } = item {
        let bad = |message: String| ScenarioError::BadOverride {
            text: item.to_string(),
            message,
        };
        let Some(event) = scenario.events.iter_mut().find(|e| &e.id == id) else {
            let ids: Vec<&str> = scenario.events.iter().map(|e| e.id.as_str()).collect();
            let hint = nearest(id, ids.iter().copied())
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err(bad(format!(
                "scenario `{}` has no event `{id}`{hint}; its events: {}",
                scenario.name,
                if ids.is_empty() {
                    "none".to_string()
                } else {
                    ids.join(", ")
                }
            )));
        };
        match (lever, &mut event.trigger) {
            (EventLever::Enabled(enabled), _) => event.enabled = *enabled,
            (EventLever::Date(date), Trigger::Date(at)) => {
                if *date < scenario.run.start {
                    return Err(bad(format!(
                        "the run starts on {}: an event dated before it would never happen; \
                         date it on or after the start, or set event.{id}.enabled=false",
                        scenario.run.start
                    )));
                }
                *at = *date
            }
            (EventLever::Date(_), Trigger::Condition { .. }) => {
                return Err(bad(format!(
                    "event `{id}` is triggered by conditions, not a date: only a dated event's \
                     date can be set (its `enabled` can)"
                )))
            }
        }
    } else {
        item.apply(&mut scenario.run, &mut scenario.params);
    }
    provenance.set(item, Origin::Override(item.to_string()));
    Ok(())
}

pub(super) fn check_dates(
    scenario: &Scenario,
    provenance: &Provenance,
) -> Result<(), ScenarioError> {
    let RunConfig { start, end, .. } = scenario.run;
    if end > start {
        return check_event_dates(scenario, provenance);
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

/// An event dated before the run starts would fire in week 0 as if on the start date.
fn check_event_dates(scenario: &Scenario, provenance: &Provenance) -> Result<(), ScenarioError> {
    let start = scenario.run.start;
    for (event, (location, key)) in scenario.events.iter().zip(&provenance.triggers) {
        let date = match &event.trigger {
            Trigger::Date(date) => *date,
            Trigger::Condition { .. } => continue,
        };
        if event.enabled && date < start {
            return Err(ScenarioError::Invalid {
                location: location.clone(),
                key: key.clone(),
                message: format!(
                    "event `{}` is dated {date}, before the run starts on {start}: date it on \
                     or after the start, disable it (`enabled = false`), or start the run earlier",
                    event.id
                ),
            });
        }
    }
    Ok(())
}

/// One file of a chain, validated but not merged.
pub(super) struct Layer {
    pub(super) path: PathBuf,
    pub(super) text: String,
    pub(super) intro: Intro,
    pub(super) sources: Option<Vec<String>>,
    /// The parent file and where `extends` names it.
    pub(super) extends: Option<(PathBuf, Box<SourceLocation>)>,
    /// `[run]`, in file order, with where each is written.
    pub(super) run: Vec<(Override, Box<SourceLocation>)>,
    /// `[params]`, in file order.
    pub(super) params: Vec<Override>,
    pub(super) events: Vec<EventPatch>,
}

impl Layer {
    fn name(&self) -> String {
        self.intro
            .name
            .clone()
            .unwrap_or_else(|| file_stem(&self.path))
    }
}

/// An `[[events]]` entry of one file: a whole event, or the fields that change an inherited one.
#[derive(Debug, Clone)]
pub(super) struct EventPatch {
    pub(super) id: String,
    /// `events[i]`, for messages.
    pub(super) key: String,
    pub(super) location: Box<SourceLocation>,
    pub(super) enabled: Option<bool>,
    pub(super) description: Option<String>,
    pub(super) sources: Option<Vec<String>>,
    pub(super) trigger: Option<Trigger>,
    pub(super) actions: Option<Vec<Action>>,
}

impl EventPatch {
    /// Where this patch sets its trigger, and the key.
    fn trigger_at(&self) -> (Box<SourceLocation>, String) {
        (self.location.clone(), format!("{}.date", self.key))
    }

    pub(super) fn apply(&self, event: &mut EventSpec) {
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
