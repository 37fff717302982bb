//! Helpers shared by the test binaries (`mod common;` in each): where the repository is,
//! running the `revsim` binary, reading what it wrote. Each binary uses only some of them.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The baseline scenario as shipped, with `overrides` (`--set` text, e.g.
/// `"run.people_per_agent=20000"`).
pub fn baseline(overrides: &[&str]) -> revsim::scenario::Scenario {
    let overrides: Vec<revsim::scenario::Override> = overrides
        .iter()
        .map(|text| text.parse().expect("a valid override"))
        .collect();
    revsim::scenario::load_scenario(
        &root().join("scenarios/baseline_1917.toml"),
        &root().join("scenarios"),
        &overrides,
    )
    .expect("the baseline loads")
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The binary, run from the repository root (so `scenarios/` is the default folder).
pub fn revsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_revsim"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the revsim binary starts")
}

/// Standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Standard output as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The command ended with exit status `code` and did not panic.
#[track_caller]
pub fn assert_status(output: &Output, code: i32, what: &str) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "{what}: expected exit status {code}\nstdout:\n{}\nstderr:\n{}",
        stdout(output),
        stderr(output)
    );
    assert!(
        !stderr(output).contains("panicked"),
        "{what} panicked:\n{}",
        stderr(output)
    );
}

/// A file's bytes, or a panic naming it.
pub fn read(path: &Path) -> Vec<u8> {
    fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A file's text, or a panic naming it.
pub fn read_text(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `dir/manifest.json`, parsed.
pub fn read_manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&read_text(&dir.join("manifest.json"))).expect("manifest.json is JSON")
}

/// The pid of a process that has ended (and been waited for), for stale locks and leftovers.
pub fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().expect("`true` starts");
    let pid = child.id();
    child.wait().expect("`true` ends");
    pid
}

/// The lock file revsim keeps beside the output folder `dir` while it writes it.
pub fn lock_file(dir: &Path) -> PathBuf {
    let name = dir.file_name().expect("a folder name").to_string_lossy();
    dir.with_file_name(format!(".{name}.lock"))
}
