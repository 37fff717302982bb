//! Errors in scenario files and `--set` overrides. Every message names where (file:line:col,
//! or the command line), the key (a dotted path such as `params."allegiance.social_weight"` or
//! `events[2].actions[0].do`), what was found and what would be valid, with the nearest valid
//! name when one is close. The command line maps every [`ScenarioError`] to exit status 2.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::date::DateError;
use crate::metrics::MetricError;

/// A position in a scenario file, 1-based; the column counts characters, not bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SourceLocation {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
}

impl SourceLocation {
    /// The line and column of byte `offset` in `text` (clamped to the text; a non-boundary
    /// offset counts as the character it falls in).
    pub fn from_offset(file: &Path, text: &str, offset: usize) -> SourceLocation {
        let offset = offset.min(text.len());
        let before = text.as_bytes()[..offset].to_vec();
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        SourceLocation {
            file: file.to_path_buf(),
            line,
            column,
        }
    }
}

impl fmt::Display for SourceLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// Why a scenario (or a `--set` override) is invalid. Nothing runs on an invalid scenario.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("cannot read scenario file {}: {message}", .path.display())]
    Io { path: PathBuf, message: String },

    /// The file is not valid TOML.
    #[error("{location}: TOML syntax error: {message}")]
    Syntax {
        location: Box<SourceLocation>,
        message: String,
    },

    /// A key that this table does not have.
    #[error(
        "{location}: unknown key `{key}`{}; valid keys in {table}: {}",
        did_you_mean(.suggestion),
        list(.valid)
    )]
    UnknownKey {
        location: Box<SourceLocation>,
        /// The full dotted path of the unknown key.
        key: String,
        /// The table it is in, e.g. `[run]` or `events[2]`.
        table: String,
        valid: Vec<String>,
        suggestion: Option<String>,
    },

    /// A parameter name that the registry does not have.
    #[error(
        "{location}: `{key}`: unknown parameter `{name}`{}; `revsim schema` lists every parameter",
        did_you_mean(.suggestion)
    )]
    UnknownParam {
        location: Box<SourceLocation>,
        key: String,
        name: String,
        suggestion: Option<String>,
    },

    /// A value of the wrong TOML type.
    #[error("{location}: `{key}` must be {expected}, found {found}")]
    WrongType {
        location: Box<SourceLocation>,
        key: String,
        expected: String,
        found: String,
    },

    /// A number outside its valid range.
    #[error("{location}: `{key}` = {value} is out of range: expected {range}")]
    OutOfRange {
        location: Box<SourceLocation>,
        key: String,
        value: String,
        range: String,
    },

    /// A date that cannot be read or does not exist.
    #[error("{location}: `{key}`: {source}")]
    BadDate {
        location: Box<SourceLocation>,
        key: String,
        source: DateError,
    },

    /// An event action (`do = ...`) that does not exist.
    #[error(
        "{location}: `{key}`: unknown action `{found}`{}; valid actions: {}",
        did_you_mean(.suggestion),
        list(.valid)
    )]
    UnknownAction {
        location: Box<SourceLocation>,
        key: String,
        found: String,
        valid: Vec<String>,
        suggestion: Option<String>,
    },

    /// A string that must be one of a fixed set of ids (a party, region, policy, side, ...).
    #[error(
        "{location}: `{key}`: unknown {what} `{found}`{}; valid values: {}",
        did_you_mean(.suggestion),
        list(.valid)
    )]
    UnknownValue {
        location: Box<SourceLocation>,
        key: String,
        /// What kind of id, e.g. "party" or "region".
        what: &'static str,
        found: String,
        valid: Vec<String>,
        suggestion: Option<String>,
    },

    /// A required key is absent.
    #[error("{location}: missing `{key}`: {help}")]
    MissingKey {
        location: Box<SourceLocation>,
        key: String,
        help: String,
    },

    /// `extends` or a command-line scenario names no scenario.
    #[error(
        "{}: no scenario named `{name}` in {}{}; available scenarios: {}",
        where_or_command_line(.location),
        .dir.display(),
        did_you_mean(.suggestion),
        list_or_none(.available)
    )]
    UnknownScenario {
        /// Where `extends` names it; `None` when it came from the command line.
        location: Option<Box<SourceLocation>>,
        name: String,
        dir: PathBuf,
        available: Vec<String>,
        suggestion: Option<String>,
    },

    /// A chain of `extends` that comes back to a file already in it.
    #[error("{location}: `scenario.extends` makes a cycle: {}", .chain.join(" -> "))]
    ExtendsCycle {
        location: Box<SourceLocation>,
        /// The scenarios in the cycle, the first repeated at the end.
        chain: Vec<String>,
    },

    /// A `--set name=value` that is malformed, names nothing, or is out of range.
    #[error("command line: --set {text}: {message}")]
    BadOverride { text: String, message: String },

    /// Two events in one file with the same id.
    #[error(
        "{location}: `{key}`: duplicate event id `{id}` (first defined at {first}); \
         every event in a file needs its own id"
    )]
    DuplicateEventId {
        location: Box<SourceLocation>,
        key: String,
        id: String,
        first: Box<SourceLocation>,
    },

    /// Any other invalid value, e.g. an end date before the start.
    #[error("{location}: `{key}`: {message}")]
    Invalid {
        location: Box<SourceLocation>,
        key: String,
        message: String,
    },
}

impl ScenarioError {
    /// Where in a file the error is; `None` for unreadable files and the command line.
    pub fn location(&self) -> Option<&SourceLocation> {
        match self {
            ScenarioError::Io { .. } | ScenarioError::BadOverride { .. } => None,
            ScenarioError::UnknownScenario { location, .. } => location.as_deref(),
            ScenarioError::Syntax { location, .. }
            | ScenarioError::UnknownKey { location, .. }
            | ScenarioError::UnknownParam { location, .. }
            | ScenarioError::WrongType { location, .. }
            | ScenarioError::OutOfRange { location, .. }
            | ScenarioError::BadDate { location, .. }
            | ScenarioError::UnknownAction { location, .. }
            | ScenarioError::UnknownValue { location, .. }
            | ScenarioError::MissingKey { location, .. }
            | ScenarioError::ExtendsCycle { location, .. }
            | ScenarioError::DuplicateEventId { location, .. }
            | ScenarioError::Invalid { location, .. } => Some(&**location),
        }
    }
}

impl ScenarioError {
    /// A (metric, group) pair the metric registry refused, located at the key that is wrong:
    /// the metric's, or the group's.
    pub(crate) fn from_metric(
        error: MetricError,
        metric: (Box<SourceLocation>, String),
        group: (Box<SourceLocation>, String),
    ) -> ScenarioError {
        let (valid, suggestion) = (error.valid(), error.suggestion().map(String::from));
        let ((location, key), what, found) = match error {
            MetricError::UnknownMetric { found, .. } => (metric, "metric", found),
            MetricError::UnknownGroup { found, .. } => (group, "group", found),
            MetricError::NotMeasuredFor { group: found, .. } => {
                (group, "group of this metric", found)
            }
        };
        ScenarioError::UnknownValue {
            location,
            key,
            what,
            found,
            valid,
            suggestion,
        }
    }
}

fn did_you_mean(suggestion: &Option<String>) -> String {
    match suggestion {
        Some(name) => format!(" (did you mean `{name}`?)"),
        None => String::new(),
    }
}

fn list(items: &[String]) -> String {
    items.join(", ")
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".to_string()
    } else {
        items.join(", ")
    }
}

fn where_or_command_line(location: &Option<Box<SourceLocation>>) -> String {
    match location {
        Some(location) => location.to_string(),
        None => "command line".to_string(),
    }
}

/// The candidate nearest to `found` when it is close enough to be a likely typo: at most one
/// edit per three characters (at least one edit), ignoring case. Ties go to the first candidate.
pub(crate) fn nearest<'a, I>(found: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let found_lower = found.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let distance = strsim::osa_distance(&found_lower, &candidate.to_lowercase());
        let longest = found.chars().count().max(candidate.chars().count());
        if distance > (longest / 3).max(1) {
            continue;
        }
        if best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, name)| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_one_based_and_count_characters() {
        let text = "a = 1\nbé = \"x\"\n";
        let at = |offset| SourceLocation::from_offset(Path::new("f.toml"), text, offset);
        assert_eq!((at(0).line, at(0).column), (1, 1));
        assert_eq!((at(6).line, at(6).column), (2, 1));
        // "bé = " is 6 bytes but 5 characters: the quote is column 6.
        assert_eq!((at(12).line, at(12).column), (2, 6));
        assert_eq!(at(12).to_string(), "f.toml:2:6");
    }

    #[test]
    fn error_is_small_enough_to_return() {
        assert!(std::mem::size_of::<ScenarioError>() <= 128);
    }

    #[test]
    fn nearest_suggests_only_close_names() {
        let names = ["start", "end", "seed", "people_per_agent"];
        assert_eq!(nearest("sed", names), Some("seed".to_string()));
        assert_eq!(
            nearest("people_per_agnet", names),
            Some("people_per_agent".to_string())
        );
        assert_eq!(nearest("SEED", names), Some("seed".to_string()));
        assert_eq!(nearest("banana", names), None);
    }
}
