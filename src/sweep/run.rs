//! Running a sweep: the runs of a shard on a rayon pool, their rows appended in run order.
//!
//! Workers take run positions in order from a shared counter (never more than a small window
//! ahead of the next row to write, so finished-but-unwritten rows stay few: memory does not
//! grow with the number of runs). Each run is single-threaded and depends only on its own
//! seed and values. The calling thread reorders finished runs through a `BTreeMap` and
//! appends each one as soon as every earlier run is written: fan rows first, then the
//! `runs.csv` row, each batch synced to disk.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Condvar, Mutex};
use std::time::Instant;

use crate::record::{format_value, write_events, write_timeseries};
use crate::scenario::load_scenario;
use crate::sim::Simulation;

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
    let shard = options.shard.filter(|s| s.count > 1);
    let manifest = Manifest::new(sweep, shard);
    let mut store = store::open(&options.out, &manifest, options.resume)?;
    let runs: Vec<u64> = sweep.shard_runs(shard).collect();
    let total = runs.len() as u64;
    let skipped = store.done;
    progress(skipped, total);
    let todo = &runs[skipped as usize..];

    if !todo.is_empty() {
        run_all(sweep, options, todo, &mut |finished: &[Finished]| {
            let mut fans = String::new();
            let mut rows = String::new();
            for run in finished {
                fans.push_str(&run.fans);
                rows.push_str(&run.row);
            }
            if let Some(appender) = store.fans.as_mut() {
                appender.append(&fans)?;
            }
            store.runs.append(&rows)?;
            store.done += finished.len() as u64;
            progress(store.done, total);
            Ok(())
        })?;
    }

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
    })
}

/// The hand-out state shared by the workers.
struct Queue {
    /// Position in `todo` of the next run to hand out.
    next: usize,
    /// Position of the next run to write (every earlier one is written).
    written: usize,
}

/// Runs `todo` on `options.threads` threads, calling `write` with each batch of finished runs
/// in order.
fn run_all(
    sweep: &Sweep,
    options: &SweepOptions,
    todo: &[u64],
    write: &mut dyn FnMut(&[Finished]) -> Result<(), SweepError>,
) -> Result<(), SweepError> {
    let threads = options.threads.min(todo.len()).max(1);
    let window = 4 * threads + 4;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("revsim-sweep-{i}"))
        .build()
        .map_err(|e| SweepError::Usage(format!("cannot start {threads} threads: {e}")))?;
    let queue = Mutex::new(Queue {
        next: 0,
        written: 0,
    });
    let wake = Condvar::new();
    let abort = AtomicBool::new(false);
    let (sender, receiver) = mpsc::channel::<(usize, Result<Finished, SweepError>)>();
    let out = options.out.as_path();

    let mut outcome: Result<(), SweepError> = Ok(());
    pool.in_place_scope(|scope| {
        for _ in 0..threads {
            let sender = sender.clone();
            let (queue, wake, abort) = (&queue, &wake, &abort);
            scope.spawn(move |_| loop {
                let position = {
                    let mut state = queue.lock().unwrap_or_else(|e| e.into_inner());
                    while !abort.load(Ordering::SeqCst)
                        && state.next < todo.len()
                        && state.next >= state.written + window
                    {
                        state = wake.wait(state).unwrap_or_else(|e| e.into_inner());
                    }
                    if abort.load(Ordering::SeqCst) || state.next >= todo.len() {
                        return;
                    }
                    state.next += 1;
                    state.next - 1
                };
                let run = todo[position];
                let result = catch_unwind(AssertUnwindSafe(|| execute(sweep, run, out)))
                    .unwrap_or_else(|panic| {
                        let message = panic
                            .downcast_ref::<String>()
                            .cloned()
                            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                            .unwrap_or_else(|| "panicked".to_string());
                        Err(SweepError::RunFailed {
                            run,
                            message,
                            command: sweep.rerun_command(run),
                        })
                    });
                if sender.send((position, result)).is_err() {
                    return;
                }
            });
        }
        drop(sender);

        // The writer: this thread.
        let mut ready: BTreeMap<usize, Finished> = BTreeMap::new();
        let mut written = 0;
        while written < todo.len() {
            let Ok((position, result)) = receiver.recv() else {
                break;
            };
            match result {
                Ok(finished) => {
                    ready.insert(position, finished);
                }
                Err(error) => {
                    outcome = Err(error);
                    break;
                }
            }
            let mut batch = Vec::new();
            while let Some(finished) = ready.remove(&written) {
                batch.push(finished);
                written += 1;
            }
            if batch.is_empty() {
                continue;
            }
            if let Err(error) = write(&batch) {
                outcome = Err(error);
                break;
            }
            let mut state = queue.lock().unwrap_or_else(|e| e.into_inner());
            state.written = written;
            wake.notify_all();
        }
        if outcome.is_err() {
            abort.store(true, Ordering::SeqCst);
            wake.notify_all();
        }
        // Let the workers finish the runs they hold; their results are dropped.
        drop(receiver);
    });
    outcome
}

/// Runs one run of the sweep and formats its rows; with `keep_timeseries`, writes its files
/// into `out/runs/<run>/`.
fn execute(sweep: &Sweep, run: u64, out: &Path) -> Result<Finished, SweepError> {
    let overrides = sweep.overrides(run)?;
    let scenario = load_scenario(&sweep.scenario_path, &sweep.scenarios_dir, &overrides)?;
    let result = Simulation::new(&scenario).run(|_, _| {});
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
        write_timeseries(&dir.join("timeseries.csv"), &result.metrics).map_err(wrap)?;
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
