//! Run settings and overrides, parsed once into a typed [`Override`]: the `[run]` table,
//! `--set name=value`, `--seed`, `--end`, `--people-per-agent`, and a sweep's `[set]` and
//! `[vary]`. Each run setting is declared once, in the `run_settings!` table below (its doc,
//! type, kind of value and default), from which `RunConfig`, the run variants of `Override`,
//! reading `[run]`, parsing `--set run.<key>=...` and the schema of `[run]` derive; a
//! parameter's type, range and default are in the registry (`model::params`).

use std::fmt;
use std::str::FromStr;

use serde_json::{json, Map, Value as Json};

use super::error::{nearest, ScenarioError};
use super::reader::{TomlReader, Value};
use crate::date::Date;
use crate::model::params::{registry, spec, ParamKind, Params};

/// First day simulated when no file sets `run.start`: 8 March 1917 (23 February Old Style),
/// the first day of the February Revolution in Petrograd.
pub const DEFAULT_START: &str = "1917-03-08";
/// Last day simulated when no file sets `run.end`: the end of 1922, when the Civil War is over
/// and the Soviet Union is founded.
pub const DEFAULT_END: &str = "1922-12-31";
/// Random seed when no file sets `run.seed`.
pub const DEFAULT_SEED: u64 = 1917;
/// Real people each agent stands for when no file sets `run.people_per_agent`.
pub const DEFAULT_PEOPLE_PER_AGENT: u32 = 1000;
/// The largest `run.people_per_agent` accepted (the smallest is 1).
pub const MAX_PEOPLE_PER_AGENT: u32 = 1_000_000;

/// A kind of run setting: how it is read from a file, parsed from `--set`'s text, written back
/// and described in the JSON Schema.
trait RunValue {
    type Value: Copy;

    fn read(
        file: &TomlReader<'_>,
        value: &Value<'_>,
        path: &str,
    ) -> Result<Self::Value, ScenarioError>;

    /// `text` as `--set run.<key>=text` gives it; the error says what would be valid.
    fn parse(key: &str, text: &str) -> Result<Self::Value, String>;

    fn text(value: Self::Value) -> String;

    fn schema() -> Json;
}

/// A date, `"YYYY-MM-DD"` or `"YYYY-MM-DD OS"`.
struct Day;

impl RunValue for Day {
    type Value = Date;

    fn read(file: &TomlReader<'_>, value: &Value<'_>, path: &str) -> Result<Date, ScenarioError> {
        file.date(value, path)
    }

    fn parse(_: &str, text: &str) -> Result<Date, String> {
        Date::parse(text).map_err(|error| error.to_string())
    }

    fn text(value: Date) -> String {
        value.to_string()
    }

    fn schema() -> Json {
        json!({ "$ref": "#/$defs/date" })
    }
}

/// A random seed: any non-negative integer.
struct SeedNumber;

impl RunValue for SeedNumber {
    type Value = u64;

    fn read(file: &TomlReader<'_>, value: &Value<'_>, path: &str) -> Result<u64, ScenarioError> {
        let seed = file.integer(value, path)?;
        u64::try_from(seed).map_err(|_| file.out_of_range(value, path, "a non-negative integer"))
    }

    fn parse(key: &str, text: &str) -> Result<u64, String> {
        text.parse()
            .map_err(|_| format!("run.{key} must be a non-negative integer, got `{text}`"))
    }

    fn text(value: u64) -> String {
        value.to_string()
    }

    fn schema() -> Json {
        json!({ "type": "integer", "minimum": 0 })
    }
}

/// Real people per agent, from 1 to [`MAX_PEOPLE_PER_AGENT`].
struct People;

impl RunValue for People {
    type Value = u32;

    fn read(file: &TomlReader<'_>, value: &Value<'_>, path: &str) -> Result<u32, ScenarioError> {
        read_people_per_agent(file, value, path)
    }

    fn parse(key: &str, text: &str) -> Result<u32, String> {
        text.parse()
            .ok()
            .and_then(people_per_agent)
            .ok_or_else(|| format!("run.{key} must be {}, got `{text}`", people_range()))
    }

    fn text(value: u32) -> String {
        value.to_string()
    }

    fn schema() -> Json {
        json!({ "type": "integer", "minimum": 1, "maximum": MAX_PEOPLE_PER_AGENT })
    }
}

/// Declares the run settings, once: `/// doc`, `Variant => key: Type as Kind = default`. The
/// `[run]` table ([`RunConfig`]), the run variants of [`Override`], reading `[run]`, parsing
/// `--set run.<key>=...` and the schema of `[run]` derive from it.
macro_rules! run_settings {
    ($( $(#[doc = $doc:literal])+ $variant:ident => $key:ident : $type:ty as $kind:ty = $default:expr, )+) => {
        /// The `[run]` table, resolved.
        #[derive(Debug, Clone, PartialEq)]
        pub struct RunConfig {
            $( $(#[doc = $doc])+ pub $key: $type, )+
        }

        /// One resolved value set over a scenario's: a rule parameter or a run setting.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Override {
            /// A parameter by its dotted name, with a value of its kind in its range.
            Param { name: String, value: f64 },
            /// An event lever, `event.<id>.enabled` or `event.<id>.date` (see [`EventLever`]).
            Event { id: String, lever: EventLever },
            $( #[doc = concat!("`run.", stringify!($key), "`")] $variant($type), )+
        }

        /// The keys of `[run]`, in the order messages list them.
        pub(crate) const RUN_KEYS: &[&str] = &[$(stringify!($key)),+];

        impl RunConfig {
            /// Every setting at its default, as when no file sets it.
            pub(crate) fn defaults() -> RunConfig {
                RunConfig {
                    $( $key: $default, )+
                }
            }
        }

        impl Override {
            /// `--set run.<key>=text`; `None` when `key` is not a run setting.
            fn run_from_text(key: &str, text: &str) -> Option<Result<Override, String>> {
                match key {
                    $( stringify!($key) => Some(<$kind>::parse(key, text).map(Override::$variant)), )+
                    _ => None,
                }
            }

            /// Reads `[run]`'s `key` from a file; `None` when `key` is not a run setting.
            pub(crate) fn read_run(
                file: &TomlReader<'_>,
                key: &str,
                value: &Value<'_>,
                path: &str,
            ) -> Option<Result<Override, ScenarioError>> {
                match key {
                    $( stringify!($key) => Some(<$kind>::read(file, value, path).map(Override::$variant)), )+
                    _ => None,
                }
            }

            /// Sets the value of a parameter or run setting. An event lever changes the
            /// scenario's events, which this does not hold: `load_scenario` applies it
            /// (`chain::apply_override`), checking that the event exists.
            pub fn apply(&self, run: &mut RunConfig, params: &mut Params) {
                match self {
                    Override::Param { name, value } => {
                        let known = params.set(name, *value);
                        debug_assert!(known, "{name} is in the registry but cannot be set");
                    }
                    Override::Event { .. } => {}
                    $( Override::$variant(value) => run.$key = *value, )+
                }
            }

            /// The dotted name: the parameter's, `run.<key>` or `event.<id>.<lever>`.
            pub fn name(&self) -> String {
                match self {
                    Override::Param { name, .. } => name.clone(),
                    Override::Event { id, lever } => lever.name(id),
                    $( Override::$variant(_) => concat!("run.", stringify!($key)).to_string(), )+
                }
            }

            /// The value as `--set` takes it.
            pub fn value_text(&self) -> String {
                match self {
                    Override::Param { name, value } => {
                        value_text(spec(name).map_or(ParamKind::Real, |s| s.kind), *value)
                    }
                    Override::Event { lever, .. } => lever.value_text(),
                    $( Override::$variant(value) => <$kind>::text(*value), )+
                }
            }
        }

        /// The JSON Schema of `[run]`'s keys, each with its doc and default.
        pub(crate) fn run_schema() -> Map<String, Json> {
            let mut properties = Map::new();
            $(
                let mut schema = <$kind>::schema();
                let doc = concat!($($doc, " "),+).split_whitespace().collect::<Vec<_>>().join(" ");
                let default = <$kind>::text($default);
                schema["description"] = json!(format!("{} (default {default}).", doc.trim_end_matches('.')));
                properties.insert(stringify!($key).into(), schema);
            )+
            properties
        }
    };
}

run_settings! {
    /// First day simulated.
    Start => start: Date as Day = default_date(DEFAULT_START),
    /// Last day simulated; after the start.
    End => end: Date as Day = default_date(DEFAULT_END),
    /// Random seed.
    Seed => seed: u64 as SeedNumber = DEFAULT_SEED,
    /// Real people each agent stands for.
    PeoplePerAgent => people_per_agent: u32 as People = DEFAULT_PEOPLE_PER_AGENT,
}

fn default_date(text: &str) -> Date {
    Date::parse(text).expect("a default date is valid")
}

/// The valid `run.people_per_agent`, for messages.
pub(crate) fn people_range() -> String {
    format!("an integer from 1 to {MAX_PEOPLE_PER_AGENT}")
}

/// The one range check of `run.people_per_agent`.
fn people_per_agent(number: i64) -> Option<u32> {
    u32::try_from(number)
        .ok()
        .filter(|p| (1..=MAX_PEOPLE_PER_AGENT).contains(p))
}

impl Override {
    /// Parses `value`, the text of `name` (a parameter or `run.<key>`), as `--set` takes it.
    /// The error names `name=value` and says what would be valid.
    pub fn parse(name: &str, value: &str) -> Result<Override, ScenarioError> {
        Override::from_text(name, value).map_err(|message| ScenarioError::BadOverride {
            text: format!("{name}={value}"),
            message,
        })
    }

    /// `run.people_per_agent`, checked.
    pub fn people_per_agent(people: u32) -> Result<Override, ScenarioError> {
        Override::parse("run.people_per_agent", &people.to_string())
    }

    fn from_text(name: &str, value: &str) -> Result<Override, String> {
        if let Some((id, field)) = event_lever_name(name) {
            let lever = field.parse(name, value)?;
            return Ok(Override::Event {
                id: id.to_string(),
                lever,
            });
        }
        if let Some(run) = name
            .strip_prefix("run.")
            .and_then(|key| Override::run_from_text(key, value))
        {
            return run;
        }
        let Some(spec) = spec(name) else {
            let run_names: Vec<String> = RUN_KEYS.iter().map(|key| format!("run.{key}")).collect();
            let candidates = run_names
                .iter()
                .map(String::as_str)
                .chain(registry().iter().map(|s| s.name.as_str()));
            let suggestion = nearest(name, candidates).or_else(|| nearest_param(name));
            let hint = match suggestion {
                Some(s) => format!(" (did you mean `{s}`?)"),
                None => String::new(),
            };
            return Err(format!(
                "unknown name `{name}`{hint}; --set takes a parameter (`revsim schema` \
                 lists them), an event lever `event.<id>.enabled` or `event.<id>.date`, or \
                 one of {}",
                run_names.join(", ")
            ));
        };
        let parsed = match spec.kind {
            ParamKind::Flag => match value {
                "true" => Some(1.0),
                "false" => Some(0.0),
                _ => None,
            },
            ParamKind::Integer => value.parse::<i64>().ok().map(|v| v as f64),
            ParamKind::Real => value.parse::<f64>().ok().filter(|v| v.is_finite()),
        };
        parsed
            .filter(|v| spec.contains(*v))
            .map(|value| Override::Param {
                name: name.to_string(),
                value,
            })
            .ok_or_else(|| format!("`{name}` must be {}, got `{value}`", spec.range_text()))
    }
}

/// Which part of an event a lever sets: `event.<id>.enabled` or `event.<id>.date`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventField {
    Enabled,
    Date,
}

/// The event fields a lever may set, in the order messages list them.
pub const EVENT_FIELDS: &[&str] = &["enabled", "date"];

impl EventField {
    /// The lever's value from `--set` text: `true`/`false`, or a date.
    pub fn parse(self, name: &str, value: &str) -> Result<EventLever, String> {
        match self {
            EventField::Enabled => match value {
                "true" => Ok(EventLever::Enabled(true)),
                "false" => Ok(EventLever::Enabled(false)),
                _ => Err(format!("`{name}` must be true or false, got `{value}`")),
            },
            EventField::Date => Date::parse(value)
                .map(EventLever::Date)
                .map_err(|error| format!("`{name}`: {error}")),
        }
    }
}

/// A policy lever on one event of the scenario: switch it on or off, or move the date of a
/// dated event. `revsim run --set event.<id>.enabled=false` and a sweep's `[set]` and `[vary]`
/// take it; the event must exist in the scenario (checked when the scenario loads).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventLever {
    Enabled(bool),
    Date(Date),
}

impl EventLever {
    pub fn field(self) -> EventField {
        match self {
            EventLever::Enabled(_) => EventField::Enabled,
            EventLever::Date(_) => EventField::Date,
        }
    }

    /// `event.<id>.<field>`.
    pub fn name(self, id: &str) -> String {
        let field = match self.field() {
            EventField::Enabled => "enabled",
            EventField::Date => "date",
        };
        format!("event.{id}.{field}")
    }

    pub fn value_text(self) -> String {
        match self {
            EventLever::Enabled(enabled) => enabled.to_string(),
            EventLever::Date(date) => date.to_string(),
        }
    }
}

/// `event.<id>.enabled` or `event.<id>.date`: the event's id and the field; `None` for any
/// other name.
pub fn event_lever_name(name: &str) -> Option<(&str, EventField)> {
    let rest = name.strip_prefix("event.")?;
    let (id, field) = rest.rsplit_once('.')?;
    if id.is_empty() {
        return None;
    }
    match field {
        "enabled" => Some((id, EventField::Enabled)),
        "date" => Some((id, EventField::Date)),
        _ => None,
    }
}

/// `run.people_per_agent` as written in a file.
pub(crate) fn read_people_per_agent(
    file: &TomlReader<'_>,
    value: &Value<'_>,
    path: &str,
) -> Result<u32, ScenarioError> {
    let people = file.integer(value, path)?;
    people_per_agent(people).ok_or_else(|| file.out_of_range(value, path, &people_range()))
}

/// The text of a value as `--set` takes it and `runs.csv` writes it: `true`/`false` for
/// flags, an integer for integers, and for reals Rust's shortest text that reads back to the
/// same number (`0`, not `-0`).
pub fn value_text(kind: ParamKind, value: f64) -> String {
    match kind {
        ParamKind::Flag => (value >= 0.5).to_string(),
        ParamKind::Integer => format!("{}", value.round() as i64),
        ParamKind::Real => {
            let text = format!("{value}");
            if text == "-0" {
                "0".to_string()
            } else {
                text
            }
        }
    }
}

/// `--set name=value`.
impl FromStr for Override {
    type Err = ScenarioError;

    fn from_str(text: &str) -> Result<Override, ScenarioError> {
        let malformed = || ScenarioError::BadOverride {
            text: text.to_string(),
            message: "expected name=value, e.g. --set allegiance.social_weight=0.5 \
                      or --set run.end=1919-12-31"
                .to_string(),
        };
        let (name, value) = text.split_once('=').ok_or_else(malformed)?;
        let name = name.trim();
        let value = unquote(value.trim());
        if name.is_empty() || value.is_empty() {
            return Err(malformed());
        }
        Override::parse(name, value)
    }
}

impl fmt::Display for Override {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.name(), self.value_text())
    }
}

fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if value.len() >= 2 && value.starts_with(quote) && value.ends_with(quote) {
            return &value[1..value.len() - 1];
        }
    }
    value
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
