//! Run settings and overrides, parsed once into a typed [`Override`]: the `[run]` table,
//! `--set name=value`, `--seed`, `--end`, `--people-per-agent`, and a sweep's `[set]` and
//! `[vary]`. Each run setting's type, range and default is stated here; a parameter's is in
//! the registry (`model::params`).

use std::fmt;
use std::str::FromStr;

use super::error::{nearest, ScenarioError};
use super::reader::{TomlReader, Value};
use super::RunConfig;
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

/// The keys of `[run]`, in the order messages list them.
pub(crate) const RUN_KEYS: &[&str] = &["start", "end", "seed", "people_per_agent"];

/// One resolved value set over a scenario's: a rule parameter or a run setting.
#[derive(Debug, Clone, PartialEq)]
pub enum Override {
    /// A parameter by its dotted name, with a value of its kind in its range.
    Param { name: String, value: f64 },
    /// `run.start`
    Start(Date),
    /// `run.end`
    End(Date),
    /// `run.seed`
    Seed(u64),
    /// `run.people_per_agent`
    PeoplePerAgent(u32),
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
        match name {
            "run.start" | "run.end" => {
                let date = Date::parse(value).map_err(|error| error.to_string())?;
                Ok(if name == "run.start" {
                    Override::Start(date)
                } else {
                    Override::End(date)
                })
            }
            "run.seed" => value
                .parse()
                .map(Override::Seed)
                .map_err(|_| format!("run.seed must be a non-negative integer, got `{value}`")),
            "run.people_per_agent" => value
                .parse()
                .ok()
                .and_then(people_per_agent)
                .map(Override::PeoplePerAgent)
                .ok_or_else(|| {
                    format!(
                        "run.people_per_agent must be {}, got `{value}`",
                        people_range()
                    )
                }),
            _ => {
                let Some(spec) = spec(name) else {
                    let run_names: Vec<String> =
                        RUN_KEYS.iter().map(|key| format!("run.{key}")).collect();
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
                         lists them) or one of {}",
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
    }

    /// Reads `[run]`'s `key` from a file; `None` when `key` is not a run setting.
    pub(crate) fn read_run(
        file: &TomlReader<'_>,
        key: &str,
        value: &Value<'_>,
        path: &str,
    ) -> Option<Result<Override, ScenarioError>> {
        let read = match key {
            "start" => file.date(value, path).map(Override::Start),
            "end" => file.date(value, path).map(Override::End),
            "seed" => file.integer(value, path).and_then(|seed| {
                u64::try_from(seed)
                    .map(Override::Seed)
                    .map_err(|_| file.out_of_range(value, path, "a non-negative integer"))
            }),
            "people_per_agent" => {
                read_people_per_agent(file, value, path).map(Override::PeoplePerAgent)
            }
            _ => return None,
        };
        Some(read)
    }

    /// Sets the value.
    pub fn apply(&self, run: &mut RunConfig, params: &mut Params) {
        match self {
            Override::Param { name, value } => {
                let known = params.set(name, *value);
                debug_assert!(known, "{name} is in the registry but cannot be set");
            }
            Override::Start(date) => run.start = *date,
            Override::End(date) => run.end = *date,
            Override::Seed(seed) => run.seed = *seed,
            Override::PeoplePerAgent(people) => run.people_per_agent = *people,
        }
    }

    /// The dotted name: the parameter's, or `run.<key>`.
    pub fn name(&self) -> &str {
        match self {
            Override::Param { name, .. } => name,
            Override::Start(_) => "run.start",
            Override::End(_) => "run.end",
            Override::Seed(_) => "run.seed",
            Override::PeoplePerAgent(_) => "run.people_per_agent",
        }
    }

    /// The value as `--set` takes it.
    pub fn value_text(&self) -> String {
        match self {
            Override::Param { name, value } => {
                value_text(spec(name).map_or(ParamKind::Real, |s| s.kind), *value)
            }
            Override::Start(date) | Override::End(date) => date.to_string(),
            Override::Seed(seed) => seed.to_string(),
            Override::PeoplePerAgent(people) => people.to_string(),
        }
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
