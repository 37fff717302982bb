//! Classic agent-based models that revsim's rules come from, run on their own.
//!
//! - [`epstein`]: Epstein (2002) civil violence, Model I, the source of revsim's revolt rule
//!   (DESIGN 3, "Open revolt"), in the two variants of its public implementations (Mesa and
//!   NetLogo), checked against Mesa by `benches/mesa_compare.py`.
//!
//! `revsim classic epstein` runs it and writes, into `output/classic/<name>/<seed>/` (or
//! `--out`):
//! - `timeseries.csv`: tidy long format `step,metric,group,value` (no date column: the model
//!   has no calendar). Step 0 is the start; each step after it has six rows, group `all`:
//!   `active`, `quiet`, `jailed` (shares of citizens, 0-1, as revsim's `active` metric) and
//!   `count.active`, `count.quiet`, `count.jailed` (citizens). Same seed, same bytes.
//! - `manifest.json`: revsim version, name, scenario file, every parameter, seed, steps, agent
//!   counts, wall time.
//! - `plots/epstein.png` and `plots/epstein.svg`.

pub mod config;
pub mod epstein;
pub mod lattice;
mod output;

use std::path::PathBuf;
use std::time::Instant;

pub use config::{find_classic_scenario, resolve_epstein, EpsteinArgs, EpsteinSetup};
pub use epstein::{run, Counts, Epstein, History, ParamError, Params, Transform, Variant};
pub use output::{plot_epstein, write_manifest, write_timeseries};

/// Why a classic run failed.
#[derive(Debug, thiserror::Error)]
pub enum ClassicError {
    /// A scenario file that cannot be read or is invalid (invalid input).
    #[error("{}: {message}", path.display())]
    File { path: PathBuf, message: String },
    /// A parameter out of range (invalid input).
    #[error("invalid parameter {0}")]
    Param(#[from] ParamError),
    /// An output file that cannot be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A plot that cannot be drawn.
    #[error("cannot draw {}: {message}", path.display())]
    Plot { path: PathBuf, message: String },
}

impl ClassicError {
    /// Whether the error is the user's input (exit status 2) rather than a failure (1).
    pub fn is_invalid_input(&self) -> bool {
        matches!(self, ClassicError::File { .. } | ClassicError::Param(_))
    }
}

/// What a finished `revsim classic epstein` wrote.
#[derive(Debug, Clone)]
pub struct EpsteinReport {
    pub out: PathBuf,
    pub history: History,
    pub agents: usize,
    pub wall_seconds: f64,
    /// The files written, CSV and manifest first, then the plots.
    pub files: Vec<PathBuf>,
}

impl EpsteinReport {
    pub fn agent_updates_per_second(&self) -> f64 {
        self.agents as f64 * f64::from(self.history.steps()) / self.wall_seconds.max(1e-9)
    }
}

/// Runs `setup`, writes its files into `out` (default [`EpsteinSetup::default_out`]) and,
/// with `plots`, draws its plot. `progress(done, steps)` is called after each step.
pub fn run_epstein(
    setup: &EpsteinSetup,
    out: Option<PathBuf>,
    plots: bool,
    progress: impl FnMut(u32, u32),
) -> Result<EpsteinReport, ClassicError> {
    let out = out.unwrap_or_else(|| setup.default_out());
    let started = Instant::now();
    let history = run(&setup.params, setup.seed, setup.steps, progress)?;
    let wall_seconds = started.elapsed().as_secs_f64();
    let agents = history.citizens + history.cops;
    std::fs::create_dir_all(&out).map_err(|source| ClassicError::Write {
        path: out.clone(),
        source,
    })?;
    let mut files = vec![out.join("timeseries.csv"), out.join("manifest.json")];
    write_timeseries(&files[0], &history)?;
    write_manifest(&files[1], setup, &history, wall_seconds)?;
    if plots {
        files.extend(plot_epstein(&out, setup, &history)?);
    }
    Ok(EpsteinReport {
        out,
        history,
        agents,
        wall_seconds,
        files,
    })
}
