//! `revsim validate`: run a scenario as an ensemble of seeds and set each historical target's
//! simulated median and 5-95 % band beside the target, with its tolerance and why.

mod targets;
mod view;

pub use targets::{all_targets, targets_1917, targets_1918_1922, Target, Unit};
pub use view::{date_of, day_number, RunView};

use std::path::{Path, PathBuf};

use crate::ensemble::{replicate_jobs, run_seeds, unwatched, PoolError};
use crate::fsutil::write_atomic;
use crate::plot::{plot_validation, ValidationRow};
use crate::scenario::{Scenario, ScenarioError};

/// Why a validation could not finish.
#[derive(Debug, thiserror::Error)]
pub enum ValidateError {
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    #[error(transparent)]
    Write(#[from] crate::record::OutputError),
    #[error(transparent)]
    Plot(#[from] crate::plot::PlotError),
}

/// Runs `replicates` seeds of the scenario (see [`crate::ensemble::replicate_seed`]) on `threads` threads and
/// measures every target in each. Returns, per replicate in seed order, one value per target
/// (`None`: never reached). `progress(done)` follows the runs.
pub fn run_ensemble(
    scenario: &Scenario,
    targets: &[Target],
    replicates: usize,
    threads: usize,
    progress: &mut dyn FnMut(usize),
) -> Result<Vec<Vec<Option<f64>>>, PoolError> {
    let jobs = replicate_jobs(&[scenario], replicates);
    run_seeds(&jobs, threads, progress, &unwatched, &|result| {
        let run = RunView::new(&result.metrics).with_events(&result.events.events);
        targets.iter().map(|t| (t.measure)(&run)).collect()
    })
}

/// The summary of one target over the ensemble.
#[derive(Debug, Clone)]
pub struct Fit {
    pub median: Option<f64>,
    pub p05: Option<f64>,
    pub p95: Option<f64>,
    /// Replicates in which the target was reached at all.
    pub reached: usize,
    pub replicates: usize,
    pub pass: bool,
}

/// Linear-interpolated quantile of sorted values (`None` when there are none).
pub fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let position = q * (sorted.len() - 1) as f64;
    let below = position.floor() as usize;
    let above = position.ceil() as usize;
    let weight = position - below as f64;
    Some(sorted[below] * (1.0 - weight) + sorted[above] * weight)
}

/// Median and band of each target; it passes when it is reached in at least half the
/// replicates and the median falls within its tolerance.
pub fn summarise(targets: &[Target], ensemble: &[Vec<Option<f64>>]) -> Vec<Fit> {
    targets
        .iter()
        .enumerate()
        .map(|(t, target)| {
            let mut values: Vec<f64> = ensemble.iter().filter_map(|run| run[t]).collect();
            values.sort_by(f64::total_cmp);
            let median = quantile(&values, 0.5);
            let reached = values.len();
            let pass = 2 * reached >= ensemble.len()
                && median.is_some_and(|m| (target.low..=target.high).contains(&m));
            Fit {
                median,
                p05: quantile(&values, 0.05),
                p95: quantile(&values, 0.95),
                reached,
                replicates: ensemble.len(),
                pass,
            }
        })
        .collect()
}

/// A value in the target's unit, for people to read.
pub fn format(unit: Unit, value: Option<f64>) -> String {
    let Some(value) = value else {
        return "never".to_string();
    };
    match unit {
        Unit::People if value.abs() >= 1e6 => format!("{:.2} M", value / 1e6),
        Unit::People => format!("{:.0} k", value / 1e3),
        Unit::Share => format!("{:.1} %", tenths(100.0 * value)),
        Unit::Date => date_of(value).to_string(),
        Unit::Weeks => format!("{:.1} wk", tenths(value)),
        Unit::Points => format!("{:.1} pts", tenths(100.0 * value)),
        Unit::Count | Unit::Flag => format!("{value:.0}"),
    }
}

/// `x` rounded to tenths, a value that rounds to zero written "0.0", not "-0.0".
fn tenths(x: f64) -> f64 {
    (x * 10.0).round() / 10.0 + 0.0
}

/// The fit table as text.
pub fn table(targets: &[Target], fits: &[Fit]) -> String {
    let mut out = format!(
        "{:<30} {:>12} {:>25} {:>12} {:>27} {:>8}  {}\n",
        "target", "history", "tolerance", "median", "5-95 %", "result", "why this tolerance"
    );
    for (target, fit) in targets.iter().zip(fits) {
        let band = format!(
            "{} - {}",
            format(target.unit, Some(target.low)),
            format(target.unit, Some(target.high))
        );
        let spread = format!(
            "{} - {}",
            format(target.unit, fit.p05),
            format(target.unit, fit.p95)
        );
        let result = match (fit.pass, target.fitted.is_empty()) {
            (true, true) => "pass",
            (false, true) => "MISS",
            (true, false) => "fit",
            (false, false) => "FIT MISS",
        };
        let fitted = if target.fitted.is_empty() {
            String::new()
        } else {
            format!("a fit of {}; ", target.fitted)
        };
        let reach = if fit.reached < fit.replicates {
            format!("reached in {} of {} runs; ", fit.reached, fit.replicates)
        } else {
            String::new()
        };
        out.push_str(&format!(
            "{:<30} {:>12} {:>25} {:>12} {:>27} {:>8}  {fitted}{reach}{} [{}]\n",
            target.id,
            format(target.unit, Some(target.expected)),
            band,
            format(target.unit, fit.median),
            spread,
            result,
            target.why,
            target.sources
        ));
    }
    let passed = fits.iter().filter(|f| f.pass).count();
    let fitted: Vec<bool> = targets.iter().map(|t| !t.fitted.is_empty()).collect();
    let fits_met = fits
        .iter()
        .zip(&fitted)
        .filter(|(f, &fitted)| f.pass && fitted)
        .count();
    out.push_str(&format!(
        "{passed} of {} targets met; {fits_met} of the {} that a parameter was fitted to hold (\"fit\"), so {} are outcomes of the rules\n",
        fits.len(),
        fitted.iter().filter(|&&f| f).count(),
        passed - fits_met
    ));
    out
}

fn csv_value(value: Option<f64>) -> String {
    value.map_or_else(String::new, |v| format!("{v}"))
}

/// Writes `validate.csv` and the fit chart into `dir`.
pub fn write_report(
    dir: &Path,
    targets: &[Target],
    fits: &[Fit],
) -> Result<Vec<PathBuf>, ValidateError> {
    use crate::record::wrap;
    std::fs::create_dir_all(dir).map_err(wrap(dir))?;
    let csv_path = dir.join("validate.csv");
    write_atomic(&csv_path, |out| {
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record([
            "target",
            "what",
            "sources",
            "unit",
            "history",
            "low",
            "high",
            "median",
            "p05",
            "p95",
            "reached",
            "replicates",
            "pass",
            "fitted",
            "why",
        ])?;
        for (target, fit) in targets.iter().zip(fits) {
            writer.write_record([
                target.id.to_string(),
                target.what.to_string(),
                target.sources.to_string(),
                format!("{:?}", target.unit).to_lowercase(),
                format!("{}", target.expected),
                format!("{}", target.low),
                format!("{}", target.high),
                csv_value(fit.median),
                csv_value(fit.p05),
                csv_value(fit.p95),
                fit.reached.to_string(),
                fit.replicates.to_string(),
                fit.pass.to_string(),
                target.fitted.to_string(),
                target.why.to_string(),
            ])?;
        }
        writer.flush()
    })
    .map_err(wrap(&csv_path))?;
    let rows: Vec<ValidationRow> = targets
        .iter()
        .zip(fits)
        .map(|(target, fit)| ValidationRow {
            label: target.id.to_string(),
            low: target.low,
            high: target.high,
            expected: target.expected,
            median: fit.median,
            p05: fit.p05,
            p95: fit.p95,
            pass: fit.pass,
        })
        .collect();
    let mut written = vec![csv_path];
    written.extend(plot_validation(dir, &rows)?);
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::{all_targets, format, quantile, summarise, table, Unit};

    #[test]
    fn a_share_that_rounds_to_zero_has_no_sign() {
        assert_eq!(format(Unit::Share, Some(-1e-17)), "0.0 %");
        assert_eq!(format(Unit::Points, Some(-0.0004)), "0.0 pts");
        assert_eq!(format(Unit::Points, Some(-0.002)), "-0.2 pts");
        assert_eq!(format(Unit::Share, Some(0.054)), "5.4 %");
    }

    #[test]
    fn quantiles_interpolate() {
        let values = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&values, 0.5), Some(3.0));
        assert_eq!(quantile(&values, 0.0), Some(1.0));
        assert_eq!(quantile(&values, 1.0), Some(5.0));
        assert!((quantile(&values, 0.05).unwrap() - 1.2).abs() < 1e-12);
        assert_eq!(quantile(&[], 0.5), None);
    }

    #[test]
    fn a_target_missed_in_some_runs_says_in_how_many_it_was_reached() {
        let targets: Vec<_> = all_targets()
            .into_iter()
            .filter(|t| t.id == "nep")
            .collect();
        let day = targets[0].expected;
        let fits = summarise(&targets, &[vec![Some(day)], vec![Some(day)], vec![None]]);
        assert_eq!(fits[0].reached, 2);
        assert!(fits[0].pass, "reached in two of three runs, on the day");
        assert!(table(&targets, &fits).contains("reached in 2 of 3 runs"));
        let fits = summarise(&targets, &[vec![Some(day)], vec![None], vec![None]]);
        assert!(!fits[0].pass, "reached in one of three runs");
    }
}
