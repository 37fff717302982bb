//! Reading a run's files back, the one reader of what [`super::write_timeseries`] and
//! [`super::write_events`] write (through [`TableReader`], in either format): `plot`,
//! `report` and `story` use it. Errors name the file and the line; an edited, cut or damaged
//! file gives an error, never a panic.

use std::io;
use std::path::{Path, PathBuf};

use super::table::TableReader;
use crate::date::Date;
use crate::model::LoggedEvent;

/// Why a run's file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{}: {message}", path.display())]
    Header { path: PathBuf, message: String },
    #[error("{}: not a Parquet file revsim can read ({message}); write it again", path.display())]
    Parquet { path: PathBuf, message: String },
    #[error("{}, line {line}: {message}", path.display())]
    Malformed {
        path: PathBuf,
        line: u64,
        message: String,
    },
}

impl ReadError {
    /// A malformed row of `path` at `line`.
    pub fn malformed(path: &Path, line: u64, message: impl Into<String>) -> ReadError {
        ReadError::Malformed {
            path: path.to_path_buf(),
            line,
            message: message.into(),
        }
    }
}

/// One row of `timeseries.csv`.
#[derive(Debug, Clone, Copy)]
pub struct TimeseriesRow<'r> {
    /// The line of the file it is on (the header is line 1; in Parquet, the row + 1).
    pub line: u64,
    pub step: u32,
    pub date: &'r str,
    /// The date as days since 1970-01-01.
    pub day: i32,
    pub metric: &'r str,
    pub group: &'r str,
    pub value: f64,
}

/// Field `index` of a record, trimmed, or an error naming the field and the line.
fn field<'r>(
    path: &Path,
    line: u64,
    record: &'r csv::ByteRecord,
    index: usize,
    name: &str,
) -> Result<&'r str, ReadError> {
    let bytes = record
        .get(index)
        .ok_or_else(|| ReadError::malformed(path, line, format!("missing the {name} field")))?;
    std::str::from_utf8(bytes).map(str::trim).map_err(|_| {
        ReadError::malformed(path, line, format!("the {name} field is not UTF-8 text"))
    })
}

/// A step: a whole number.
fn parse_step(path: &Path, line: u64, text: &str) -> Result<u32, ReadError> {
    text.parse().map_err(|_| {
        ReadError::malformed(path, line, format!("step {text:?} is not a whole number"))
    })
}

/// Reads a timeseries (`step,date,metric,group,value`, columns found by the header; CSV or
/// Parquet) in one pass, calling `each` with every row in file order. The date is parsed only
/// when it changes (rows come grouped by step).
pub fn read_timeseries(
    path: &Path,
    each: &mut dyn FnMut(TimeseriesRow<'_>) -> Result<(), ReadError>,
) -> Result<(), ReadError> {
    let mut reader = TableReader::open(path)?;
    let [step_col, date_col, metric_col, group_col, value_col] =
        reader.columns(["step", "date", "metric", "group", "value"])?;
    let mut record = csv::ByteRecord::new();
    let mut last_date: Option<(Vec<u8>, i32)> = None;
    while reader.read(&mut record)? {
        let line = reader.line();
        let date = field(path, line, &record, date_col, "date")?;
        let day = match &last_date {
            Some((text, day)) if text.as_slice() == date.as_bytes() => *day,
            _ => {
                let day = Date::parse(date)
                    .map_err(|_| {
                        ReadError::malformed(
                            path,
                            line,
                            format!("date {date:?} is not a YYYY-MM-DD calendar date"),
                        )
                    })?
                    .days_since_epoch();
                last_date = Some((date.as_bytes().to_vec(), day));
                day
            }
        };
        let step = parse_step(path, line, field(path, line, &record, step_col, "step")?)?;
        let value_text = field(path, line, &record, value_col, "value")?;
        let value: f64 = value_text.parse().map_err(|_| {
            ReadError::malformed(path, line, format!("value {value_text:?} is not a number"))
        })?;
        each(TimeseriesRow {
            line,
            step,
            date,
            day,
            metric: field(path, line, &record, metric_col, "metric")?,
            group: field(path, line, &record, group_col, "group")?,
            value,
        })?;
    }
    Ok(())
}

/// Reads `events.csv` (`step,date,id,kind`, then `description` and `sources` where the header
/// has them), in file order.
pub fn read_events(path: &Path) -> Result<Vec<LoggedEvent>, ReadError> {
    let mut reader = TableReader::open(path)?;
    let [step_col, date_col, id_col, kind_col] = reader.columns(["step", "date", "id", "kind"])?;
    let [description_col, sources_col] =
        ["description", "sources"].map(|name| reader.columns([name]).ok().map(|[i]| i));
    let mut events = Vec::new();
    let mut record = csv::ByteRecord::new();
    while reader.read(&mut record)? {
        let line = reader.line();
        let text = |index: Option<usize>, name: &str| -> Result<String, ReadError> {
            index.map_or(Ok(String::new()), |i| {
                field(path, line, &record, i, name).map(str::to_owned)
            })
        };
        events.push(LoggedEvent {
            step: parse_step(path, line, field(path, line, &record, step_col, "step")?)?,
            date: field(path, line, &record, date_col, "date")?.to_owned(),
            id: field(path, line, &record, id_col, "id")?.to_owned(),
            kind: field(path, line, &record, kind_col, "kind")?.to_owned(),
            description: text(description_col, "description")?,
            sources: text(sources_col, "sources")?,
        });
    }
    Ok(events)
}
