//! Running a sweep: the runs of a shard on the ensemble runner's rayon pool
//! ([`crate::ensemble::for_each_in_order`]: handed out in order, a small window ahead of the
//! writer, so memory does not grow with the number of runs), their rows appended in run
//! order. Each run is single-threaded and depends only on its own seed and values. Each
//! batch of finished runs is appended as soon as every earlier run is written: fan rows
//! first, then the `runs.csv` rows, each batch synced to disk.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::ensemble::{for_each_in_order, PoolError, Stop};
use crate::fsutil::{clean_stale, FolderLock};
use crate::record::{format_value, write_events, write_timeseries, TIMESERIES};
use crate::scenario::load_scenario;
use crate::sim::Simulation;

use super::adequacy::{write_points, Adequacy};
use super::store::{self, Manifest};
use super::summary::summarise;
use super::{plot_sweep, Shard, Sweep, SweepError};

/// How to run a sweep.
#[derive(Debug, Clone)]
pub struct SweepOptions {
    /// The output folder.
    pub out: PathBuf,
    /// Runs at a time (each on its own thread).
    pub threads: usize,
    /// Only this share of the runs.
    pub shard: Option<Shard>,
    /// Continue the interrupted sweep in `out` instead of refusing a folder that holds one.
    pub resume: bool,
    /// Draw the ensemble plots when the sweep is complete.
    pub plots: bool,
    /// Memory in MB the `threads` runs going at once may need together: a run whose point
    /// would pass it is refused before it allocates (see `sim::check_memory`).
    pub max_memory_mb: u64,
}

/// What a call of [`run_sweep`] did.
#[derive(Debug, Clone)]
pub struct SweepOutcome {
    /// The runs of this shard (all runs without one).
    pub shard_runs: u64,
    /// Runs already done in the folder before this call (resume).
    pub skipped: u64,
    /// Runs done by this call.
    pub ran: u64,
    pub wall_seconds: f64,
    /// The plots drawn (none for a shard: `revsim merge` draws them).
    pub plots: Vec<PathBuf>,
    /// Per summary, the replicates' Monte Carlo standard error (`points.csv`; none for a
    /// shard: `revsim merge` writes it).
    pub adequacy: Vec<Adequacy>,
}

impl SweepOutcome {
    pub fn runs_per_minute(&self) -> f64 {
        self.ran as f64 * 60.0 / self.wall_seconds.max(1e-9)
    }
}

/// A finished run, ready to append.
struct Finished {
    row: String,
    fans: String,
}

/// Runs the sweep (or its shard) into `options.out`, calling `progress(done, total)` as rows
/// are written (once at the start with the runs already done).
pub fn run_sweep(
    sweep: &Sweep,
    options: &SweepOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<SweepOutcome, SweepError> {
    if options.threads == 0 {
        return Err(SweepError::Usage(
            "--threads must be at least 1".to_string(),
        ));
    }
    let started = Instant::now();
    let _lock = FolderLock::acquire(&options.out)?;
    clean_stale(&options.out);
    clean_stale(&options.out.join("plots"));
    let shard = options.shard.filter(|s| s.count > 1);
    let manifest = Manifest::new(sweep, shard);
    let mut store = store::open(&options.out, &manifest, options.resume)?;
    let runs: Vec<u64> = sweep.shard_runs(shard).collect();
    let total = runs.len() as u64;
    let skipped = store.done;
    progress(skipped, total);
    let todo = &runs[skipped as usize..];

    if let (false, Some(journal)) = (todo.is_empty(), store.journal.as_mut()) {
        let mut done = store.done;
        run_all(sweep, options, todo, &mut |finished: &[Finished]| {
            let mut fans = String::new();
            let mut rows = String::new();
            for run in finished {
                fans.push_str(&run.fans);
                rows.push_str(&run.row);
            }
            if let Some(appender) = journal.fans.as_mut() {
                appender.append(&fans)?;
            }
            journal.runs.append(&rows)?;
            done += finished.len() as u64;
            progress(done, total);
            Ok(())
        })?;
    }
    store::publish(&options.out, &manifest)?;

    let adequacy = if shard.is_none() {
        write_points(&options.out, &manifest)?
    } else {
        Vec::new()
    };
    let plots = if options.plots && shard.is_none() {
        plot_sweep(&options.out)?
    } else {
        Vec::new()
    };
    Ok(SweepOutcome {
        shard_runs: total,
        skipped,
        ran: total - skipped,
        wall_seconds: started.elapsed().as_secs_f64(),
        plots,
        adequacy,
    })
}

/// Runs `todo` on `options.threads` threads, calling `write` with each batch of finished runs
/// in order.
fn run_all(
    sweep: &Sweep,
    options: &SweepOptions,
    todo: &[u64],
    write: &mut dyn FnMut(&[Finished]) -> Result<(), SweepError>,
) -> Result<(), SweepError> {
    let out = options.out.as_path();
    for_each_in_order(
        todo,
        options.threads,
        &|_, &run| execute(sweep, run, out, options),
        &mut |batch| write(&batch),
    )
    .map_err(|stop| match stop {
        Stop::Job(error) => error,
        Stop::Pool(error @ PoolError::Start { .. }) => SweepError::Usage(error.to_string()),
        Stop::Pool(PoolError::NonFinite(error)) => SweepError::Usage(error.to_string()),
        Stop::Pool(PoolError::Panicked { job, message }) => SweepError::RunFailed {
            run: todo[job],
            message,
            command: sweep.rerun_command(todo[job]),
        },
    })
}

/// Runs one run of the sweep and formats its rows; with `keep_timeseries`, writes its files
/// into `out/runs/<run>/`.
fn execute(
    sweep: &Sweep,
    run: u64,
    out: &Path,
    options: &SweepOptions,
) -> Result<Finished, SweepError> {
    let overrides = sweep.overrides(run)?;
    let scenario = load_scenario(sweep.scenario_of(run).1, &sweep.scenarios_dir, &overrides)?;
    // Points may vary the scale: each run is checked, at its point's, before it allocates.
    crate::sim::check_memory(&scenario, options.threads, options.max_memory_mb)?;
    let result =
        Simulation::new(&scenario)
            .run(|_, _| {})
            .map_err(|error| SweepError::RunFailed {
                run,
                message: error.to_string(),
                command: sweep.rerun_command(run),
            })?;
    let summary = summarise(&result.metrics, &sweep.summaries, &sweep.fans);

    if sweep.keep_timeseries {
        let dir = out.join("runs").join(run.to_string());
        if dir.exists() {
            // Left by an interrupted earlier attempt at this run.
            fs::remove_dir_all(&dir).map_err(SweepError::io(&dir))?;
        }
        fs::create_dir_all(&dir).map_err(SweepError::io(&dir))?;
        let wrap = |e: crate::record::OutputError| SweepError::Io {
            path: dir.clone(),
            error: std::io::Error::other(e.to_string()),
        };
        let timeseries = dir.join(sweep.format.file_name(TIMESERIES));
        write_timeseries(&timeseries, &result.metrics, Some(run), &sweep.keep_metrics)
            .map_err(wrap)?;
        write_events(&dir.join("events.csv"), &result.events).map_err(wrap)?;
    }

    let (point, replicate) = sweep.point_of(run);
    let mut row = format!("{run},{point},{replicate},{}", sweep.seed(run));
    for value in &sweep.points[point].values {
        row.push(',');
        row.push_str(value);
    }
    for field in &summary.fields {
        row.push(',');
        row.push_str(field);
    }
    if !sweep.targets.is_empty() {
        let view =
            crate::validate::RunView::new(&result.metrics).with_events(&result.events.events);
        let targets = crate::validate::all_targets();
        for id in &sweep.targets {
            row.push(',');
            let measured = targets
                .iter()
                .find(|t| t.id == id)
                .and_then(|target| (target.measure)(&view));
            if let Some(value) = measured.filter(|v| v.is_finite()) {
                row.push_str(&format_value(value));
            }
        }
    }
    row.push('\n');

    let mut fans = String::new();
    for (fan, series) in sweep.fans.iter().zip(&summary.fans) {
        for &(step, value) in series {
            let date = result
                .metrics
                .dates
                .get(step as usize)
                .map_or("", String::as_str);
            let _ = writeln!(
                fans,
                "{run},{},{},{step},{date},{}",
                fan.metric,
                fan.group,
                format_value(value)
            );
        }
    }
    Ok(Finished { row, fans })
}
