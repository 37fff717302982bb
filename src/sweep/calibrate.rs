//! `revsim calibrate DIR`: ABC rejection over a finished sweep that measured historical
//! targets (`targets = [...]` in `[sweep]`, the `target.<id>` columns of `runs.csv`). The
//! sweep is the prior: its `[vary]` entries (a random or Latin hypercube design, say) over the
//! parameters to calibrate, run, resumed and sharded like any sweep.
//!
//! A point's value for a target is the mean over its replicates (runs where the target was
//! never reached do not count; a point where no run reached it has none). Its distance is
//! sqrt(mean over targets of ((value - expected) / half band)^2), where the band is the
//! target's tolerance (`revsim validate`'s): 1 is a band's edge.
//!
//! - default: a point is accepted when every target's value lies in its band (ABC rejection
//!   with the bands as tolerances);
//! - `--best F`: the fraction F of the points with the smallest distance (quantile ABC).
//!
//! Writes `accepted.csv` (point, varied values, distance, each target's value), `posterior.csv`
//! (per varied parameter, over the accepted points: count, min, 5 %, median, 95 %, max) and
//! `calibration.csv` (per target: expected value, band, how many accepted points hit it, their
//! median): which targets the accepted sets still miss.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::fsutil::write_atomic;
use crate::validate::{all_targets, quantile};

use super::store::{read_lines, Manifest, RUNS};
use super::SweepError;

pub const ACCEPTED: &str = "accepted.csv";
pub const POSTERIOR: &str = "posterior.csv";
pub const CALIBRATION: &str = "calibration.csv";

/// How points are accepted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Acceptance {
    /// Every target within its band.
    Bands,
    /// The given fraction (0, 1] of the points with the smallest distance.
    Best(f64),
}

/// One target over the accepted points.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetFit {
    pub id: String,
    pub expected: f64,
    pub low: f64,
    pub high: f64,
    /// The target's unit, to show its values in (`validate::format`).
    pub unit: crate::validate::Unit,
    /// Accepted points whose value is in the band.
    pub hits: usize,
    pub median: Option<f64>,
}

/// What `calibrate` found.
#[derive(Debug, Clone)]
pub struct Calibration {
    pub points: usize,
    /// The accepted points, in point order, with their distances.
    pub accepted: Vec<(usize, f64)>,
    pub targets: Vec<TargetFit>,
    pub files: Vec<PathBuf>,
}

/// Runs ABC rejection on the sweep in `dir`, writing its files there.
pub fn calibrate(dir: &Path, acceptance: Acceptance) -> Result<Calibration, SweepError> {
    let manifest = Manifest::read(dir)?;
    if manifest.targets.is_empty() {
        return Err(SweepError::Usage(format!(
            "{} measured no targets: add `targets = [\"...\"]` (ids from `revsim validate`) to \
             the sweep file's [sweep] table and run it again",
            dir.display()
        )));
    }
    if manifest.shard.is_some() {
        return Err(SweepError::Usage(format!(
            "{} holds one shard: merge the shards first (revsim merge)",
            dir.display()
        )));
    }
    if let Acceptance::Best(f) = acceptance {
        if !(f > 0.0 && f <= 1.0) {
            return Err(SweepError::Usage(format!(
                "--best {f}: expected a fraction of the points above 0 and at most 1, e.g. 0.1"
            )));
        }
    }
    let known = all_targets();
    let targets: Vec<&crate::validate::Target> = manifest
        .targets
        .iter()
        .map(|id| {
            known
                .iter()
                .find(|t| t.id == id)
                .ok_or_else(|| SweepError::Corrupt {
                    path: dir.join(super::store::MANIFEST),
                    message: format!(
                        "names the target `{id}`, which this build of revsim does not have"
                    ),
                })
        })
        .collect::<Result<_, _>>()?;

    // Per point and target, the values over the replicates.
    let first = manifest.columns.len() - targets.len();
    let mut values = vec![vec![Vec::new(); targets.len()]; manifest.points];
    read_lines(dir, RUNS, &mut |line| {
        let fields: Vec<&str> = line.split(',').collect();
        let Some(point) = fields.get(1).and_then(|p| p.parse::<usize>().ok()) else {
            return Ok(());
        };
        for (t, field) in fields.iter().skip(first).enumerate().take(targets.len()) {
            if let (Ok(value), Some(slot)) = (field.parse::<f64>(), values.get_mut(point)) {
                slot[t].push(value);
            }
        }
        Ok(())
    })?;
    let means: Vec<Vec<Option<f64>>> = values
        .iter()
        .map(|per_target| {
            per_target
                .iter()
                .map(|v| super::adequacy::mean_sd_mcse(v).0)
                .collect()
        })
        .collect();
    let distance = |point: &[Option<f64>]| -> f64 {
        let mut sum = 0.0;
        for (value, target) in point.iter().zip(&targets) {
            let Some(value) = value else {
                return f64::INFINITY;
            };
            let half = ((target.high - target.low) / 2.0).max(f64::MIN_POSITIVE);
            sum += ((value - target.expected) / half).powi(2);
        }
        (sum / targets.len() as f64).sqrt()
    };
    let within = |point: &[Option<f64>]| {
        point
            .iter()
            .zip(&targets)
            .all(|(v, t)| v.is_some_and(|v| v >= t.low && v <= t.high))
    };
    let distances: Vec<f64> = means.iter().map(|m| distance(m)).collect();
    let mut accepted: Vec<(usize, f64)> = match acceptance {
        Acceptance::Bands => (0..manifest.points)
            .filter(|&p| within(&means[p]))
            .map(|p| (p, distances[p]))
            .collect(),
        Acceptance::Best(fraction) => {
            let keep = ((manifest.points as f64 * fraction).ceil() as usize).max(1);
            let mut order: Vec<usize> = (0..manifest.points)
                .filter(|&p| distances[p].is_finite())
                .collect();
            // Ties broken by point index, so the choice is reproducible.
            order.sort_by(|&a, &b| distances[a].total_cmp(&distances[b]).then(a.cmp(&b)));
            order.truncate(keep);
            order.into_iter().map(|p| (p, distances[p])).collect()
        }
    };
    accepted.sort_by_key(|(p, _)| *p);

    let fits: Vec<TargetFit> = targets
        .iter()
        .enumerate()
        .map(|(t, target)| {
            let mut chosen: Vec<f64> = accepted.iter().filter_map(|(p, _)| means[*p][t]).collect();
            chosen.sort_by(f64::total_cmp);
            TargetFit {
                id: target.id.to_string(),
                expected: target.expected,
                low: target.low,
                high: target.high,
                unit: target.unit,
                hits: chosen
                    .iter()
                    .filter(|v| **v >= target.low && **v <= target.high)
                    .count(),
                median: quantile(&chosen, 0.5),
            }
        })
        .collect();

    let number = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    let mut files = Vec::new();
    let accepted_path = dir.join(ACCEPTED);
    write_atomic(&accepted_path, |out| {
        let mut header = vec!["point".to_string()];
        header.extend(manifest.vary.iter().map(|v| v.name.clone()));
        header.push("distance".to_string());
        header.extend(manifest.targets.iter().map(|id| super::target_column(id)));
        writeln!(out, "{}", header.join(","))?;
        for (point, d) in &accepted {
            let mut row = vec![point.to_string()];
            row.extend(manifest.design_points[*point].iter().cloned());
            row.push(d.to_string());
            row.extend(means[*point].iter().map(|v| number(*v)));
            writeln!(out, "{}", row.join(","))?;
        }
        Ok(())
    })
    .map_err(SweepError::io(&accepted_path))?;
    files.push(accepted_path);

    let posterior_path = dir.join(POSTERIOR);
    write_atomic(&posterior_path, |out| {
        writeln!(
            out,
            "parameter,prior_points,accepted,min,p05,median,p95,max"
        )?;
        for (i, varied) in manifest.vary.iter().enumerate() {
            let mut chosen: Vec<f64> = accepted
                .iter()
                .filter_map(|(p, _)| super::plots::number_of(&manifest.design_points[*p][i]))
                .collect();
            chosen.sort_by(f64::total_cmp);
            writeln!(
                out,
                "{},{},{},{},{},{},{},{}",
                varied.name,
                manifest.points,
                accepted.len(),
                number(chosen.first().copied()),
                number(quantile(&chosen, 0.05)),
                number(quantile(&chosen, 0.5)),
                number(quantile(&chosen, 0.95)),
                number(chosen.last().copied())
            )?;
        }
        Ok(())
    })
    .map_err(SweepError::io(&posterior_path))?;
    files.push(posterior_path);

    let calibration_path = dir.join(CALIBRATION);
    write_atomic(&calibration_path, |out| {
        writeln!(out, "target,expected,low,high,accepted,hits,median")?;
        for fit in &fits {
            writeln!(
                out,
                "{},{},{},{},{},{},{}",
                fit.id,
                fit.expected,
                fit.low,
                fit.high,
                accepted.len(),
                fit.hits,
                number(fit.median)
            )?;
        }
        Ok(())
    })
    .map_err(SweepError::io(&calibration_path))?;
    files.push(calibration_path);
    let chosen: Vec<usize> = accepted.iter().map(|(point, _)| *point).collect();
    files.extend(super::plots::plot_posterior(dir, &manifest, &chosen)?);

    Ok(Calibration {
        points: manifest.points,
        accepted,
        targets: fits,
        files,
    })
}
