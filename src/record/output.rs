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
    #[error("cannot start the threads that format the files: {0}; try fewer --threads")]
    Threads(#[from] rayon::ThreadPoolBuildError),
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

/// Appends [`format_value`]'s text of `value` to `text`: from its digits in whole numbers
/// where they are sure ([`rounded_digits`]), else through Rust's formatting
/// ([`push_value_formatted`]), with the same text either way (tested).
fn push_value(text: &mut String, value: f64) {
    if !value.is_finite() {
        // Never hide a model bug behind a plausible number.
        let _ = write!(text, "{value}");
        return;
    }
    let decimals = decimals_of(value);
    let Some(digits) = rounded_digits(value, decimals) else {
        push_value_formatted(text, value);
        return;
    };
    if digits == 0 {
        text.push('0');
        return;
    }
    let scale = 10u64.pow(decimals);
    let (whole, mut fraction) = (digits / scale, digits % scale);
    if value < 0.0 {
        text.push('-');
    }
    push_digits(text, whole, 1);
    if fraction > 0 {
        let mut places = decimals as usize;
        while fraction % 10 == 0 {
            fraction /= 10;
            places -= 1;
        }
        text.push('.');
        push_digits(text, fraction, places);
    }
}

/// Appends the decimal digits of `number`, at least `width` of them (zeros before).
fn push_digits(text: &mut String, mut number: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut start = digits.len();
    while number > 0 || digits.len() - start < width {
        start -= 1;
        digits[start] = b'0' + (number % 10) as u8;
        number /= 10;
    }
    text.extend(digits[start..].iter().map(|&digit| char::from(digit)));
}

/// Decimal places written: 1 from a thousand up, else 6.
fn decimals_of(value: f64) -> u32 {
    if value.abs() >= 1000.0 {
        1
    } else {
        6
    }
}

/// |`value`| times 10^`decimals`, rounded to a whole number as Rust's `{:.N}` rounds the
/// exact decimal value, where one multiplication tells it for sure: the product is correctly
/// rounded, so below 2^40 it is within 2^-13 of the exact one, and only a fraction within
/// `SURE` of one half could round the other way. None there, and for larger products.
fn rounded_digits(value: f64, decimals: u32) -> Option<u64> {
    /// How far from one half a product's fraction must be, far above its rounding error.
    const SURE: f64 = 1e-3;
    let scaled = value.abs() * 10u64.pow(decimals) as f64;
    if scaled >= (1u64 << 40) as f64 {
        return None;
    }
    // Exact: a non-negative float below 2^40 truncates to its floor, and the rest is exact.
    let whole = scaled as u64;
    let fraction = scaled - whole as f64;
    if (fraction - 0.5).abs() < SURE {
        return None;
    }
    Some(whole + u64::from(fraction > 0.5))
}

/// [`format_value`] through Rust's formatting of the rounded decimals, trailing zeros cut.
fn push_value_formatted(text: &mut String, value: f64) {
    let start = text.len();
    if value == 0.0 {
        text.push('0');
        return;
    }
    let decimals = decimals_of(value) as usize;
    let _ = write!(text, "{value:.decimals$}");
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
            // "run,step,date," is the same for a week's rows.
            let mut week: Option<(u32, String)> = None;
            for row in piece
                .iter()
                .filter(|row| keep.is_empty() || keep.contains(&row.metric))
            {
                match &week {
                    Some((step, start)) if *step == row.step => text.push_str(start),
                    _ => {
                        let start =
                            format!("{prefix}{},{},", row.step, metrics.dates[row.step as usize]);
                        text.push_str(&start);
                        week = Some((row.step, start));
                    }
                }
                let _ = write!(text, "{},{},", row.metric, row.group);
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
    use super::{format_value, push_value_formatted};

    #[test]
    fn values_are_short_and_stable() {
        assert_eq!(format_value(0.5), "0.5");
        assert_eq!(format_value(0.0), "0");
        assert_eq!(format_value(-0.0000001), "0");
        assert_eq!(format_value(182_000_000.0), "182000000");
        assert_eq!(format_value(0.1234567), "0.123457");
    }

    /// The text from whole numbers is the text Rust's formatting gives, over every magnitude a
    /// metric takes and the halves where they round.
    #[test]
    fn values_from_digits_match_rusts_formatting() {
        let formatted = |value: f64| {
            let mut text = String::new();
            push_value_formatted(&mut text, value);
            text
        };
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut values = vec![0.0000005, 0.0000015, 0.0000025, 999.9999995, 1000.05];
        for _ in 0..1_000_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let mantissa = (state >> 11) as f64 / (1u64 << 53) as f64;
            let magnitude = 10f64.powi((state % 23) as i32 - 10);
            let sign = if state & (1 << 10) == 0 { 1.0 } else { -1.0 };
            values.push(sign * mantissa * magnitude);
            // Values on a half of the last decimal, as near as a float comes.
            let step = 10f64.powi(-(super::decimals_of(magnitude) as i32));
            values.push(((mantissa * magnitude / step).floor() + 0.5) * step);
        }
        for value in values {
            assert_eq!(format_value(value), formatted(value), "{value:e}");
            assert_eq!(format_value(-value), formatted(-value), "{value:e}");
        }
    }
}
