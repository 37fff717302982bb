//! The model fingerprint: which build of revsim wrote a file. Every manifest carries it, and a
//! sweep's design hash covers it, so `revsim merge` and `revsim sweep --resume` refuse to mix
//! folders written by different builds.
//!
//! ```text
//! registries  = SHA-256 of the parameter registry (per parameter, in registry order:
//!               name, kind, default, min, max) and of the metric registry (`revsim list metrics`)
//! fingerprint = first 16 hex digits of SHA-256(version || commit || registries)
//! ```
//!
//! The commit is `git rev-parse HEAD` when revsim was built from a git checkout, or the
//! `REVSIM_COMMIT` environment variable at build time (a build from a source archive); empty
//! when neither is known. Uncommitted edits do not change the commit: the registries' hash
//! catches a changed parameter default, range or metric, not a changed rule.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::params::{registry, ParamKind};

/// Which build wrote a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Build {
    /// The crate version.
    pub version: String,
    /// The git commit built from, if known at build time.
    pub commit: Option<String>,
    /// SHA-256 of the parameter and metric registries.
    pub registries: String,
    /// The first 16 hex digits of SHA-256(version, commit, registries).
    pub fingerprint: String,
}

impl Build {
    /// The build as words, for errors: `a1b2c3d4e5f6a7b8 (revsim 0.1.0, commit 1234abcd5678,
    /// registries 9f8e7d6c5b4a)`.
    pub fn describe(&self) -> String {
        let commit = self
            .commit
            .as_deref()
            .map_or("commit unknown".to_string(), |c| {
                format!("commit {}", &c[..12.min(c.len())])
            });
        format!(
            "{} (revsim {}, {commit}, registries {})",
            self.fingerprint,
            self.version,
            &self.registries[..12.min(self.registries.len())]
        )
    }

    fn compute(version: &str, commit: Option<&str>, registries: &str) -> Build {
        let mut hasher = Sha256::new();
        for part in [version, commit.unwrap_or(""), registries] {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
        let digest = format!("{:x}", hasher.finalize());
        Build {
            version: version.to_string(),
            commit: commit.map(str::to_string),
            registries: registries.to_string(),
            fingerprint: digest[..16].to_string(),
        }
    }
}

/// SHA-256 of the parameter registry (name, kind, default, min, max of each) and the metric
/// registry.
pub fn registries_hash() -> String {
    let mut hasher = Sha256::new();
    for spec in registry() {
        let kind = match spec.kind {
            ParamKind::Real => "real",
            ParamKind::Integer => "integer",
            ParamKind::Flag => "flag",
        };
        hasher.update(
            format!(
                "{}\t{kind}\t{:?}\t{:?}\t{:?}\n",
                spec.name, spec.default, spec.min, spec.max
            )
            .as_bytes(),
        );
    }
    hasher.update(b"--metrics--\n");
    hasher.update(crate::metrics::listing().as_bytes());
    format!("{:x}", hasher.finalize())
}

/// This build.
pub fn build() -> &'static Build {
    static BUILD: OnceLock<Build> = OnceLock::new();
    BUILD.get_or_init(|| {
        let commit = env!("REVSIM_BUILD_COMMIT");
        Build::compute(
            env!("CARGO_PKG_VERSION"),
            (!commit.is_empty()).then_some(commit),
            &registries_hash(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fingerprint_covers_version_commit_and_registries() {
        let base = Build::compute("0.1.0", Some("abc"), "r1");
        assert_eq!(base.fingerprint.len(), 16);
        assert_eq!(base, Build::compute("0.1.0", Some("abc"), "r1"));
        for other in [
            Build::compute("0.1.1", Some("abc"), "r1"),
            Build::compute("0.1.0", Some("abd"), "r1"),
            Build::compute("0.1.0", None, "r1"),
            Build::compute("0.1.0", Some("abc"), "r2"),
            // Lengths are hashed too: moving a character between parts changes the hash.
            Build::compute("0.1.0a", Some("bc"), "r1"),
        ] {
            assert_ne!(base.fingerprint, other.fingerprint, "{other:?}");
        }
        let this = build();
        assert_eq!(this.registries, registries_hash());
        assert_eq!(this.version, env!("CARGO_PKG_VERSION"));
        assert!(this.describe().starts_with(&this.fingerprint));
    }
}
