//! The seed of every run of a sweep, derived from the sweep's root seed and the run's index
//! alone, so that a run's numbers do not depend on the thread count, the shard split, or which
//! runs came before it.
//!
//! ```text
//! seed(root_seed, run) = u64_le( SHA-256( u64_le_bytes(root_seed) || u64_le_bytes(run) )[0..8] )
//!                        & 0x7fff_ffff_ffff_ffff
//! ```
//!
//! That is: hash the 16 bytes of the root seed and the run index (each a little-endian
//! unsigned 64-bit integer), read the first 8 bytes of the digest as a little-endian integer,
//! and clear its top bit (so every seed is also a valid signed 64-bit integer: TOML, pandas and
//! R read it without loss). In Python:
//!
//! ```text
//! int.from_bytes(hashlib.sha256(root.to_bytes(8, "little") + run.to_bytes(8, "little"))
//!                .digest()[:8], "little") & (2**63 - 1)
//! ```
//!
//! The design's random draws (Latin hypercube and random samples) come from a separate stream,
//! see [`design_rng`].

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use sha2::{Digest, Sha256};

/// The seed function in words, for `--help`, the manifest and the README.
pub const SEED_FUNCTION: &str = "seed = first 8 bytes, read as a little-endian u64, of \
SHA-256(root_seed as u64 little-endian || run index as u64 little-endian), with the top bit \
cleared";

/// The seed of run `run` of a sweep with root seed `root_seed`.
pub fn run_seed(root_seed: u64, run: u64) -> u64 {
    let mut hasher = Sha256::new();
    hasher.update(root_seed.to_le_bytes());
    hasher.update(run.to_le_bytes());
    let digest = hasher.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_le_bytes(first) & 0x7fff_ffff_ffff_ffff
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
    fn seeds_are_pinned_and_63_bit() {
        // Pinned so that a change of the documented function cannot go unnoticed.
        let mut hasher = Sha256::new();
        hasher.update([0u8; 16]);
        let digest = hasher.finalize();
        let expected = u64::from_le_bytes(digest[..8].try_into().unwrap()) & 0x7fff_ffff_ffff_ffff;
        assert_eq!(run_seed(0, 0), expected);
        // The same numbers as the Python one-liner in the module docs gives.
        assert_eq!(run_seed(7, 0), 6_323_736_920_586_129_526);
        assert_eq!(run_seed(7, 11), 6_758_668_641_181_457_489);
        assert_eq!(run_seed(1917, 249), 1_352_693_015_491_800_198);
        for run in 0..1000 {
            assert!(run_seed(1917, run) <= i64::MAX as u64);
        }
        assert_ne!(run_seed(1917, 0), run_seed(1917, 1));
        assert_ne!(run_seed(1917, 0), run_seed(1918, 0));
        assert_eq!(run_seed(1917, 5), run_seed(1917, 5));
    }
}
