//! The one runner of many runs: jobs on a rayon pool of a given size, their results handed
//! back in job order whatever the thread count. `validate` and `compare` run seeded
//! ensembles of scenarios with [`run_seeds`]; `sweep` streams its runs to disk with
//! [`for_each_in_order`].

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Condvar, Mutex};

use crate::metrics::Metrics;
use crate::scenario::Scenario;
use crate::sim::{NonFinite, RunResult, Simulation};

/// Why the pool could not run the jobs.
#[derive(Debug, thiserror::Error)]
pub enum PoolError {
    #[error("cannot start {threads} threads: {message}")]
    Start { threads: usize, message: String },
    /// A job panicked; the message is the panic's.
    #[error("{message}")]
    Panicked { job: usize, message: String },
    /// A run measured a NaN or infinity.
    #[error(transparent)]
    NonFinite(#[from] NonFinite),
}

/// Why [`for_each_in_order`] stopped: an error of the caller's (`work` or `write`), or of the
/// pool.
#[derive(Debug)]
pub enum Stop<E> {
    Job(E),
    Pool(PoolError),
}

/// One run of an ensemble: a scenario and the seed to run it with.
#[derive(Clone, Copy)]
pub struct Job<'a> {
    pub scenario: &'a Scenario,
    pub seed: u64,
}

/// The seed of replicate `index`: the scenario's seed plus the index, so replicate 0 is the
/// scenario's own run and any replicate can be re-run alone with `revsim run --seed`.
pub fn replicate_seed(base: u64, index: usize) -> u64 {
    base.wrapping_add(index as u64)
}

/// `replicates` jobs of each scenario in turn: seeds from each scenario's own (see
/// [`replicate_seed`]).
pub fn replicate_jobs<'a>(scenarios: &[&'a Scenario], replicates: usize) -> Vec<Job<'a>> {
    scenarios
        .iter()
        .flat_map(|&scenario| {
            (0..replicates).map(move |i| Job {
                scenario,
                seed: replicate_seed(scenario.run.seed, i),
            })
        })
        .collect()
}

/// Shown each job's measures after every week it runs: the job's position, what it has
/// measured so far, weeks done and weeks in all (see [`Simulation::run_watched`]).
pub type Watch<'a> = dyn Fn(usize, &Metrics, u32, u32) + Sync + 'a;

/// The [`Watch`] of a caller that shows nothing while the runs go.
pub fn unwatched(_: usize, _: &Metrics, _: u32, _: u32) {}

/// Runs every job on `threads` threads and hands each finished run to `read`, which keeps what
/// it needs. Returns what `read` kept, in job order. `progress(done)` follows the runs, `watch`
/// the weeks of each.
pub fn run_seeds<T: Send>(
    jobs: &[Job],
    threads: usize,
    progress: &mut dyn FnMut(usize),
    watch: &Watch,
    read: &(dyn Fn(&RunResult) -> T + Sync),
) -> Result<Vec<T>, PoolError> {
    let mut kept = Vec::with_capacity(jobs.len());
    for_each_in_order(
        jobs,
        threads,
        &|index, job: &Job| {
            let mut scenario = job.scenario.clone();
            scenario.run.seed = job.seed;
            Simulation::new(&scenario)
                .run_watched(|metrics, done, total| watch(index, metrics, done, total))
                .map(|result| read(&result))
        },
        &mut |batch| {
            kept.extend(batch);
            progress(kept.len());
            Ok(())
        },
    )
    .map_err(|stop| match stop {
        Stop::Pool(error) => error,
        Stop::Job(error) => PoolError::NonFinite(error),
    })?;
    Ok(kept)
}

/// The hand-out state shared by the workers.
struct Queue {
    /// Position of the next job to hand out.
    next: usize,
    /// Position of the next result to write (every earlier one is written).
    written: usize,
}

/// The message of a panic's payload.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "panicked".to_string())
}

/// Runs `work(position, job)` for every job on a pool of `threads` threads and calls `write`
/// on this thread with each batch of results in job order, as soon as every earlier one is
/// written. Jobs are handed out in order, at most a window of `4 × threads + 4` ahead of the
/// writer, so memory does not grow with the number of jobs. The first error (of `work`,
/// `write`, or a panic in `work`) stops the hand-out and is returned; the jobs already
/// running finish and their results are dropped.
pub fn for_each_in_order<J: Sync, T: Send, E: Send>(
    jobs: &[J],
    threads: usize,
    work: &(dyn Fn(usize, &J) -> Result<T, E> + Sync),
    write: &mut dyn FnMut(Vec<T>) -> Result<(), E>,
) -> Result<(), Stop<E>> {
    if jobs.is_empty() {
        return Ok(());
    }
    let threads = threads.min(jobs.len()).max(1);
    let window = 4 * threads + 4;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("revsim-run-{i}"))
        .build()
        .map_err(|e| {
            Stop::Pool(PoolError::Start {
                threads,
                message: e.to_string(),
            })
        })?;
    let queue = Mutex::new(Queue {
        next: 0,
        written: 0,
    });
    let wake = Condvar::new();
    let abort = AtomicBool::new(false);
    let (sender, receiver) = mpsc::channel::<(usize, Result<T, Stop<E>>)>();

    let mut outcome: Result<(), Stop<E>> = Ok(());
    pool.in_place_scope(|scope| {
        for _ in 0..threads {
            let sender = sender.clone();
            let (queue, wake, abort) = (&queue, &wake, &abort);
            scope.spawn(move |_| loop {
                let position = {
                    let mut state = queue.lock().unwrap_or_else(|e| e.into_inner());
                    while !abort.load(Ordering::SeqCst)
                        && state.next < jobs.len()
                        && state.next >= state.written + window
                    {
                        state = wake.wait(state).unwrap_or_else(|e| e.into_inner());
                    }
                    if abort.load(Ordering::SeqCst) || state.next >= jobs.len() {
                        return;
                    }
                    state.next += 1;
                    state.next - 1
                };
                let result =
                    match catch_unwind(AssertUnwindSafe(|| work(position, &jobs[position]))) {
                        Ok(done) => done.map_err(Stop::Job),
                        Err(panic) => Err(Stop::Pool(PoolError::Panicked {
                            job: position,
                            message: panic_message(panic.as_ref()),
                        })),
                    };
                if sender.send((position, result)).is_err() {
                    return;
                }
            });
        }
        drop(sender);

        // The writer: this thread.
        let mut ready: BTreeMap<usize, T> = BTreeMap::new();
        let mut written = 0;
        while written < jobs.len() {
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
            if let Err(error) = write(batch) {
                outcome = Err(Stop::Job(error));
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
        // Let the workers finish the jobs they hold; their results are dropped.
        drop(receiver);
    });
    outcome
}
