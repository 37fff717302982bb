//! Typed reads of spanned TOML values, shared by the scenario and sweep parsers: each read
//! names the key path and the value's place in the file when the value is the wrong type or
//! out of range.

use std::io::Read;
use std::ops::Range;
use std::path::Path;

use toml::de::{DeString, DeTable, DeValue};
use toml::Spanned;

use super::error::{nearest, ScenarioError, SourceLocation};
use crate::date::Date;
use crate::model::params::{ParamKind, ParamSpec};

pub(crate) type Value<'i> = Spanned<DeValue<'i>>;
pub(crate) type Key<'i> = Spanned<DeString<'i>>;

/// The largest scenario or sweep file read, in bytes: the shipped baseline is about 40 KB, so
/// this leaves room for generated event lists while refusing `/dev/zero` and its kind before a
/// byte is read.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// The text of a scenario or sweep file: only a regular file (after symlinks) of at most
/// [`MAX_FILE_BYTES`] is read, so a FIFO or a device is refused instead of blocking or eating
/// memory; bytes that are not UTF-8 are a syntax error at their line and column.
pub(crate) fn read_source(path: &Path) -> Result<String, ScenarioError> {
    let io_error = |message: String| ScenarioError::Io {
        path: path.to_path_buf(),
        message,
    };
    let metadata = std::fs::metadata(path).map_err(|error| io_error(error.to_string()))?;
    if !metadata.is_file() {
        return Err(io_error(
            "not a regular file (a folder, FIFO or device is never read as a scenario or sweep)"
                .to_string(),
        ));
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(io_error(format!(
            "{} bytes is over the limit of {MAX_FILE_BYTES} bytes for a scenario or sweep file",
            metadata.len()
        )));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|error| io_error(error.to_string()))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(io_error(format!(
            "grew past the limit of {MAX_FILE_BYTES} bytes while being read"
        )));
    }
    String::from_utf8(bytes).map_err(|error| {
        let valid = error.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(&error.as_bytes()[..valid]);
        ScenarioError::Syntax {
            location: Box::new(SourceLocation::from_offset(path, &text, valid)),
            message: "the file is not valid UTF-8 here (save it as UTF-8)".to_string(),
        }
    })
}

/// The name, title and about with which a scenario or sweep file introduces itself.
#[derive(Debug, Clone, Default)]
pub(crate) struct Intro {
    pub(crate) name: Option<String>,
    pub(crate) title: Option<String>,
    pub(crate) about: Option<String>,
}

/// One file's text, for locations and typed values.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TomlReader<'a> {
    pub(crate) path: &'a Path,
    pub(crate) text: &'a str,
    /// The byte offset of each line's start ([`line_starts`]), so that a location costs the
    /// length of its line, not of the text before it: a file of 16 k events loads in linear
    /// time.
    pub(crate) line_starts: &'a [usize],
}

/// The byte offset at which each line of `text` starts.
pub(crate) fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

impl TomlReader<'_> {
    pub(crate) fn loc(&self, span: Range<usize>) -> Box<SourceLocation> {
        let offset = span.start.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let start = self.line_starts[line - 1];
        let mut location =
            SourceLocation::from_offset(self.path, &self.text[start..], offset - start);
        location.line = line;
        Box::new(location)
    }

    pub(crate) fn unknown_key(
        &self,
        key: &Key<'_>,
        prefix: &str,
        table: &str,
        valid: &[&str],
    ) -> ScenarioError {
        ScenarioError::UnknownKey {
            location: self.loc(key.span()),
            key: join_key(prefix, key.get_ref()),
            table: table.to_string(),
            suggestion: nearest(key.get_ref(), valid.iter().copied()),
            valid: valid.iter().map(|k| k.to_string()).collect(),
        }
    }

    /// `found`, the text of `value` at `path`, is not one of `valid`, the `what`s there are.
    pub(crate) fn unknown_value(
        &self,
        value: &Value<'_>,
        path: &str,
        what: &'static str,
        found: &str,
        valid: &[&str],
    ) -> ScenarioError {
        ScenarioError::UnknownValue {
            location: self.loc(value.span()),
            key: path.to_string(),
            what,
            found: found.to_string(),
            suggestion: nearest(found, valid.iter().copied()),
            valid: valid.iter().map(|v| v.to_string()).collect(),
        }
    }

    /// What a value is, with its text, for messages: "a string `\"abc\"`".
    pub(crate) fn found(&self, value: &Value<'_>) -> String {
        let kind = match value.get_ref() {
            DeValue::String(_) => "a string",
            DeValue::Integer(_) => "an integer",
            DeValue::Float(_) => "a decimal number",
            DeValue::Boolean(_) => "a boolean",
            DeValue::Datetime(_) => "a TOML date-time",
            DeValue::Array(_) => "an array",
            DeValue::Table(_) => "a table",
        };
        format!("{kind} `{}`", self.snippet(value.span()))
    }

    pub(crate) fn snippet(&self, span: Range<usize>) -> String {
        let text = self.text.get(span).unwrap_or("");
        let first_line = text.lines().next().unwrap_or("");
        if first_line.chars().count() > 40 || first_line.len() < text.trim_end().len() {
            let cut: String = first_line.chars().take(40).collect();
            format!("{cut}...")
        } else {
            first_line.to_string()
        }
    }

    pub(crate) fn wrong_type(
        &self,
        value: &Value<'_>,
        path: &str,
        expected: &str,
    ) -> ScenarioError {
        ScenarioError::WrongType {
            location: self.loc(value.span()),
            key: path.to_string(),
            expected: expected.to_string(),
            found: self.found(value),
        }
    }

    pub(crate) fn out_of_range(&self, value: &Value<'_>, path: &str, range: &str) -> ScenarioError {
        ScenarioError::OutOfRange {
            location: self.loc(value.span()),
            key: path.to_string(),
            value: self.snippet(value.span()),
            range: range.to_string(),
        }
    }

    pub(crate) fn table<'v, 'i>(
        &self,
        value: &'v Value<'i>,
        path: &str,
    ) -> Result<&'v DeTable<'i>, ScenarioError> {
        value
            .get_ref()
            .as_table()
            .ok_or_else(|| self.wrong_type(value, path, "a table"))
    }

    /// `table[key]`, or an error located at `within` that names `path.key` and says with
    /// `help` what would be valid.
    pub(crate) fn required<'t, 'i>(
        &self,
        table: &'t DeTable<'i>,
        key: &str,
        within: &Value<'_>,
        path: &str,
        help: impl FnOnce() -> String,
    ) -> Result<&'t Value<'i>, ScenarioError> {
        table.get(key).ok_or_else(|| ScenarioError::MissingKey {
            location: self.loc(within.span()),
            key: format!("{path}.{key}"),
            help: help(),
        })
    }

    pub(crate) fn array<'v, 'i>(
        &self,
        value: &'v Value<'i>,
        path: &str,
        expected: &str,
    ) -> Result<&'v [Value<'i>], ScenarioError> {
        match value.get_ref() {
            DeValue::Array(items) => Ok(items),
            _ => Err(self.wrong_type(value, path, expected)),
        }
    }

    pub(crate) fn string<'v>(
        &self,
        value: &'v Value<'_>,
        path: &str,
    ) -> Result<&'v str, ScenarioError> {
        value
            .get_ref()
            .as_str()
            .ok_or_else(|| self.wrong_type(value, path, "a string"))
    }

    /// A string that names a file, folder or row (letters, digits, `_`, `-` and `.`); else an
    /// error that says it cannot `what`, e.g. "be an event id".
    /// Reads `key` of a file's head table into `intro` when it is `name`, `title` or `about`
    /// (`kind`: "scenario" or "sweep"); `Ok(false)` for any other key.
    pub(crate) fn intro_key(
        &self,
        key: &str,
        value: &Value<'_>,
        path: &str,
        kind: &str,
        intro: &mut Intro,
    ) -> Result<bool, ScenarioError> {
        match key {
            "name" => {
                let what = format!("name a {kind} (it names the output folder)");
                intro.name = Some(self.name(value, path, &what)?.to_string());
            }
            "title" => intro.title = Some(self.string(value, path)?.to_string()),
            "about" => intro.about = Some(self.string(value, path)?.to_string()),
            _ => return Ok(false),
        }
        Ok(true)
    }

    pub(crate) fn name<'v>(
        &self,
        value: &'v Value<'_>,
        path: &str,
        what: &str,
    ) -> Result<&'v str, ScenarioError> {
        let name = self.string(value, path)?;
        if valid_name(name) {
            return Ok(name);
        }
        Err(ScenarioError::Invalid {
            location: self.loc(value.span()),
            key: path.to_string(),
            message: format!(
                "{name:?} cannot {what}: use letters, digits, `_`, `-` and `.`, not starting \
                 with `.`, at most {MAX_NAME_BYTES} bytes"
            ),
        })
    }

    /// A file's root table, or its TOML syntax error at its place; a duplicate key is named.
    pub(crate) fn parse_root(&self) -> Result<toml::Spanned<DeTable<'_>>, ScenarioError> {
        DeTable::parse(self.text).map_err(|error| {
            let span = error.span().unwrap_or(0..0);
            let mut message = error.message().trim_end().to_string();
            let key = self.snippet(span.clone());
            if message.starts_with("duplicate key") && !key.is_empty() {
                message = format!("duplicate key `{}`: each key once per table", key.trim());
            }
            ScenarioError::Syntax {
                location: self.loc(span),
                message,
            }
        })
    }

    /// Passages of the source texts: `"NNN:L"` or `"NNN:L-M"` (file number : lines).
    pub(crate) fn sources(
        &self,
        value: &Value<'_>,
        path: &str,
    ) -> Result<Vec<String>, ScenarioError> {
        let sources = self.strings(value, path)?;
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let valid = |source: &str| {
            source.split_once(':').is_some_and(|(file, lines)| {
                let (from, to) = lines.split_once('-').unwrap_or((lines, "0"));
                file.len() == 3 && digits(file) && digits(from) && digits(to)
            })
        };
        match sources.iter().position(|source| !valid(source)) {
            None => Ok(sources),
            Some(i) => {
                let items = self.array(value, path, "an array of strings")?;
                Err(ScenarioError::Invalid {
                    location: self.loc(items[i].span()),
                    key: format!("{path}[{i}]"),
                    message: format!(
                        "{:?} is not a passage: write \"NNN:L\" or \"NNN:L-M\" (a three-digit \
                         file number, a colon, a line or a range of lines), e.g. \"000:263-271\"",
                        sources[i]
                    ),
                })
            }
        }
    }

    pub(crate) fn strings(
        &self,
        value: &Value<'_>,
        path: &str,
    ) -> Result<Vec<String>, ScenarioError> {
        let items = self.array(value, path, "an array of strings")?;
        items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                self.string(item, &format!("{path}[{i}]"))
                    .map(str::to_string)
            })
            .collect()
    }

    pub(crate) fn boolean(&self, value: &Value<'_>, path: &str) -> Result<bool, ScenarioError> {
        value
            .get_ref()
            .as_bool()
            .ok_or_else(|| self.wrong_type(value, path, "true or false"))
    }

    pub(crate) fn integer(&self, value: &Value<'_>, path: &str) -> Result<i64, ScenarioError> {
        match value.get_ref() {
            DeValue::Integer(integer) => i64::from_str_radix(integer.as_str(), integer.radix())
                .map_err(|_| self.out_of_range(value, path, "a 64-bit integer")),
            _ => Err(self.wrong_type(value, path, "an integer")),
        }
    }

    /// An integer or a decimal number, finite.
    pub(crate) fn number(&self, value: &Value<'_>, path: &str) -> Result<f64, ScenarioError> {
        match value.get_ref() {
            DeValue::Integer(_) => Ok(self.integer(value, path)? as f64),
            DeValue::Float(float) => float
                .as_str()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| self.out_of_range(value, path, "a finite number")),
            _ => Err(self.wrong_type(value, path, "a number")),
        }
    }

    /// A value of a parameter: of its kind (a flag is `true` or `false`) and in its range.
    pub(crate) fn param_value(
        &self,
        value: &Value<'_>,
        path: &str,
        spec: &ParamSpec,
    ) -> Result<f64, ScenarioError> {
        let number = match (spec.kind, value.get_ref()) {
            (ParamKind::Flag, DeValue::Boolean(b)) => {
                return Ok(if *b { 1.0 } else { 0.0 });
            }
            (ParamKind::Flag, _) => return Err(self.wrong_type(value, path, "true or false")),
            (ParamKind::Integer, DeValue::Integer(_)) => self.integer(value, path)? as f64,
            (ParamKind::Integer, _) => return Err(self.wrong_type(value, path, "an integer")),
            (ParamKind::Real, _) => self.number(value, path)?,
        };
        if !spec.contains(number) {
            return Err(self.out_of_range(value, path, &spec.range_text()));
        }
        Ok(number)
    }

    /// A date string, `"YYYY-MM-DD"` or `"YYYY-MM-DD OS"`; a bare TOML date is taken as Gregorian.
    pub(crate) fn date(&self, value: &Value<'_>, path: &str) -> Result<Date, ScenarioError> {
        let expected = "a date string, \"YYYY-MM-DD\" or \"YYYY-MM-DD OS\" (Old Style)";
        match value.get_ref() {
            DeValue::String(text) => Date::parse(text).map_err(|source| ScenarioError::BadDate {
                location: self.loc(value.span()),
                key: path.to_string(),
                source,
            }),
            DeValue::Datetime(datetime) if datetime.time.is_none() && datetime.offset.is_none() => {
                let date = datetime.date.expect("a datetime without time has a date");
                Date::from_ymd(
                    i32::from(date.year),
                    u32::from(date.month),
                    u32::from(date.day),
                )
                .ok_or_else(|| self.wrong_type(value, path, expected))?
                .in_calendar(&date.to_string())
                .map_err(|source| ScenarioError::BadDate {
                    location: self.loc(value.span()),
                    key: path.to_string(),
                    source,
                })
            }
            _ => Err(self.wrong_type(value, path, expected)),
        }
    }
}

/// A table's entries in the order they appear in the file.
pub(crate) fn in_order<'t, 'i>(table: &'t DeTable<'i>) -> Vec<(&'t Key<'i>, &'t Value<'i>)> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    entries
}

/// A dotted key path, quoting a segment that is not a bare TOML key.
pub(crate) fn join_key(prefix: &str, key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let segment = if bare {
        key.to_string()
    } else {
        format!("{key:?}")
    };
    if prefix.is_empty() {
        segment
    } else {
        format!("{prefix}.{segment}")
    }
}

/// The name a file declares, else its file stem, which must then be a valid name too (a file
/// called `...toml` would otherwise write to `output/..`); `kind` is "scenario" or "sweep".
pub(crate) fn name_or_stem(
    path: &Path,
    declared: Option<&String>,
    kind: &str,
) -> Result<String, ScenarioError> {
    if let Some(name) = declared {
        return Ok(name.clone());
    }
    let stem = path
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    if valid_name(&stem) {
        return Ok(stem);
    }
    Err(ScenarioError::MissingKey {
        location: Box::new(SourceLocation {
            file: path.to_path_buf(),
            line: 1,
            column: 1,
        }),
        key: format!("{kind}.name"),
        help: format!(
            "the file name {stem:?} cannot name the output folder; give the {kind} a `name` \
             (letters, digits, `_`, `-` and `.`, not starting with `.`, at most \
             {MAX_NAME_BYTES} bytes)"
        ),
    })
}

/// The longest name: a file name's limit on common file systems, in bytes.
pub const MAX_NAME_BYTES: usize = 255;

pub(crate) fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_NAME_BYTES
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// Every leaf of a table of dotted names (`[params]`, a sweep's `[set]` and `[vary]`), with its
/// full dotted name, key and value. A nested table is itself a leaf when `is_leaf(name, table)`
/// says so (a parameter's name, so that its value is reported as the wrong type); otherwise its
/// keys are collected under its name.
pub(crate) fn collect_leaves<'t, 'i>(
    table: &'t DeTable<'i>,
    prefix: &str,
    is_leaf: &dyn Fn(&str, &DeTable<'i>) -> bool,
    out: &mut Vec<(String, &'t Key<'i>, &'t Value<'i>)>,
) {
    for (key, value) in table.iter() {
        let name = if prefix.is_empty() {
            key.get_ref().to_string()
        } else {
            format!("{prefix}.{}", key.get_ref())
        };
        match value.get_ref() {
            DeValue::Table(inner) if !is_leaf(&name, inner) => {
                collect_leaves(inner, &name, is_leaf, out)
            }
            _ => out.push((name, key, value)),
        }
    }
}
