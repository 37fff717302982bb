//! Replicate adequacy: per point and summary, the mean over the replicates and its Monte Carlo
//! standard error, written to `points.csv` when a sweep is complete (by `revsim sweep` or
//! `revsim merge`, from `runs.csv`, so the file is the same for any thread count or shard
//! split).
//!
//! ```text
//! points.csv: point,<varied names...>,summary,runs,mean,sd,mcse
//!   runs  the replicates with a value (a first crossing that never happened has none)
//!   mean  their mean
//!   sd    their sample standard deviation (n - 1); empty with fewer than 2 runs
//!   mcse  sd / sqrt(runs): the Monte Carlo standard error of the mean
//! ```
//!
//! Numbers are written as the shortest text that reads back exactly. Date summaries (first crossings, date of max) are in days since 1970-01-01, as R's
//! `as.Date(x, origin = "1970-01-01")` and pandas' `pd.to_datetime(x, unit = "D")` read them.

use std::io::Write;
use std::path::Path;

use crate::date::Date;
use crate::fsutil::write_atomic;

use super::store::{read_lines, Manifest, POINTS, RUNS};
use super::SweepError;

/// The header of `points.csv` after the varied names.
const STATS_COLUMNS: &str = "summary,runs,mean,sd,mcse";

/// The outcomes of every run: per summary, per point, the values in run order (dates as days
/// since 1970-01-01).
pub(crate) struct Outcomes {
    pub values: Vec<Vec<Vec<f64>>>,
}

/// Days since 1970-01-01 of a date.
pub(crate) fn epoch_days(date: Date) -> f64 {
    f64::from(date.days_since_epoch())
}

/// Reads the summaries of every run of the run table (`runs.csv` or `runs.parquet`; rows that
/// do not parse are skipped: the file was checked when it was written or merged).
pub(crate) fn read_outcomes(dir: &Path, manifest: &Manifest) -> Result<Outcomes, SweepError> {
    let first = 4 + manifest.vary.len();
    let mut values = vec![vec![Vec::new(); manifest.points]; manifest.summaries.len()];
    read_lines(dir, RUNS, &mut |line| {
        let fields: Vec<&str> = line.split(',').collect();
        let Some(point) = fields
            .get(1)
            .and_then(|p| p.parse::<usize>().ok())
            .filter(|p| *p < manifest.points)
        else {
            return Ok(());
        };
        for (i, summary) in manifest.summaries.iter().enumerate() {
            let Some(text) = fields.get(first + i) else {
                continue;
            };
            let value = if summary.is_date {
                Date::parse(text).ok().map(epoch_days)
            } else {
                text.parse::<f64>().ok()
            };
            if let Some(value) = value.filter(|v| v.is_finite()) {
                values[i][point].push(value);
            }
        }
        Ok(())
    })?;
    Ok(Outcomes { values })
}

/// The mean, sample standard deviation and Monte Carlo standard error of `values` (sd and
/// mcse `None` below two values; all `None` for none).
pub fn mean_sd_mcse(values: &[f64]) -> (Option<f64>, Option<f64>, Option<f64>) {
    let n = values.len() as f64;
    if values.is_empty() {
        return (None, None, None);
    }
    let mean = values.iter().sum::<f64>() / n;
    if values.len() < 2 {
        return (Some(mean), None, None);
    }
    let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let sd = variance.sqrt();
    (Some(mean), Some(sd), Some(sd / n.sqrt()))
}

/// Per summary: the largest Monte Carlo standard error over the points (and its point), and
/// the standard deviation of the point means across points (what the design moves).
#[derive(Debug, Clone, PartialEq)]
pub struct Adequacy {
    pub column: String,
    pub worst_mcse: Option<(f64, usize)>,
    pub spread_of_means: Option<f64>,
}

/// Writes `dir/points.csv` from `dir/runs.csv`; returns the adequacy of each summary.
pub(crate) fn write_points(dir: &Path, manifest: &Manifest) -> Result<Vec<Adequacy>, SweepError> {
    let outcomes = read_outcomes(dir, manifest)?;
    let path = dir.join(POINTS);
    let mut header = String::from("point");
    for varied in &manifest.vary {
        header.push(',');
        header.push_str(&varied.name);
    }
    header.push(',');
    header.push_str(STATS_COLUMNS);
    // Shortest text that reads back as the same number (MCSEs are often below 1e-4).
    let field = |value: Option<f64>| value.map(|v| v.to_string()).unwrap_or_default();
    let mut adequacy = Vec::new();
    write_atomic(&path, |out| {
        writeln!(out, "{header}")?;
        for (summary, per_point) in manifest.summaries.iter().zip(&outcomes.values) {
            let mut worst: Option<(f64, usize)> = None;
            let mut means = Vec::new();
            for (point, values) in per_point.iter().enumerate() {
                let (mean, sd, mcse) = mean_sd_mcse(values);
                let mut row = point.to_string();
                for value in &manifest.design_points[point] {
                    row.push(',');
                    row.push_str(value);
                }
                writeln!(
                    out,
                    "{row},{},{},{},{},{}",
                    summary.column,
                    values.len(),
                    field(mean),
                    field(sd),
                    field(mcse)
                )?;
                means.extend(mean);
                if let Some(mcse) = mcse {
                    if worst.is_none_or(|(w, _)| mcse > w) {
                        worst = Some((mcse, point));
                    }
                }
            }
            adequacy.push(Adequacy {
                column: summary.column.clone(),
                worst_mcse: worst,
                spread_of_means: mean_sd_mcse(&means).1,
            });
        }
        Ok(())
    })
    .map_err(SweepError::io(&path))?;
    Ok(adequacy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mcse_is_the_sd_over_root_n() {
        assert_eq!(mean_sd_mcse(&[]), (None, None, None));
        assert_eq!(mean_sd_mcse(&[2.0]), (Some(2.0), None, None));
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sample variance 32/7.
        let (mean, sd, mcse) = mean_sd_mcse(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
        assert_eq!(mean, Some(5.0));
        let sd = sd.unwrap();
        assert!((sd - (32.0f64 / 7.0).sqrt()).abs() < 1e-12);
        assert!((mcse.unwrap() - sd / 8f64.sqrt()).abs() < 1e-12);
        assert_eq!(epoch_days(Date::from_ymd(1970, 1, 2).unwrap()), 1.0);
    }
}
