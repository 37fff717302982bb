//! Parameter sweeps: many seeded runs of one scenario over a design of parameter values,
//! summarised into one streamed table.
//!
//! - [`load_sweep`] reads and validates a sweep file (`[sweep]`, `[set]`, `[vary]`,
//!   `[[summary]]`, `[[fan]]`) with located errors, like scenario files.
//! - [`design`] lays out the points: a full grid, a Latin hypercube or random samples, drawn
//!   from a ChaCha8 stream of the root seed (never OS entropy).
//! - [`seeds`]: a run's seed is a documented function of (root seed, run index) alone, or
//!   with common random numbers of (root seed, replicate).
//! - [`run_sweep`] runs the runs on a rayon pool, one run per thread at a time, and appends
//!   each finished run to `runs.csv` in run-index order (flushed and fsynced), so the output
//!   is byte-identical for any thread count, memory stays flat, and `--resume` can pick up
//!   after a kill.
//! - Every sweep folder holds `metrics.csv`, each metric's unit and meaning.
//! - [`merge`] joins the folders of a sharded sweep into one, identical to an unsharded run.
//! - [`plot_sweep`] draws the ensemble plots: fan charts and outcome against parameters.
//!
//! Run numbering: run `r` is replicate `r / P` of point `r % P` (P points). Replicate-major
//! order means an unfinished sweep already covers the whole design, and shard `I/N` takes the
//! runs `r` with `r % N == I`.

pub mod adequacy;
mod analysis;
mod calibrate;
pub mod design;
mod file;
mod merge;
mod plots;
mod points_file;
pub mod seeds;
mod store;
mod summary;

mod run;

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::model::params::ParamKind;
use crate::scenario::{value_text, Override, ScenarioError};

pub use crate::metrics::{Stat, Window};
pub use analysis::{sensitivity, SensitivityOutcome, SENSITIVITY};
pub use calibrate::{calibrate, Acceptance, Calibration, TargetFit};
pub use file::{load_sweep, MAX_REPLICATES};
pub use merge::merge;
pub use plots::{plot_sensitivity, plot_sweep, sweep_plot_files};
pub use run::{run_sweep, SweepOptions, SweepOutcome};
pub use seeds::{run_seed, sweep_seed, SEED_FUNCTION, SEED_LIMIT};
pub use store::Manifest;
pub use summary::Summary;

/// Whether `dir` holds a sweep (a sweep's `manifest.json`).
pub fn is_sweep_folder(dir: &std::path::Path) -> bool {
    std::fs::read_to_string(dir.join(store::MANIFEST))
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .is_some_and(|manifest| manifest["kind"] == store::KIND)
}

/// How the points of a sweep are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DesignKind {
    /// Every combination of every varied parameter's levels (the first `[vary]` key varies
    /// slowest).
    Grid,
    /// A Latin hypercube of `samples` points: each parameter's range cut into `samples` equal
    /// strata, each stratum used once.
    Lhs { samples: u32 },
    /// `samples` independent random points.
    Random { samples: u32 },
    /// The rows of a CSV file (`points = "file.csv"`), `points` of them.
    File { points: u32 },
    /// Morris elementary-effect trajectories: `trajectories` of k + 1 points on a grid of
    /// `levels` levels (`crate::sensitivity::morris_design`).
    Morris { trajectories: u32, levels: u32 },
    /// Saltelli's points for Sobol indices: `samples` base rows of k + 2 points
    /// (`crate::sensitivity::saltelli_design`).
    Sobol { samples: u32 },
}

impl DesignKind {
    pub fn name(self) -> &'static str {
        match self {
            DesignKind::Grid => "grid",
            DesignKind::Lhs { .. } => "lhs",
            DesignKind::Random { .. } => "random",
            DesignKind::File { .. } => "file",
            DesignKind::Morris { .. } => "morris",
            DesignKind::Sobol { .. } => "sobol",
        }
    }

    pub fn samples(self) -> Option<u32> {
        match self {
            DesignKind::Grid | DesignKind::File { .. } => None,
            DesignKind::Lhs { samples }
            | DesignKind::Random { samples }
            | DesignKind::Sobol { samples } => Some(samples),
            DesignKind::Morris { trajectories, .. } => Some(trajectories),
        }
    }
}

/// How a varied parameter's values are given in the file.
#[derive(Debug, Clone, PartialEq)]
pub enum Levels {
    /// `[a, b, c]`: exactly these values (a grid uses each; samples pick one uniformly).
    Values(Vec<f64>),
    /// `{ min, max, steps }`: `steps` evenly spaced values from min to max (grid and samples);
    /// without `steps`, any value in [min, max] (samples only).
    Range {
        min: f64,
        max: f64,
        steps: Option<u32>,
    },
    /// `{ distribution = "...", ... }` (samples only).
    Distribution(Distribution),
}

/// A distribution to sample a parameter from (by its inverse CDF, so a Latin hypercube keeps
/// its strata).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Distribution {
    Uniform {
        min: f64,
        max: f64,
    },
    LogUniform {
        min: f64,
        max: f64,
    },
    /// A normal distribution truncated to [min, max].
    Normal {
        mean: f64,
        sd: f64,
        min: f64,
        max: f64,
    },
}

/// One `[vary]` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Varied {
    /// The parameter's dotted name, or `run.people_per_agent`.
    pub name: String,
    pub kind: ParamKind,
    pub levels: Levels,
    /// The entry as written in the file (for the manifest).
    pub written: String,
    /// The values are dates, held as days since 1970-01-01 (an event's date lever,
    /// `event.<id>.date`; `kind` is then `Integer`).
    pub dates: bool,
    /// The scenario lever ([`SCENARIO_LEVER`]): the scenarios to choose among, the values
    /// their positions in this list (`kind` is then `Integer`); empty for any other entry.
    pub choices: Vec<Choice>,
}

/// The `[vary]` name of the scenario lever: each point runs the scenario it names.
pub const SCENARIO_LEVER: &str = "scenario";

/// One scenario the scenario lever chooses.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// As the sweep file names it: what `runs.csv` writes and `revsim run` takes.
    pub name: String,
    pub path: PathBuf,
    /// Its hash with the `[set]` overrides (see `load_scenario`).
    pub hash: String,
}

impl Varied {
    /// The text of a value as `--set` takes it and `runs.csv` writes it (for the scenario
    /// lever, the scenario as `revsim run` takes it).
    pub fn text(&self, value: f64) -> String {
        if let Some(choice) = self.choices.get(value as usize) {
            return choice.name.clone();
        }
        if self.dates {
            return date_of_epoch_days(value).to_string();
        }
        value_text(self.kind, value)
    }
}

/// The date `days` days after 1970-01-01 (rounded to a whole day).
pub(crate) fn date_of_epoch_days(days: f64) -> crate::date::Date {
    let first = crate::date::FIRST_DAY;
    first.add_days(days.round() as i32 - first.days_since_epoch())
}

/// One point of the design: the text of each varied value, in `[vary]` order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Point {
    pub values: Vec<String>,
}

/// One `[[fan]]` entry: a metric whose whole time series is kept for every run (in
/// `fans.csv`) and drawn as a fan chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fan {
    pub metric: String,
    pub group: String,
}

/// A validated sweep: the base scenario, the design's points and what to record.
#[derive(Debug, Clone)]
pub struct Sweep {
    pub name: String,
    pub title: String,
    pub about: String,
    /// The sweep file.
    pub path: PathBuf,
    /// The base scenario as the file names it (a name or a path).
    pub scenario: String,
    /// The base scenario's file.
    pub scenario_path: PathBuf,
    /// The base scenario's own name (`[scenario] name`).
    pub scenario_name: String,
    /// The hash of the base scenario with the `[set]` overrides (see `load_scenario`).
    pub scenario_hash: String,
    /// Where the base scenario's `extends = "name"` looks.
    pub scenarios_dir: PathBuf,
    pub design: DesignKind,
    pub replicates: u32,
    pub root_seed: u64,
    /// Replicate r uses the same seed at every point (`seeds::sweep_seed`).
    pub common_random_numbers: bool,
    pub keep_timeseries: bool,
    /// The metrics a kept timeseries holds (`keep_metrics`), in file order; every metric when
    /// empty.
    pub keep_metrics: Vec<crate::metrics::Metric>,
    /// How `runs`, `fans` and the kept timeseries are written.
    pub format: crate::record::Format,
    /// `[set]`, in file order.
    pub set: Vec<Override>,
    /// `[vary]`, in file order.
    pub vary: Vec<Varied>,
    pub points: Vec<Point>,
    /// Morris and Sobol designs: each point in the unit hypercube, before the `[vary]`
    /// entries' inverse distributions map it to values (what `revsim sensitivity` needs).
    pub unit_points: Option<Vec<Vec<f64>>>,
    pub summaries: Vec<Summary>,
    /// Historical targets (`crate::validate`) measured in every run, by id: the columns
    /// `target.<id>` of `runs.csv`, which `revsim calibrate` reads.
    pub targets: Vec<String>,
    pub fans: Vec<Fan>,
    /// First and last date of a run of the base scenario with `[set]`.
    pub start: crate::date::Date,
    pub end: crate::date::Date,
    /// SHA-256 of the resolved definition (the manifest without the shard) and the base
    /// scenario's hash: folders of one sweep share it.
    pub hash: String,
}

impl Sweep {
    /// How many runs the whole design has: points x replicates.
    pub fn runs(&self) -> u64 {
        self.points.len() as u64 * u64::from(self.replicates)
    }

    /// The point and replicate of a run.
    pub fn point_of(&self, run: u64) -> (usize, u32) {
        let points = self.points.len() as u64;
        ((run % points) as usize, (run / points) as u32)
    }

    /// The seed of a run.
    pub fn seed(&self, run: u64) -> u64 {
        sweep_seed(
            self.root_seed,
            run,
            self.points.len() as u64,
            self.common_random_numbers,
        )
    }

    /// The overrides of a run, in the order they apply: `[set]`, the point's values, the seed.
    /// `revsim run <scenario> --seed <seed> --set ...` with the same values loads the same
    /// scenario.
    pub fn overrides(&self, run: u64) -> Result<Vec<Override>, ScenarioError> {
        let (point, _) = self.point_of(run);
        let mut overrides = self.set.clone();
        for (varied, value) in self.vary.iter().zip(&self.points[point].values) {
            if varied.choices.is_empty() {
                overrides.push(Override::parse(&varied.name, value)?);
            }
        }
        overrides.push(Override::Seed(self.seed(run)));
        Ok(overrides)
    }

    /// The scenario run `run` runs: the one its point chooses with the scenario lever, else
    /// the base scenario; as the sweep file names it, and its file.
    pub fn scenario_of(&self, run: u64) -> (&str, &Path) {
        let (point, _) = self.point_of(run);
        self.vary
            .iter()
            .zip(&self.points[point].values)
            .find_map(|(varied, value)| varied.choices.iter().find(|c| &c.name == value))
            .map_or(
                (self.scenario.as_str(), self.scenario_path.as_path()),
                |c| (c.name.as_str(), c.path.as_path()),
            )
    }

    /// The scenarios the sweep runs, as its file names them: the scenario lever's, else the base.
    pub fn scenarios_run(&self) -> String {
        let chosen: Vec<&str> = self
            .vary
            .iter()
            .flat_map(|v| &v.choices)
            .map(|c| c.name.as_str())
            .collect();
        if chosen.is_empty() {
            self.scenario.clone()
        } else {
            chosen.join(", ")
        }
    }

    /// The command line that re-runs run `run` alone.
    pub fn rerun_command(&self, run: u64) -> String {
        let (point, _) = self.point_of(run);
        self.rerun_line(
            self.scenario_of(run).0,
            &self.seed(run).to_string(),
            &self.points[point].values,
        )
    }

    /// `revsim run <scenario> --seed <seed>` with `[set]` and each varied value but the
    /// scenario lever's (`values` in `[vary]` order): a run's command, or with placeholders
    /// the manifest's template.
    pub(crate) fn rerun_line(&self, scenario: &str, seed: &str, values: &[String]) -> String {
        let mut command = format!("revsim run {scenario} --seed {seed}");
        for item in &self.set {
            command.push_str(&format!(" --set {item}"));
        }
        for (varied, value) in self.vary.iter().zip(values) {
            if varied.choices.is_empty() {
                command.push_str(&format!(" --set {}={value}", varied.name));
            }
        }
        command
    }

    /// The runs of a shard (all runs without one), in run-index order.
    pub fn shard_runs(&self, shard: Option<Shard>) -> impl Iterator<Item = u64> {
        let shard = shard.unwrap_or(Shard { index: 0, count: 1 });
        (u64::from(shard.index)..self.runs()).step_by(shard.count as usize)
    }

    /// The columns of `runs.csv`.
    pub fn columns(&self) -> Vec<String> {
        let mut columns: Vec<String> = ["run", "point", "replicate", "seed"]
            .iter()
            .map(|c| c.to_string())
            .collect();
        columns.extend(self.vary.iter().map(|v| v.name.clone()));
        columns.extend(self.summaries.iter().map(|s| s.column.clone()));
        columns.extend(self.targets.iter().map(|id| target_column(id)));
        columns
    }
}

/// The `runs.csv` column of a target.
pub fn target_column(id: &str) -> String {
    format!("target.{id}")
}

/// `--shard I/N`: the runs whose index modulo N is I.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Shard, String> {
        let bad = || {
            format!("`{text}` is not a shard: expected I/N with 0 <= I < N, e.g. 0/8 (Slurm: $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT)")
        };
        let (index, count) = text.split_once('/').ok_or_else(bad)?;
        let index: u32 = index.trim().parse().map_err(|_| bad())?;
        let count: u32 = count.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// Why a sweep, a resume or a merge failed.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    /// The sweep file (or its base scenario) is invalid.
    #[error(transparent)]
    File(#[from] ScenarioError),
    /// A command-line choice that cannot work: a folder of another sweep, a missing shard...
    #[error("{0}")]
    Usage(String),
    /// A file could not be read or written.
    #[error("{}: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// An output file that is not what this sweep writes.
    #[error("{}: {message}", path.display())]
    Corrupt { path: PathBuf, message: String },
    /// A run panicked (a bug in the model).
    #[error("run {run} failed: {message}; re-run it alone with `{command}`")]
    RunFailed {
        run: u64,
        message: String,
        command: String,
    },
    /// A table of the folder (`runs`, `fans`) could not be read.
    #[error(transparent)]
    Read(#[from] crate::record::ReadError),
    /// The ensemble plots could not be drawn.
    #[error(transparent)]
    Plot(#[from] crate::plot::PlotError),
    /// The output folder is busy or not one a sweep may write.
    #[error(transparent)]
    Folder(#[from] crate::fsutil::FolderError),
    /// A point's runs would need more memory than `--max-memory` allows.
    #[error(transparent)]
    Memory(#[from] crate::sim::TooMuchMemory),
}

impl SweepError {
    /// Whether the error is in what the user gave (a file, an argument): exit status 2.
    pub fn is_invalid_input(&self) -> bool {
        match self {
            SweepError::File(_)
            | SweepError::Usage(_)
            | SweepError::Corrupt { .. }
            | SweepError::Memory(_) => true,
            SweepError::Folder(error) => error.is_invalid_input(),
            SweepError::Read(error) => !matches!(error, crate::record::ReadError::Io { .. }),
            _ => false,
        }
    }

    pub(crate) fn io(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> SweepError + '_ {
        move |error| SweepError::Io {
            path: path.to_path_buf(),
            error,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse() {
        assert_eq!(
            "3/8".parse::<Shard>().unwrap(),
            Shard { index: 3, count: 8 }
        );
        assert!("8/8".parse::<Shard>().is_err());
        assert!("1/0".parse::<Shard>().is_err());
        assert!("x".parse::<Shard>().is_err());
    }

    #[test]
    fn value_texts_read_back_exactly() {
        let varied = Varied {
            name: "a.b".to_string(),
            kind: ParamKind::Real,
            levels: Levels::Values(vec![]),
            written: String::new(),
            dates: false,
            choices: Vec::new(),
        };
        for value in [0.1, 1.0 / 3.0, 1e-9, 0.30000000000000004, 123456.789] {
            let text = varied.text(value);
            assert_eq!(text.parse::<f64>().unwrap(), value, "{text}");
        }
        assert_eq!(varied.text(0.5), "0.5");
        assert_eq!(varied.text(2.0), "2");
    }
}
