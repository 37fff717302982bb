//! `design = "file"`: a sweep's points read from a CSV file (from SALib, EMA Workbench, a
//! previous study or a spreadsheet). The header names what is varied, one column per name (a
//! parameter, `run.people_per_agent`, or an event lever `event.<id>.enabled` /
//! `event.<id>.date`); each row is one point, in file order. Every value is
//! checked as `--set` checks it, and an error names the file, line and column, the column's
//! name, what was found and what would be valid.
//!
//! ```text
//! grain.requisition_rate,repression.arrest_rate
//! 0.05,0.1
//! 0.125,0.0
//! ```
//!
//! Values are written back as `--set` takes them (`0.50` becomes `0.5`, `1` for a flag is
//! refused: flags are `true` or `false`).

use std::collections::BTreeSet;
use std::path::Path;

use crate::model::params::{registry, spec, ParamKind};
use crate::scenario::{
    event_lever_name, nearest, read_source, EventField, Override, ScenarioError, SourceLocation,
};

use super::file::MAX_POINTS;
use super::{Levels, Point, Varied};

/// The run settings a points file may vary.
const RUN_COLUMNS: &[&str] = &["run.people_per_agent"];

/// A varied name with its key for messages and where it is written.
pub(crate) type VaryEntry = (Varied, String, Box<SourceLocation>);

/// Reads the points file at `path`: the varied names (in column order, each with where its
/// header is) and the points.
pub(crate) fn read_points_file(path: &Path) -> Result<(Vec<VaryEntry>, Vec<Point>), ScenarioError> {
    let text = read_source(path)?;
    let at = |offset: u64| Box::new(SourceLocation::from_offset(path, &text, offset as usize));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let csv_error = |error: csv::Error| {
        let offset = error.position().map_or(0, |p| p.byte());
        let message = match error.kind() {
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => format!(
                "this row has {len} fields but the header has {expected_len}: every row gives \
                 one value per column"
            ),
            csv::ErrorKind::Utf8 { .. } => "not UTF-8 text".to_string(),
            _ => error.to_string(),
        };
        ScenarioError::Invalid {
            location: at(offset),
            key: "points".to_string(),
            message,
        }
    };
    let header = reader.headers().map_err(csv_error)?.clone();
    let header_at = |i: usize| at(field_offset(&text, 0, i));
    if header.is_empty() || header.iter().all(|h| h.trim().is_empty()) {
        return Err(ScenarioError::Invalid {
            location: at(0),
            key: "points".to_string(),
            message: "the file is empty: its first line names the varied parameters, e.g. \
                      `grain.requisition_rate,repression.arrest_rate`, and each further line \
                      gives one point"
                .to_string(),
        });
    }
    let mut vary = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, name) in header.iter().enumerate() {
        let name = name.trim();
        let key = format!("{name} (column {})", i + 1);
        if !seen.insert(name.to_string()) {
            return Err(ScenarioError::Invalid {
                location: header_at(i),
                key,
                message: format!("the column `{name}` comes twice; name each once"),
            });
        }
        let lever = event_lever_name(name).map(|(_, field)| field);
        let kind = if RUN_COLUMNS.contains(&name) || lever == Some(EventField::Date) {
            ParamKind::Integer
        } else if lever == Some(EventField::Enabled) {
            ParamKind::Flag
        } else if let Some(spec) = spec(name) {
            spec.kind
        } else if name.is_empty() || name == "point" || name == "index" {
            return Err(ScenarioError::Invalid {
                location: header_at(i),
                key,
                message: "a row number or index column is not a parameter: write the file \
                          without it (pandas: `to_csv(index=False)`)"
                    .to_string(),
            });
        } else {
            return Err(ScenarioError::UnknownParam {
                location: header_at(i),
                key,
                name: name.to_string(),
                suggestion: nearest(
                    name,
                    RUN_COLUMNS
                        .iter()
                        .copied()
                        .chain(registry().iter().map(|s| s.name.as_str())),
                ),
            });
        };
        vary.push((
            Varied {
                name: name.to_string(),
                kind,
                // The points are the file's rows; no levels to lay out or sample.
                levels: Levels::Values(Vec::new()),
                written: format!("column {} of {}", i + 1, file_name(path)),
                dates: lever == Some(EventField::Date),
                choices: Vec::new(),
            },
            key,
            header_at(i),
        ));
    }
    let mut points = Vec::new();
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record).map_err(csv_error)? {
        if points.len() >= MAX_POINTS {
            return Err(ScenarioError::Invalid {
                location: at(record.position().map_or(0, |p| p.byte())),
                key: "points".to_string(),
                message: format!("more than {MAX_POINTS} points; split the design"),
            });
        }
        let row_at = record.position().map_or(0, |p| p.byte());
        let mut values = Vec::with_capacity(vary.len());
        for (i, ((varied, key, _), field)) in vary.iter().zip(record.iter()).enumerate() {
            let parsed = Override::parse(&varied.name, field.trim()).map_err(|error| {
                let message = match error {
                    ScenarioError::BadOverride { message, .. } => message,
                    other => other.to_string(),
                };
                ScenarioError::Invalid {
                    location: at(field_offset(&text, row_at, i)),
                    key: key.clone(),
                    message,
                }
            })?;
            values.push(parsed.value_text());
        }
        points.push(Point { values });
    }
    if points.is_empty() {
        return Err(ScenarioError::Invalid {
            location: at(text.len() as u64),
            key: "points".to_string(),
            message: "the file names the varied parameters but gives no point: add one line \
                      of values per point"
                .to_string(),
        });
    }
    Ok((vary, points))
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The byte offset in `text` of field `index` of the row that starts at byte `row`: past
/// `index` commas outside quotes (a record's own ranges leave the commas out).
fn field_offset(text: &str, row: u64, index: usize) -> u64 {
    let start = (row as usize).min(text.len());
    let mut commas = 0;
    let mut quoted = false;
    for (i, byte) in text.as_bytes()[start..].iter().enumerate() {
        if commas == index {
            return (start + i) as u64;
        }
        match byte {
            b'"' => quoted = !quoted,
            b',' if !quoted => commas += 1,
            b'\n' if !quoted => break,
            _ => {}
        }
    }
    start as u64
}
