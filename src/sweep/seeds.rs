//! The seed of every run of a sweep, derived from the sweep's root seed and the run's index
//! (or, with common random numbers, its replicate) alone, so that a run's numbers do not
//! depend on the thread count, the shard split, or which runs came before it.
//!
//! ```text
//! seed(root_seed, i) = u64_le( SHA-256( u64_le_bytes(root_seed) || u64_le_bytes(i) )[0..8] )
//!                      & (2^53 - 1)
//! i = the run index, or with common_random_numbers = true the run's replicate
//! ```
//!
//! That is: hash the 16 bytes of the root seed and the index (each a little-endian unsigned
//! 64-bit integer), read the first 8 bytes of the digest as a little-endian integer, and keep
//! its low 53 bits. Every seed is below 2^53, so it is exact as a double: R's `read.csv`,
//! pandas, spreadsheets and JSON readers all read it without loss, and `revsim run --seed`
//! with the number they show gives the run again. In Python:
//!
//! ```text
//! int.from_bytes(hashlib.sha256(root.to_bytes(8, "little") + i.to_bytes(8, "little"))
//!                .digest()[:8], "little") & (2**53 - 1)
//! ```
//!
//! The design's random draws (Latin hypercube and random samples) come from a separate stream,
//! see [`design_rng`].

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use sha2::{Digest, Sha256};

/// The seed function in words, for `--help`, the manifest and the README.
pub const SEED_FUNCTION: &str = "seed = first 8 bytes, read as a little-endian u64, of \
SHA-256(root_seed as u64 little-endian || i as u64 little-endian), keeping the low 53 bits (so \
it is exact as a double); i is the run index, or the replicate with common random numbers";

/// Largest seed + 1: seeds are below 2^53, exact in a double.
pub const SEED_LIMIT: u64 = 1 << 53;

/// The seed of run `run` of a sweep of `points` points: keyed on the run index, or with
/// `common_random_numbers` on its replicate (`run / points`), so that replicate r has the
/// same seed at every point.
pub fn sweep_seed(root_seed: u64, run: u64, points: u64, common_random_numbers: bool) -> u64 {
    if common_random_numbers {
        run_seed(root_seed, run / points.max(1))
    } else {
        run_seed(root_seed, run)
    }
}

/// The seed at index `run` (see the module docs) of a sweep with root seed `root_seed`.
pub fn run_seed(root_seed: u64, run: u64) -> u64 {
    let mut hasher = Sha256::new();
    hasher.update(root_seed.to_le_bytes());
    hasher.update(run.to_le_bytes());
    let digest = hasher.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_le_bytes(first) & (SEED_LIMIT - 1)
}

/// The generator of a design's samples: ChaCha8 keyed with
/// SHA-256("revsim-sweep-design" || u64_le_bytes(root_seed)). Independent of every run's seed.
pub fn design_rng(root_seed: u64) -> ChaCha8Rng {
    let mut hasher = Sha256::new();
    hasher.update(b"revsim-sweep-design");
    hasher.update(root_seed.to_le_bytes());
    let key: [u8; 32] = hasher.finalize().into();
    ChaCha8Rng::from_seed(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_are_pinned_and_below_2_pow_53() {
        // Pinned so that a change of the documented function cannot go unnoticed.
        let mut hasher = Sha256::new();
        hasher.update([0u8; 16]);
        let digest = hasher.finalize();
        let expected = u64::from_le_bytes(digest[..8].try_into().unwrap()) & ((1u64 << 53) - 1);
        assert_eq!(run_seed(0, 0), expected);
        // The same numbers as the Python one-liner in the module docs gives.
        assert_eq!(run_seed(7, 0), 683_043_757_953_142);
        assert_eq!(run_seed(7, 11), 3_269_200_125_713_489);
        assert_eq!(run_seed(1917, 249), 1_613_127_280_651_398);
        for run in 0..1000 {
            let seed = run_seed(1917, run);
            assert!(seed < SEED_LIMIT);
            // Exact as a double: what R's read.csv and pandas' float columns hold.
            assert_eq!(seed as f64 as u64, seed);
        }
        // Common random numbers: replicate r has one seed at every point.
        for point in 0..5 {
            assert_eq!(sweep_seed(9, 2 * 5 + point, 5, true), run_seed(9, 2));
            assert_eq!(
                sweep_seed(9, 2 * 5 + point, 5, false),
                run_seed(9, 2 * 5 + point)
            );
        }
        assert_ne!(run_seed(1917, 0), run_seed(1917, 1));
        assert_ne!(run_seed(1917, 0), run_seed(1918, 0));
        assert_eq!(run_seed(1917, 5), run_seed(1917, 5));
    }
}
