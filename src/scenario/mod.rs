//! Scenario files: parse, inherit (`extends`), override (`--set`), validate.
//!
//! A [`Scenario`] is fully resolved and valid: every parameter has a value in range, every
//! event has a known trigger and actions. Nothing runs on an invalid file.

mod action;
mod chain;
mod condition;
mod error;
mod events;
mod find;
mod load;
mod overrides;
mod reader;
mod schema;

pub use action::{Action, ParamSetting, Policy};
pub(crate) use error::nearest;
pub use error::{ScenarioError, SourceLocation};
pub use events::MAX_EVENTS;
pub use find::{find_scenario, list_scenarios, ScenarioSummary};
pub(crate) use find::{names_a_path, resolve_reference};
pub use load::load_scenario;
pub(crate) use overrides::nearest_param;
pub use overrides::{
    event_lever_name, value_text, EventField, EventLever, Override, RunConfig, DEFAULT_SEED,
    EVENT_FIELDS, MAX_PEOPLE_PER_AGENT,
};
pub(crate) use overrides::{people_range, read_people_per_agent};
pub(crate) use reader::{
    collect_leaves, in_order, join_key, line_starts, name_or_stem, read_source, valid_name, Intro,
    Key, TomlReader, Value,
};
pub use reader::{MAX_FILE_BYTES, MAX_NAME_BYTES};
pub use schema::json_schema;

use std::path::PathBuf;

use crate::date::Date;
use crate::metrics::{GroupKey, Metric};
use crate::model::params::Params;

/// A validated, fully resolved scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: String,
    pub title: String,
    pub about: String,
    pub sources: Vec<String>,
    /// The file it was read from.
    pub path: PathBuf,
    /// The chain of files it inherits from, nearest first.
    pub extends: Vec<String>,
    pub run: RunConfig,
    pub params: Params,
    /// Events in the order they were declared, with `extends` merged by id.
    pub events: Vec<EventSpec>,
    /// SHA-256 of the resolved scenario (files and overrides), hex.
    pub hash: String,
}

/// One `[[events]]` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct EventSpec {
    pub id: String,
    pub enabled: bool,
    pub description: String,
    pub sources: Vec<String>,
    pub trigger: Trigger,
    pub actions: Vec<Action>,
}

/// When an event fires.
#[derive(Debug, Clone, PartialEq)]
pub enum Trigger {
    /// On the first step whose week contains this date.
    Date(Date),
    /// On the first step on or after `earliest` when every condition holds; never after `latest`.
    Condition {
        all: Vec<Condition>,
        earliest: Option<Date>,
        latest: Option<Date>,
    },
}

/// A test on a model metric as last measured, e.g. `soviet.share.bolsheviks` of
/// `soviet.petrograd` at or above 0.5.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub metric: Metric,
    pub group: GroupKey,
    pub comparison: Comparison,
    pub value: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// `>=`
    AtLeast,
    /// `<=`
    AtMost,
}
