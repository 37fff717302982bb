//! Reading a run's `timeseries.csv` (and `events.csv`) into the few series the charts draw.
//!
//! The file is tidy long format (`step,date,metric,group,value`), possibly ~200k rows, read
//! in one pass by the recorder's reader; only the metrics and groups some chart draws are
//! kept.
//! Time is kept as days since 1970-01-01 (as `f64`, the charts' x coordinate).

use std::collections::BTreeMap;
use std::path::Path;

use super::PlotError;
use crate::date::Date;
use crate::record::{
    read_events as read_event_rows, read_timeseries as read_timeseries_rows, Format, ReadError,
    TIMESERIES,
};

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

/// Reads `timeseries.csv` (through [`crate::record::read_timeseries`]), keeping only the
/// series the charts draw; also maps steps to dates.
pub(crate) fn read_timeseries(path: &Path) -> Result<(RunData, BTreeMap<u32, f64>), PlotError> {
    let mut data = RunData::default();
    let mut steps: BTreeMap<u32, f64> = BTreeMap::new();
    let mut span: Option<(f64, f64)> = None;
    read_timeseries_rows(path, &mut |row| {
        let x = f64::from(row.day);
        span = Some(span.map_or((x, x), |(lo, hi)| (lo.min(x), hi.max(x))));
        steps.entry(row.step).or_insert(x);
        if !wanted(row.metric, row.group) || !row.value.is_finite() {
            return Ok(());
        }
        let groups = match data.series.get_mut(row.metric) {
            Some(groups) => groups,
            None => data.series.entry(row.metric.to_owned()).or_default(),
        };
        let points = match groups.get_mut(row.group) {
            Some(points) => points,
            None => groups.entry(row.group.to_owned()).or_default(),
        };
        points.push((x, row.value));
        Ok(())
    })?;
    for groups in data.series.values_mut() {
        for points in groups.values_mut() {
            // Usually sorted already; a stable sort keeps same-date rows in file order.
            points.sort_by(|a, b| a.0.total_cmp(&b.0));
        }
    }
    data.span = span;
    Ok((data, steps))
}

/// Reads `events.csv` (through [`crate::record::read_events`]): the events of kind
/// scheduled, triggered or emergent, placed by date (or, if the date is unreadable, by step
/// through `steps`).
pub(crate) fn read_events(
    path: &Path,
    steps: &BTreeMap<u32, f64>,
) -> Result<Vec<Event>, PlotError> {
    let mut events = Vec::new();
    for (row, event) in read_event_rows(path)?.into_iter().enumerate() {
        let kind = match event.kind.as_str() {
            "scheduled" => EventKind::Scheduled,
            "triggered" => EventKind::Triggered,
            "emergent" => EventKind::Emergent,
            _ => continue,
        };
        let x = match parse_date(&event.date).or_else(|| steps.get(&event.step).copied()) {
            Some(x) => x,
            // The header is line 1; an event has no line breaks in its date.
            None => {
                return Err(ReadError::malformed(
                    path,
                    row as u64 + 2,
                    format!("date {:?} is not a YYYY-MM-DD calendar date", event.date),
                )
                .into())
            }
        };
        events.push(Event {
            x,
            id: event.id,
            kind,
        });
    }
    events.sort_by(|a, b| a.x.total_cmp(&b.x));
    Ok(events)
}

/// Reads a run folder: its timeseries (required; CSV or Parquet) and `events.csv` (if
/// present).
pub(crate) fn read_run(dir: &Path) -> Result<RunData, PlotError> {
    let timeseries = Format::find(dir, TIMESERIES).ok_or_else(|| PlotError::MissingTimeseries {
        dir: dir.to_path_buf(),
    })?;
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
        assert_eq!(
            parse_date("1918-01-01"),
            Some(f64::from(days_from_civil(1918, 1, 1)))
        );
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
