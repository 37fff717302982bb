//! Writing a run's files, each atomically.

use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use super::table::{columns, write_table, Kind};
use crate::fsutil::write_atomic;
use crate::metrics::{Metric, Metrics};
use crate::model::EventLog;

/// A file or folder revsim could not write: every command that writes says so this way.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The error for a failed write of `path`, for `map_err`.
pub fn wrap(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// Formats a value with up to 6 significant decimals and no trailing zeros, identically on
/// every platform.
pub(crate) fn format_value(value: f64) -> String {
    let mut text = String::new();
    push_value(&mut text, value);
    text
}

/// Appends [`format_value`]'s text of `value` to `text`.
fn push_value(text: &mut String, value: f64) {
    if !value.is_finite() {
        // Never hide a model bug behind a plausible number.
        let _ = write!(text, "{value}");
        return;
    }
    let start = text.len();
    if value == 0.0 {
        text.push('0');
        return;
    }
    let _ = if value.abs() >= 1000.0 {
        write!(text, "{value:.1}")
    } else {
        write!(text, "{value:.6}")
    };
    let trimmed = text[start..]
        .trim_end_matches('0')
        .trim_end_matches('.')
        .len();
    text.truncate(start + trimmed);
    if &text[start..] == "-0" {
        text.truncate(start);
        text.push('0');
    }
}

/// Rows of `timeseries.csv` formatted at once, as one text of lines: a run's rows are formatted
/// in pieces of this many on the threads of the pool writing them, then written in order.
const FORMAT_PIECE: usize = 8192;

/// The stem of a run's timeseries file (`timeseries.csv`, `timeseries.parquet`).
pub const TIMESERIES: &str = "timeseries";

/// Writes a run's timeseries to `path` (`timeseries.csv` or `.parquet`):
/// `step,date,metric,group,value`, in measurement order; with `run`, a sweep's run, a first
/// column `run` holding it, so that the series of many runs can be concatenated. Only the
/// metrics in `keep` are written, every metric when it is empty.
pub fn write_timeseries(
    path: &Path,
    metrics: &Metrics,
    run: Option<u64>,
    keep: &[Metric],
) -> Result<(), OutputError> {
    let mut spec = vec![
        ("step", Kind::Int),
        ("date", Kind::Date),
        ("metric", Kind::Text),
        ("group", Kind::Text),
        ("value", Kind::Real),
    ];
    if run.is_some() {
        spec.insert(0, ("run", Kind::Int));
    }
    let prefix = run.map(|run| format!("{run},")).unwrap_or_default();
    let pieces: Vec<String> = metrics
        .rows
        .par_chunks(FORMAT_PIECE)
        .map(|piece| {
            let mut text = String::new();
            for row in piece
                .iter()
                .filter(|row| keep.is_empty() || keep.contains(&row.metric))
            {
                let _ = write!(
                    text,
                    "{prefix}{},{},{},{},",
                    row.step, metrics.dates[row.step as usize], row.metric, row.group,
                );
                push_value(&mut text, row.value);
                text.push('\n');
            }
            text
        })
        .collect();
    write_table(path, &columns(&spec), |rows| {
        pieces.iter().try_for_each(|piece| rows.lines(piece))
    })
    .map_err(wrap(path))
}

/// `events.csv`: `step,date,id,kind,description,sources`.
pub fn write_events(path: &Path, log: &EventLog) -> Result<(), OutputError> {
    write_atomic(path, |out| {
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(["step", "date", "id", "kind", "description", "sources"])?;
        for event in &log.events {
            writer.write_record([
                event.step.to_string().as_str(),
                &event.date,
                &event.id,
                &event.kind,
                &event.description,
                &event.sources,
            ])?;
        }
        writer.flush()
    })
    .map_err(wrap(path))
}

/// `manifest.json`: what was run, with what, and how long it took.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    pub revsim_version: String,
    /// The build that wrote the run (`crate::fingerprint`).
    pub build: crate::fingerprint::Build,
    pub scenario: String,
    pub scenario_file: String,
    pub scenario_hash: String,
    pub seed: u64,
    pub start: String,
    pub end: String,
    pub people_per_agent: u32,
    pub agents: usize,
    pub steps: u32,
    pub wall_seconds: f64,
    pub agent_updates_per_second: f64,
    pub parameters: serde_json::Map<String, serde_json::Value>,
    pub events_enabled: Vec<String>,
}

pub fn write_manifest(path: &Path, manifest: &Manifest) -> Result<(), OutputError> {
    write_atomic(path, |out| {
        serde_json::to_writer_pretty(&mut *out, manifest)?;
        writeln!(out)
    })
    .map_err(wrap(path))
}

#[cfg(test)]
mod tests {
    use super::format_value;

    #[test]
    fn values_are_short_and_stable() {
        assert_eq!(format_value(0.5), "0.5");
        assert_eq!(format_value(0.0), "0");
        assert_eq!(format_value(-0.0000001), "0");
        assert_eq!(format_value(182_000_000.0), "182000000");
        assert_eq!(format_value(0.1234567), "0.123457");
    }
}
