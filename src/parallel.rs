//! How one run spreads its per-agent work over threads. A rule that visits every person
//! hands its loop to rayon over the columns of [`crate::model::Persons`] ([`in_pieces`]); what a
//! person writes is their own, and the draws are counter-based per person
//! ([`crate::rng`]), so a run's outputs do not depend on how many threads do the work.
//! Anything summed over persons is summed in whole numbers (the census's shares in fixed-point
//! units, `census::Fixed`), which any order of merging gives exactly, whatever the threads.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

use bevy_ecs::prelude::Resource;
use rayon::prelude::*;

use crate::model::{Allegiance, Outlook, Person, Persons, Status, Temperament};

/// Persons in one piece of parallel work: large enough that handing a piece to a thread costs
/// little against the work in it, small enough that two threads share a small region's
/// persons evenly.
pub const CHUNK: usize = 4096;

/// The most chunks one piece of a rule's work holds. rayon splits a loop in about as many
/// pieces as threads, and splits again only what another thread takes, so a thread may be
/// left a dozen chunks to finish alone while the others wait; with a chunk a piece, a rule's
/// threads finish at most a chunk apart (on two threads the one kept awake sat idle in 16 %
/// of its samples, and 12 % with this).
pub const MAX_CHUNKS_A_PIECE: usize = 1;

/// The threads one run's rules may use. Absent from a World (as in a unit test that runs one
/// rule), a run uses one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Resource)]
pub struct Workers {
    pub threads: usize,
}

impl Workers {
    /// The fewest items a piece of a rayon iterator may hold: on one thread, all of them, so
    /// the iterator never splits and runs on the calling thread, in order, touching no thread
    /// pool (a run inside `sweep`'s pool stays on its own thread); else one.
    fn min_len(workers: Option<&Workers>) -> usize {
        match workers {
            Some(workers) if workers.threads > 1 => 1,
            _ => usize::MAX,
        }
    }
}

/// `items` (chunks of persons, or what a rule keeps per chunk) as pieces of work on the run's
/// threads: on one thread a single piece, run in order on the calling thread
/// (`Workers::min_len`); else [`MAX_CHUNKS_A_PIECE`] items a piece.
pub fn in_pieces<I: IndexedParallelIterator>(
    items: I,
    workers: Option<&Workers>,
) -> impl IndexedParallelIterator<Item = I::Item> {
    items
        .with_min_len(Workers::min_len(workers))
        .with_max_len(MAX_CHUNKS_A_PIECE)
}

/// Runs `work` on `pool` (on the calling thread where there is none), the pool's other
/// threads kept looking for pieces of it until it is done ([`take_work_until`]) instead of
/// going to sleep. A week runs a dozen parallel rules
/// with a little serial work between them; an idle rayon thread sleeps after some tens of
/// microseconds, and waking it for the next rule costs system calls and, on a virtual
/// machine, a wait before it runs again: the baseline on two threads made 3,840 context
/// switches, 580 kept awake. Kept awake, threads take their processors from anything else
/// running, so no more are kept awake than there are processors.
pub fn install_awake<R: Send>(
    pool: Option<&rayon::ThreadPool>,
    work: impl FnOnce() -> R + Send,
) -> R {
    let Some(pool) = pool else {
        return work();
    };
    pool.install(|| {
        let done = AtomicBool::new(false);
        let working = rayon::current_thread_index();
        rayon::scope(|scope| {
            // Pushed before any of `work`'s pieces, so the idle threads take these first: a
            // thread takes the oldest piece of another's queue.
            for _ in 1..rayon::current_num_threads().min(processors()) {
                scope.spawn(|_| {
                    // The thread doing `work` may pick one up while it waits: it must not
                    // wait on itself.
                    if rayon::current_thread_index() != working {
                        take_work_until(&done);
                    }
                });
            }
            // Set however `work` ends: were it to panic, the scope would otherwise wait for
            // its awake threads for ever instead of passing the panic on.
            let _done_on_leaving = SetOnDrop(&done);
            work()
        })
    })
}

/// Sets its flag when dropped, on return or on unwinding.
struct SetOnDrop<'a>(&'a AtomicBool);

impl Drop for SetOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Release);
    }
}

/// The processors this process may use (1 where that cannot be known).
fn processors() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

/// Takes pieces of work from the current pool until `done`, yielding the processor to any
/// other thread whenever there are none.
fn take_work_until(done: &AtomicBool) {
    while !done.load(Ordering::Acquire) {
        if rayon::yield_now() != Some(rayon::Yield::Executed) {
            std::thread::yield_now();
        }
    }
}

/// Whole-number counts kept in one copy per thread of a run, for a rule whose pieces of work
/// are a chunk each ([`MAX_CHUNKS_A_PIECE`]) and whose counts are too large to start afresh
/// for every piece: a piece adds into the copy of the thread it runs on, and the copies are
/// merged once at the end. Which piece lands in which copy depends on the threads, so only
/// for sums exact in any order.
pub struct PerThread<T>(Vec<Mutex<T>>);

impl<T> PerThread<T> {
    /// A copy from `init` for each of the run's threads.
    pub fn new(workers: Option<&Workers>, init: impl Fn() -> T) -> PerThread<T> {
        let threads = workers.map_or(1, |workers| workers.threads.max(1));
        PerThread((0..threads).map(|_| Mutex::new(init())).collect())
    }

    /// Runs `add` on the copy of the thread calling (the first copy off the run's pool).
    pub fn add<R>(&self, add: impl FnOnce(&mut T) -> R) -> R {
        let slot = rayon::current_thread_index().unwrap_or(0) % self.0.len();
        let mut copy = self.0[slot].lock().unwrap_or_else(PoisonError::into_inner);
        add(&mut copy)
    }

    /// The copies, to merge.
    pub fn into_copies(self) -> impl Iterator<Item = T> {
        self.0
            .into_iter()
            .map(|copy| copy.into_inner().unwrap_or_else(PoisonError::into_inner))
    }
}

/// One chunk of rows of the persons' table ([`chunks_mut`]): a slice of each column.
pub struct Rows<'a> {
    pub person: &'a mut [Person],
    pub status: &'a mut [Status],
    pub allegiance: &'a mut [Allegiance],
    pub outlook: &'a mut [Outlook],
    pub temperament: &'a mut [Temperament],
}

/// One person's parts, as a chunk's rows yield them ([`Rows::iter_mut`]).
pub type Row<'r> = (
    &'r mut Person,
    &'r mut Status,
    &'r mut Allegiance,
    &'r mut Outlook,
    &'r mut Temperament,
);

impl Rows<'_> {
    /// The chunk's rows in order: each person's parts.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = Row<'_>> {
        self.person
            .iter_mut()
            .zip(self.status.iter_mut())
            .zip(self.allegiance.iter_mut())
            .zip(self.outlook.iter_mut())
            .zip(self.temperament.iter_mut())
            .map(|((((person, status), allegiance), outlook), temperament)| {
                (person, status, allegiance, outlook, temperament)
            })
    }
}

/// The rows of `persons` from `first` on, in chunks of [`CHUNK`] in spawn order, each chunk a
/// piece of work on the run's threads ([`in_pieces`]). A rule writes only the rows
/// of its chunk; what it sums over persons it sums per chunk (see the module's doc).
pub fn chunks_mut<'a>(
    persons: &'a mut Persons,
    first: usize,
    workers: Option<&Workers>,
) -> impl IndexedParallelIterator<Item = Rows<'a>> {
    let Persons {
        person,
        status,
        allegiance,
        outlook,
        temperament,
    } = persons;
    let chunks = person[first..]
        .par_chunks_mut(CHUNK)
        .zip(status[first..].par_chunks_mut(CHUNK))
        .zip(allegiance[first..].par_chunks_mut(CHUNK))
        .zip(outlook[first..].par_chunks_mut(CHUNK))
        .zip(temperament[first..].par_chunks_mut(CHUNK));
    in_pieces(chunks, workers).map(|((((person, status), allegiance), outlook), temperament)| {
        Rows {
            person,
            status,
            allegiance,
            outlook,
            temperament,
        }
    })
}

/// How many persons `counts` is true for, given each person's row to read and write, visited
/// in [`chunks_mut`]: counted per chunk in whole numbers, so the total is exact in any order
/// (a rule's deaths or deserters this week).
pub fn count_rows(
    persons: &mut Persons,
    workers: Option<&Workers>,
    counts: impl Fn(Row<'_>) -> bool + Sync + Send,
) -> u32 {
    chunks_mut(persons, 0, workers)
        .map(|mut rows| {
            rows.iter_mut()
                .map(|row| u32::from(counts(row)))
                .sum::<u32>()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The work runs on the pool and its result comes back, whether the pool has fewer
    /// threads than processors or more, installed again and again (a thread kept awake must
    /// never end up waiting on itself).
    #[test]
    fn work_installed_awake_runs_on_the_pool_and_returns_its_result() {
        for threads in [2, 3, 8] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("a pool starts");
            for round in 0..50u64 {
                let (on_pool, sum) = install_awake(Some(&pool), || {
                    let sum = (0..10_000u32)
                        .into_par_iter()
                        .with_min_len(16)
                        .map(|x| u64::from(x) * round)
                        .sum::<u64>();
                    (rayon::current_thread_index().is_some(), sum)
                });
                assert!(on_pool, "{threads} threads, round {round}");
                assert_eq!(sum, round * 10_000 * 9_999 / 2, "{threads} threads");
            }
        }
    }

    /// Counts added per thread in pieces of one item merge to the count made in order, on a
    /// pool of any size, and off any pool.
    #[test]
    fn counts_kept_per_thread_merge_to_the_whole_count() {
        let serial: Vec<u64> = (0..1000u64).fold(vec![0; 7], |mut counts, x| {
            counts[(x % 7) as usize] += x;
            counts
        });
        for threads in [1, 2, 4] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("a pool starts");
            let workers = Workers { threads };
            let counts = PerThread::new(Some(&workers), || vec![0u64; 7]);
            pool.install(|| {
                (0..1000u32)
                    .into_par_iter()
                    .with_max_len(MAX_CHUNKS_A_PIECE)
                    .for_each(|x| {
                        let x = u64::from(x);
                        counts.add(|counts| counts[(x % 7) as usize] += x);
                    });
            });
            let merged = counts.into_copies().fold(vec![0u64; 7], |mut sum, copy| {
                sum.iter_mut()
                    .zip(copy)
                    .for_each(|(sum, count)| *sum += count);
                sum
            });
            assert_eq!(merged, serial, "{threads} threads");
        }
        let off_pool = PerThread::new(None, || 0u64);
        (0..1000u64).for_each(|x| off_pool.add(|count| *count += x));
        assert_eq!(off_pool.into_copies().sum::<u64>(), 499_500);
    }

    /// A panic in the work reaches the caller; the threads kept awake let go instead of
    /// holding the pool for ever.
    #[test]
    fn a_panic_in_work_installed_awake_reaches_the_caller() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .expect("a pool starts");
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            install_awake(Some(&pool), || -> u32 { panic!("a rule failed") })
        }));
        assert!(outcome.is_err());
        assert_eq!(install_awake(Some(&pool), || 7), 7, "the pool still works");
    }
}
