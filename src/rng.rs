//! Random numbers. A run has one seed; a ChaCha8 generator seeded from it derives one key per
//! random stream (one stream per rule). Draws for one agent in one step come from a
//! counter-based generator keyed by (stream key, agent id, step), so they do not depend on
//! the order in which the ECS visits agents, nor on how many threads do the work.

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp1, StandardNormal};

/// The random streams of a run, one per rule that draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Stream {
    Setup,
    PartyChoice,
    Revolt,
    Repression,
    War,
    Migration,
    Famine,
    Weather,
    CivilWar,
    Combat,
    FoodDetachments,
    /// A person's own attachment to each party, fixed for life (one sequence, in party order).
    Leaning,
    /// How much a person fears speaking out, fixed for life.
    Stance,
    /// Workers going back from the villages to the factories.
    Return,
    /// Whether a villager follows the soldiers come home into a rising, fixed for life.
    Follower,
    /// How much a person's own interest in each issue differs from their class's, fixed for
    /// life (one sequence, in issue order).
    Concern,
}

impl Stream {
    const COUNT: u8 = Stream::Concern as u8 + 1;
}

/// The keys of every stream of one run.
#[derive(Debug, Clone, bevy_ecs::prelude::Resource)]
pub struct RunRng {
    keys: Vec<u64>,
}

impl RunRng {
    pub fn new(seed: u64) -> RunRng {
        let mut chacha = ChaCha8Rng::seed_from_u64(seed);
        let keys = (0..Stream::COUNT).map(|_| chacha.next_u64()).collect();
        RunRng { keys }
    }

    /// The draws of one agent (or other numbered thing) in one step of one stream. The start
    /// is one mix of the key and (id, step): within a stream every (id, step) is a distinct
    /// input to a bijection, so no two starts are the same.
    pub fn draws(&self, stream: Stream, id: u32, step: u32) -> Draws {
        let key = self.keys[stream as usize];
        Draws {
            state: mix(key ^ ((u64::from(id) << 32) | u64::from(step))),
        }
    }
}

/// SplitMix64's output function: a bijective 64-bit mixer with full avalanche.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A short SplitMix64 sequence for one agent-step.
#[derive(Debug, Clone)]
pub struct Draws {
    state: u64,
}

impl Draws {
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.state)
    }

    /// Uniform on [0, 1).
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.uniform() < p
    }

    /// Uniform integer in `0..n` (n > 0).
    pub fn below(&mut self, n: u32) -> u32 {
        (((self.next_u64() >> 32) * u64::from(n)) >> 32) as u32
    }

    /// Standard normal (`rand_distr`'s ziggurat: most draws take one number and no
    /// logarithm or cosine).
    pub fn normal(&mut self) -> f64 {
        StandardNormal.sample(self)
    }

    /// Exponential with mean 1 (`rand_distr`'s ziggurat, like [`Draws::normal`]).
    pub fn exponential(&mut self) -> f64 {
        Exp1.sample(self)
    }
}

/// So that `rand_distr`'s samplers can draw from an agent-step's sequence.
impl RngCore for Draws {
    fn next_u32(&mut self) -> u32 {
        (Draws::next_u64(self) >> 32) as u32
    }

    fn next_u64(&mut self) -> u64 {
        Draws::next_u64(self)
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        rand::rand_core::impls::fill_bytes_via_next(self, dest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_depend_only_on_key_id_and_step() {
        let rng = RunRng::new(7);
        let a: Vec<u64> = (0..4)
            .map(|_| rng.draws(Stream::Revolt, 3, 9).next_u64())
            .collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(
            rng.draws(Stream::Revolt, 3, 9).next_u64(),
            rng.draws(Stream::Revolt, 4, 9).next_u64()
        );
        assert_ne!(
            rng.draws(Stream::Revolt, 3, 9).next_u64(),
            rng.draws(Stream::War, 3, 9).next_u64()
        );
        assert_ne!(
            RunRng::new(7).draws(Stream::War, 1, 1).next_u64(),
            RunRng::new(8).draws(Stream::War, 1, 1).next_u64()
        );
    }

    #[test]
    fn normals_have_mean_zero_and_unit_variance() {
        let rng = RunRng::new(1);
        let n = 20_000;
        let draws: Vec<f64> = (0..n)
            .map(|i| rng.draws(Stream::Concern, i, 0).normal())
            .collect();
        let mean = draws.iter().sum::<f64>() / f64::from(n);
        let variance = draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / f64::from(n);
        assert!(mean.abs() < 0.03, "{mean}");
        assert!((variance - 1.0).abs() < 0.05, "{variance}");
    }

    #[test]
    fn uniform_mean_is_about_a_half() {
        let rng = RunRng::new(1);
        let n = 20_000;
        let mean: f64 = (0..n)
            .map(|i| rng.draws(Stream::Setup, i, 0).uniform())
            .sum::<f64>()
            / n as f64;
        assert!((mean - 0.5).abs() < 0.01, "{mean}");
    }
}
