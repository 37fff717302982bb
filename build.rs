//! Records the git commit revsim is built from, for the model fingerprint
//! (`src/fingerprint.rs`): `REVSIM_COMMIT` from the environment if set (a build from a source
//! archive), else `git rev-parse HEAD` when the source is a git checkout, else nothing.
//! Rebuilds when the commit moves (the checkout's HEAD, the branch's ref, packed refs).

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).output().ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

fn main() {
    println!("cargo:rerun-if-env-changed=REVSIM_COMMIT");
    println!("cargo:rerun-if-changed=build.rs");
    let from_env = std::env::var("REVSIM_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty());
    let commit = from_env.or_else(|| git(&["rev-parse", "HEAD"]));
    if commit.is_some() {
        let mut watched = vec!["HEAD".to_string(), "packed-refs".to_string()];
        if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
            watched.push(branch);
        }
        for name in watched {
            if let Some(path) = git(&["rev-parse", "--git-path", &name]) {
                if std::path::Path::new(&path).exists() {
                    println!("cargo:rerun-if-changed={path}");
                }
            }
        }
    }
    println!(
        "cargo:rustc-env=REVSIM_BUILD_COMMIT={}",
        commit.unwrap_or_default()
    );
}
