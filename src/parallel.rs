//! How one run spreads its per-agent work over threads. A rule that visits every person
//! hands its loop to rayon over the persons' component slices ([`Workers::min_len`]); what a
//! person writes is their own, and the draws are counter-based per person
//! ([`crate::rng`]), so a run's outputs do not depend on how many threads do the work.
//! Anything summed over persons is summed per [`CHUNK`] of persons, in spawn order within a
//! chunk, and the chunks' sums are merged in chunk order: a fixed order, whatever the threads.

use bevy_ecs::component::{Component, Mutable};
use bevy_ecs::prelude::{Query, Resource};
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

/// Why the persons iterate as slices: their components are in tables, bevy's default
/// storage, so a query over them is dense.
pub const DENSE: &str = "persons' components are stored in tables, so their queries are dense";

/// `f` for every person, given two of their components to read and two to write, in chunks
/// of [`CHUNK`] persons on the run's threads ([`Workers::min_len`]).
pub fn for_each_person<A, B, C, D>(
    workers: Option<&Workers>,
    persons: &mut Query<(&A, &B, &mut C, &mut D)>,
    f: impl Fn(&A, &B, &mut C, &mut D) + Sync + Send,
) where
    A: Component,
    B: Component,
    C: Component<Mutability = Mutable>,
    D: Component<Mutability = Mutable>,
{
    let min_len = Workers::min_len(workers);
    for (a, b, mut c, mut d) in persons.contiguous_iter_mut().expect(DENSE) {
        a.par_chunks(CHUNK)
            .zip(b.par_chunks(CHUNK))
            .zip(c.bypass_change_detection().par_chunks_mut(CHUNK))
            .zip(d.bypass_change_detection().par_chunks_mut(CHUNK))
            .with_min_len(min_len)
            .for_each(|(((a, b), c), d)| {
                for (((a, b), c), d) in a.iter().zip(b).zip(c).zip(d) {
                    f(a, b, c, d);
                }
            });
    }
}
