//! How one run spreads its per-agent work over threads. A rule that visits every person
//! hands its loop to rayon over the columns of [`crate::model::Persons`] ([`Workers::min_len`]); what a
//! person writes is their own, and the draws are counter-based per person
//! ([`crate::rng`]), so a run's outputs do not depend on how many threads do the work.
//! Anything summed over persons is summed per [`CHUNK`] of persons, in spawn order within a
//! chunk, and the chunks' sums are merged in chunk order: a fixed order, whatever the threads.

use bevy_ecs::prelude::Resource;
use rayon::prelude::*;

/// Persons in one piece of parallel work, and in one partial sum: large enough that handing
/// a piece to a thread costs little against the work in it, small enough that two threads
/// share a small region's persons evenly. Fixed, so sums do not depend on the threads.
pub const CHUNK: usize = 4096;

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
    pub fn min_len(workers: Option<&Workers>) -> usize {
        match workers {
            Some(workers) if workers.threads > 1 => 1,
            _ => usize::MAX,
        }
    }
}

/// `f` for every person, given two of their parts to read and two to write (columns of
/// [`crate::model::Persons`], row by row), in chunks of [`CHUNK`] persons on the run's
/// threads ([`Workers::min_len`]).
pub fn for_each_person<A: Sync, B: Sync, C: Send, D: Send>(
    workers: Option<&Workers>,
    (a, b, c, d): (&[A], &[B], &mut [C], &mut [D]),
    f: impl Fn(&A, &B, &mut C, &mut D) + Sync + Send,
) {
    a.par_chunks(CHUNK)
        .zip(b.par_chunks(CHUNK))
        .zip(c.par_chunks_mut(CHUNK))
        .zip(d.par_chunks_mut(CHUNK))
        .with_min_len(Workers::min_len(workers))
        .for_each(|(((a, b), c), d)| {
            for (((a, b), c), d) in a.iter().zip(b).zip(c).zip(d) {
                f(a, b, c, d);
            }
        });
}
