//! `revsim sensitivity DIR`: Morris or Sobol indices of every summary of a finished Morris or
//! Sobol sweep, from its folder. Each point's output is the mean of the summary over its
//! replicates (`points.csv`'s `mean`; dates as days since 1970-01-01); the indices come from
//! `crate::sensitivity` with the design's unit points from `manifest.json`.
//!
//! ```text
//! sensitivity.csv: summary,parameter,method,index,estimate,low,high
//!   morris: index mu, mu_star (with its bootstrap interval), sigma
//!   sobol:  index S1, ST (each with its bootstrap interval)
//! ```
//!
//! The bootstrap draws from a ChaCha8 stream keyed on the sweep's root seed, so the file is
//! the same on every machine.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::fsutil::write_atomic;
use crate::sensitivity::{morris_indices, rng, sobol_indices, Estimate};

use super::adequacy::{mean_sd_mcse, read_outcomes};
use super::store::Manifest;
use super::SweepError;

/// `sensitivity.csv`.
pub const SENSITIVITY: &str = "sensitivity.csv";
const HEADER: &str = "summary,parameter,method,index,estimate,low,high";

/// What `sensitivity` wrote, and the summaries it could not analyse, with why.
#[derive(Debug, Clone)]
pub struct SensitivityOutcome {
    pub path: PathBuf,
    pub method: String,
    /// (summary, parameter, index, estimate, low, high), as written.
    pub rows: Vec<(String, String, String, f64, f64, f64)>,
    pub skipped: Vec<(String, String)>,
}

/// Computes the indices of every summary of the sweep in `dir` into `dir/sensitivity.csv`,
/// with `resamples` bootstrap resamples.
pub fn sensitivity(dir: &Path, resamples: usize) -> Result<SensitivityOutcome, SweepError> {
    let manifest = Manifest::read(dir)?;
    let manifest_path = dir.join(super::store::MANIFEST);
    let method = manifest.design.clone();
    let Some(units) = manifest
        .unit_points
        .as_ref()
        .filter(|_| matches!(method.as_str(), "morris" | "sobol"))
    else {
        return Err(SweepError::Usage(format!(
            "{} is a `{method}` sweep: sensitivity indices need design = \"morris\" \
             (with `trajectories`) or design = \"sobol\" (with `samples`)",
            dir.display()
        )));
    };
    if manifest.shard.is_some() {
        return Err(SweepError::Usage(format!(
            "{} holds one shard: merge the shards first (revsim merge), then analyse the merged \
             folder",
            dir.display()
        )));
    }
    let k = manifest.vary.len();
    if units.len() != manifest.points || units.iter().any(|u| u.len() != k) {
        return Err(SweepError::Corrupt {
            path: manifest_path,
            message: "`unit_points` do not match the points and the varied names: the file was \
                      edited or damaged"
                .to_string(),
        });
    }
    let outcomes = read_outcomes(dir, &manifest)?;
    let mut rows = Vec::new();
    let mut skipped = Vec::new();
    for (summary, per_point) in manifest.summaries.iter().zip(&outcomes.values) {
        let means: Vec<Option<f64>> = per_point.iter().map(|v| mean_sd_mcse(v).0).collect();
        if let Some(point) = means.iter().position(Option::is_none) {
            skipped.push((
                summary.column.clone(),
                format!(
                    "point {point} has no value in the run table (e.g. a crossing that never happened): \
                     choose a summary every run has"
                ),
            ));
            continue;
        }
        let y: Vec<f64> = means.into_iter().flatten().collect();
        let mut boot = rng("revsim-sensitivity-bootstrap", manifest.root_seed);
        let result = if method == "morris" {
            morris_indices(units, &y, k, resamples, &mut boot).map(|indices| {
                indices
                    .iter()
                    .map(|index| {
                        let plain = |value| Estimate {
                            value,
                            low: f64::NAN,
                            high: f64::NAN,
                        };
                        vec![
                            ("mu", plain(index.mu)),
                            ("mu_star", index.mu_star),
                            ("sigma", plain(index.sigma)),
                        ]
                    })
                    .collect::<Vec<_>>()
            })
        } else {
            sobol_indices(&y, k, resamples, &mut boot).map(|indices| {
                indices
                    .iter()
                    .map(|index| vec![("S1", index.first), ("ST", index.total)])
                    .collect()
            })
        };
        match result {
            Ok(per_factor) => {
                for (varied, estimates) in manifest.vary.iter().zip(per_factor) {
                    for (name, estimate) in estimates {
                        rows.push((
                            summary.column.clone(),
                            varied.name.clone(),
                            name.to_string(),
                            estimate.value,
                            estimate.low,
                            estimate.high,
                        ));
                    }
                }
            }
            Err(error) => skipped.push((summary.column.clone(), error.to_string())),
        }
    }
    let path = dir.join(SENSITIVITY);
    let number = |v: f64| {
        if v.is_finite() {
            v.to_string()
        } else {
            String::new()
        }
    };
    write_atomic(&path, |out| {
        writeln!(out, "{HEADER}")?;
        for (summary, parameter, index, value, low, high) in &rows {
            writeln!(
                out,
                "{summary},{parameter},{method},{index},{},{},{}",
                number(*value),
                number(*low),
                number(*high)
            )?;
        }
        Ok(())
    })
    .map_err(SweepError::io(&path))?;
    Ok(SensitivityOutcome {
        path,
        method,
        rows,
        skipped,
    })
}
