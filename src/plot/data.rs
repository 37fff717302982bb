//! Reading a run's `timeseries.csv` (and `events.csv`) into the few series the charts draw.
//!
//! The file is tidy long format (`step,date,metric,group,value`), possibly ~200k rows. It is
//! read in one pass with byte records; only the metrics and groups some chart draws are kept.
//! Time is kept as days since 1970-01-01 (as `f64`, the charts' x coordinate).

use std::collections::BTreeMap;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use super::PlotError;
use crate::date::Date;

/// A point in time (days since 1970-01-01) and a value.
pub(crate) type Point = (f64, f64);

/// What kind of event a marker stands for (`events.csv` column `kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EventKind {
    Scheduled,
    Triggered,
    Emergent,
}

/// One event to mark on the time axis.
#[derive(Debug, Clone)]
pub(crate) struct Event {
    pub x: f64,
    pub id: String,
    pub kind: EventKind,
}

/// The series read from one run, by metric then group, plus the run's time span and events.
#[derive(Debug, Default)]
pub(crate) struct RunData {
    series: BTreeMap<String, BTreeMap<String, Vec<Point>>>,
    /// First and last date (days since 1970) seen in the file, over all rows.
    pub span: Option<(f64, f64)>,
    pub events: Vec<Event>,
}

impl RunData {
    /// The points of one series, if it was recorded and has at least one finite value.
    pub fn get(&self, metric: &str, group: &str) -> Option<&[Point]> {
        self.series
            .get(metric)
            .and_then(|groups| groups.get(group))
            .map(Vec::as_slice)
            .filter(|points| !points.is_empty())
    }

    /// The groups recorded for `metric` whose name starts with `prefix`, in sorted order.
    pub fn groups_with_prefix<'a>(&'a self, metric: &str, prefix: &'a str) -> Vec<&'a str> {
        self.series
            .get(metric)
            .map(|groups| {
                groups
                    .iter()
                    .filter(|(group, points)| group.starts_with(prefix) && !points.is_empty())
                    .map(|(group, _)| group.as_str())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Whether some chart draws this metric in this group.
fn wanted(metric: &str, group: &str) -> bool {
    let national = group == "all";
    if metric.starts_with("support.private.") {
        return national || group.starts_with("class.");
    }
    if metric.starts_with("soviet.share.") || metric.starts_with("congress.share.") {
        return true;
    }
    if metric.starts_with("control.") {
        return national;
    }
    match metric {
        "support.public.bolsheviks" => national,
        "legitimacy" | "hardship" | "active" => {
            national || group.starts_with("class.") || group.starts_with("region.")
        }
        "food.security" => national || group.starts_with("region."),
        "industry.output" | "sown_area" | "unemployment" | "army.red.size" | "army.white.size"
        | "deaths.famine" | "deaths.war" | "deaths.repression" => national,
        _ => false,
    }
}

/// Parses a date of `timeseries.csv` into days since 1970-01-01, the x axis of every chart.
pub(crate) fn parse_date(text: &str) -> Option<f64> {
    Date::parse(text)
        .ok()
        .map(|date| f64::from(date.days_since_epoch()))
}

fn open(path: &Path) -> Result<File, PlotError> {
    File::open(path).map_err(|source| PlotError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn csv_error(path: &Path, error: csv::Error) -> PlotError {
    let line = error.position().map(|p| p.line()).unwrap_or(0);
    let message = match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("expected {expected_len} fields, found {len}"),
        csv::ErrorKind::Io(io_error) => {
            return PlotError::Io {
                path: path.to_path_buf(),
                source: io::Error::new(io_error.kind(), io_error.to_string()),
            }
        }
        _ => error.to_string(),
    };
    PlotError::Malformed {
        path: path.to_path_buf(),
        line,
        message,
    }
}

/// Finds the named columns in a header, or says which is missing.
fn columns<const N: usize>(
    path: &Path,
    header: &csv::ByteRecord,
    names: [&str; N],
) -> Result<[usize; N], PlotError> {
    let mut found = [0; N];
    for (slot, name) in found.iter_mut().zip(names) {
        *slot = header
            .iter()
            .position(|field| field.trim_ascii() == name.as_bytes())
            .ok_or_else(|| PlotError::Header {
                path: path.to_path_buf(),
                message: format!(
                    "the header has no column {name:?} (expected {})",
                    names.join(",")
                ),
            })?;
    }
    Ok(found)
}

fn field<'r>(
    path: &Path,
    record: &'r csv::ByteRecord,
    index: usize,
    name: &str,
) -> Result<&'r str, PlotError> {
    let line = record.position().map(|p| p.line()).unwrap_or(0);
    let bytes = record.get(index).ok_or_else(|| PlotError::Malformed {
        path: path.to_path_buf(),
        line,
        message: format!("missing the {name} field"),
    })?;
    std::str::from_utf8(bytes)
        .map(str::trim)
        .map_err(|_| PlotError::Malformed {
            path: path.to_path_buf(),
            line,
            message: format!("the {name} field is not UTF-8 text"),
        })
}

fn malformed(path: &Path, record: &csv::ByteRecord, message: String) -> PlotError {
    PlotError::Malformed {
        path: path.to_path_buf(),
        line: record.position().map(|p| p.line()).unwrap_or(0),
        message,
    }
}

/// Reads `timeseries.csv`, keeping only the series the charts draw; also maps steps to dates.
pub(crate) fn read_timeseries(path: &Path) -> Result<(RunData, BTreeMap<i64, f64>), PlotError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(io::BufReader::with_capacity(1 << 16, open(path)?));
    let header = reader
        .byte_headers()
        .map_err(|e| csv_error(path, e))?
        .clone();
    let [step_col, date_col, metric_col, group_col, value_col] =
        columns(path, &header, ["step", "date", "metric", "group", "value"])?;

    let mut data = RunData::default();
    let mut steps: BTreeMap<i64, f64> = BTreeMap::new();
    let mut record = csv::ByteRecord::new();
    // Rows come grouped by step, so the date rarely changes: parse it only when it does.
    let mut last_date_text: Vec<u8> = Vec::new();
    let mut last_date = f64::NAN;
    let mut last_step: Option<i64> = None;
    let mut span: Option<(f64, f64)> = None;

    while reader
        .read_byte_record(&mut record)
        .map_err(|e| csv_error(path, e))?
    {
        let date_bytes = record.get(date_col).unwrap_or_default();
        if date_bytes != last_date_text.as_slice() || last_date.is_nan() {
            let text = field(path, &record, date_col, "date")?;
            last_date = parse_date(text).ok_or_else(|| {
                malformed(
                    path,
                    &record,
                    format!("date {text:?} is not a YYYY-MM-DD calendar date"),
                )
            })?;
            last_date_text.clear();
            last_date_text.extend_from_slice(date_bytes);
            span = Some(match span {
                None => (last_date, last_date),
                Some((lo, hi)) => (lo.min(last_date), hi.max(last_date)),
            });
        }
        let x = last_date;

        let step_text = field(path, &record, step_col, "step")?;
        let step: i64 = step_text.parse().map_err(|_| {
            malformed(
                path,
                &record,
                format!("step {step_text:?} is not a whole number"),
            )
        })?;
        if last_step != Some(step) {
            steps.entry(step).or_insert(x);
            last_step = Some(step);
        }

        let metric = field(path, &record, metric_col, "metric")?;
        let group = field(path, &record, group_col, "group")?;
        if !wanted(metric, group) {
            continue;
        }
        let value_text = field(path, &record, value_col, "value")?;
        let value: f64 = value_text.parse().map_err(|_| {
            malformed(
                path,
                &record,
                format!("value {value_text:?} is not a number"),
            )
        })?;
        if !value.is_finite() {
            continue;
        }
        let groups = match data.series.get_mut(metric) {
            Some(groups) => groups,
            None => data.series.entry(metric.to_owned()).or_default(),
        };
        let points = match groups.get_mut(group) {
            Some(points) => points,
            None => groups.entry(group.to_owned()).or_default(),
        };
        points.push((x, value));
    }

    for groups in data.series.values_mut() {
        for points in groups.values_mut() {
            // Usually sorted already; a stable sort keeps same-date rows in file order.
            points.sort_by(|a, b| a.0.total_cmp(&b.0));
        }
    }
    data.span = span;
    Ok((data, steps))
}

/// Reads `events.csv`: the events of kind scheduled, triggered or emergent, placed by date
/// (or, if the date is unreadable, by step through `steps`).
pub(crate) fn read_events(
    path: &Path,
    steps: &BTreeMap<i64, f64>,
) -> Result<Vec<Event>, PlotError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(io::BufReader::new(open(path)?));
    let header = reader
        .byte_headers()
        .map_err(|e| csv_error(path, e))?
        .clone();
    let [step_col, date_col, id_col, kind_col] =
        columns(path, &header, ["step", "date", "id", "kind"])?;
    let mut events = Vec::new();
    let mut record = csv::ByteRecord::new();
    while reader
        .read_byte_record(&mut record)
        .map_err(|e| csv_error(path, e))?
    {
        let kind = match field(path, &record, kind_col, "kind")? {
            "scheduled" => EventKind::Scheduled,
            "triggered" => EventKind::Triggered,
            "emergent" => EventKind::Emergent,
            _ => continue,
        };
        let date = field(path, &record, date_col, "date")?;
        let x = match parse_date(date) {
            Some(x) => x,
            None => {
                let step = field(path, &record, step_col, "step")?;
                match step.parse::<i64>().ok().and_then(|s| steps.get(&s)) {
                    Some(&x) => x,
                    None => {
                        return Err(malformed(
                            path,
                            &record,
                            format!("date {date:?} is not a YYYY-MM-DD calendar date"),
                        ))
                    }
                }
            }
        };
        let id = field(path, &record, id_col, "id")?.to_owned();
        events.push(Event { x, id, kind });
    }
    events.sort_by(|a, b| a.x.total_cmp(&b.x));
    Ok(events)
}

/// Reads a run folder: `timeseries.csv` (required) and `events.csv` (if present).
pub(crate) fn read_run(dir: &Path) -> Result<RunData, PlotError> {
    let timeseries: PathBuf = dir.join("timeseries.csv");
    if !timeseries.is_file() {
        return Err(PlotError::MissingTimeseries {
            dir: dir.to_path_buf(),
        });
    }
    let (mut data, steps) = read_timeseries(&timeseries)?;
    let events = dir.join("events.csv");
    if events.is_file() {
        data.events = read_events(&events, &steps)?;
    }
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::{civil_from_days, days_from_civil};

    #[test]
    fn dates_round_trip() {
        for days in [-20_000, -19_000, -1, 0, 1, 59, 60, 10_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(parse_date("1970-01-01"), Some(0.0));
        assert_eq!(parse_date("1917-02-30"), None);
        assert_eq!(parse_date("1917-13-01"), None);
        assert_eq!(parse_date("nonsense"), None);
        assert_eq!(
            civil_from_days(parse_date("1917-11-07").unwrap() as i32),
            (1917, 11, 7)
        );
    }

    #[test]
    fn keeps_only_plotted_series() {
        assert!(wanted("support.private.bolsheviks", "all"));
        assert!(wanted("support.private.kadets", "class.nobility"));
        assert!(!wanted("support.private.kadets", "role.soldier"));
        assert!(wanted("soviet.share.srs", "soviet.moscow"));
        assert!(!wanted("harvest", "all"));
        assert!(wanted("active", "region.petrograd"));
    }
}
