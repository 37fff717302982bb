//! Property tests of the parsers: arbitrary text, and arbitrary mutations of the scenario and
//! sweep files shipped in `scenarios/`, given to `load_scenario` and `load_sweep`, load or give
//! an error that names the file; `--set` text gives an `Override` or a command-line error;
//! shards with a damaged file merge or are refused. None panics. 256 cases a property
//! (proptest's default; merge of damaged shards, which reads whole folders, a 64th of them);
//! `PROPTEST_CASES=N` changes it.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::root;
use proptest::prelude::*;
use revsim::scenario::{load_scenario, Override, ScenarioError};
use revsim::sweep::load_sweep;

/// Pieces of scenario and sweep syntax, so that random text reaches past the TOML parser.
const FRAGMENTS: &[&str] = &[
    "\n",
    " = ",
    "\"",
    "[",
    "]",
    "{",
    "}",
    ",",
    ".",
    "#",
    "'''",
    "\"\"\"",
    "0",
    "1",
    "-1",
    "0.5",
    "1e999",
    "nan",
    "true",
    "1917-10-25",
    "1917-10-25 OS",
    "1922-13-40",
    "[scenario]",
    "[run]",
    "[params]",
    "[[events]]",
    "[sweep]",
    "[set]",
    "[vary]",
    "[[summary]]",
    "[[fan]]",
    "extends",
    "baseline_1917",
    "name",
    "title",
    "seed",
    "start",
    "end",
    "people_per_agent",
    "id",
    "when",
    "date",
    "do",
    "set_policy",
    "design",
    "grid",
    "lhs",
    "replicates",
    "root_seed",
    "metric",
    "group",
    "stat",
    "from",
    "to",
    "min",
    "max",
    "steps",
    "\"allegiance.social_weight\"",
    "\"run.end\"",
    "legitimacy",
    "all",
    "\u{00e9}",
    "\u{1F600}",
];

/// The scenario files shipped with revsim.
fn scenario_files() -> Vec<PathBuf> {
    toml_files(&root().join("scenarios"))
}

/// The sweep files shipped with revsim.
fn sweep_files() -> Vec<PathBuf> {
    toml_files(&root().join("scenarios/sweeps"))
}

fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .toml files in {}", dir.display());
    files
}

/// One edit of a file's text, at a position given as a fraction of its length.
#[derive(Debug, Clone)]
enum Mutation {
    Delete { at: f64, len: usize },
    Insert { at: f64, fragment: usize },
    Replace { at: f64, with: char },
    DuplicateLine { at: f64 },
    Truncate { at: f64 },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = 0.0..1.0f64;
    prop_oneof![
        (at.clone(), 1..40usize).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (at.clone(), 0..FRAGMENTS.len())
            .prop_map(|(at, fragment)| Mutation::Insert { at, fragment }),
        (at.clone(), any::<char>()).prop_map(|(at, with)| Mutation::Replace { at, with }),
        at.clone().prop_map(|at| Mutation::DuplicateLine { at }),
        at.prop_map(|at| Mutation::Truncate { at }),
    ]
}

/// Applies `mutations` to `text`, by characters (so the result is still UTF-8).
fn mutate(text: &str, mutations: &[Mutation]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for m in mutations {
        let index = |at: f64, len: usize| ((at * len as f64) as usize).min(len);
        match *m {
            Mutation::Delete { at, len } => {
                let start = index(at, chars.len());
                let end = (start + len).min(chars.len());
                chars.drain(start..end);
            }
            Mutation::Insert { at, fragment } => {
                let start = index(at, chars.len());
                chars.splice(start..start, FRAGMENTS[fragment].chars());
            }
            Mutation::Replace { at, with } => {
                if !chars.is_empty() {
                    let i = index(at, chars.len() - 1);
                    chars[i] = with;
                }
            }
            Mutation::DuplicateLine { at } => {
                let text: String = chars.iter().collect();
                let lines: Vec<&str> = text.split_inclusive('\n').collect();
                if !lines.is_empty() {
                    let i = index(at, lines.len() - 1);
                    let mut out = lines[..=i].concat();
                    out.push_str(lines[i]);
                    out.push_str(&lines[i + 1..].concat());
                    chars = out.chars().collect();
                }
            }
            Mutation::Truncate { at } => {
                let end = index(at, chars.len());
                chars.truncate(end);
            }
        }
    }
    chars.into_iter().collect()
}

/// Writes `text` as `name` into a fresh folder and hands its path to `load`.
fn load_text<T>(
    name: &str,
    text: &str,
    load: impl FnOnce(&Path) -> Result<T, ScenarioError>,
) -> (PathBuf, Result<T, ScenarioError>) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join(name);
    fs::write(&path, text).expect("the file is written");
    let result = load(&path);
    (path, result)
}

/// An error names the file it is about (a location `file:line:column`, or the file that
/// could not be read) or, for a base scenario, the scenarios folder.
fn assert_located(path: &Path, result: Result<impl Sized, ScenarioError>) {
    if let Err(error) = result {
        let message = error.to_string();
        let names_a_file = message.contains(&path.display().to_string())
            || message.contains(&root().join("scenarios").display().to_string())
            || message.contains("scenarios/");
        assert!(names_a_file, "the error names no file: {message}");
    }
}

fn scenario_text() -> impl Strategy<Value = String> {
    prop::collection::vec(0..FRAGMENTS.len(), 0..60)
        .prop_map(|pieces| pieces.into_iter().map(|i| FRAGMENTS[i]).collect())
}

proptest! {
    #[test]
    fn arbitrary_text_is_a_scenario_or_a_located_error(text in any::<String>()) {
        let scenarios = root().join("scenarios");
        let (path, result) =
            load_text("arbitrary.toml", &text, |p| load_scenario(p, &scenarios, &[]));
        assert_located(&path, result);
    }

    #[test]
    fn scenario_like_text_is_a_scenario_or_a_located_error(text in scenario_text()) {
        let scenarios = root().join("scenarios");
        let (path, result) =
            load_text("pieces.toml", &text, |p| load_scenario(p, &scenarios, &[]));
        assert_located(&path, result);
    }

    #[test]
    fn a_mutated_scenario_loads_or_gives_a_located_error(
        file in 0..scenario_files().len(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let scenarios = root().join("scenarios");
        let original = &scenario_files()[file];
        let text = fs::read_to_string(original).expect("a shipped scenario");
        let name = original.file_name().expect("a file name").to_string_lossy().into_owned();
        let (path, result) = load_text(&name, &mutate(&text, &mutations), |p| {
            load_scenario(p, &scenarios, &[])
        });
        assert_located(&path, result);
    }

    #[test]
    fn arbitrary_text_is_a_sweep_or_a_located_error(text in scenario_text()) {
        let scenarios = root().join("scenarios");
        let (path, result) = load_text("pieces.toml", &text, |p| load_sweep(p, &scenarios));
        assert_located(&path, result);
    }

    #[test]
    fn a_mutated_sweep_loads_or_gives_a_located_error(
        file in 0..sweep_files().len(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let scenarios = root().join("scenarios");
        let text = fs::read_to_string(&sweep_files()[file]).expect("a shipped sweep");
        let (path, result) = load_text("sweep.toml", &mutate(&text, &mutations), |p| {
            load_sweep(p, &scenarios)
        });
        assert_located(&path, result);
    }

    #[test]
    fn any_set_text_is_an_override_or_a_command_line_error(text in any::<String>()) {
        check_override(&text);
    }

    #[test]
    fn set_like_text_is_an_override_or_a_command_line_error(
        name in prop::sample::select(set_names()),
        value in prop::collection::vec(0..FRAGMENTS.len(), 0..4),
        raw in any::<String>(),
    ) {
        let value: String = value.into_iter().map(|i| FRAGMENTS[i]).collect();
        check_override(&format!("{name}={value}"));
        check_override(&format!("{name}={raw}"));
    }
}

/// Names `--set` takes (every parameter and run setting), with near misses.
fn set_names() -> Vec<String> {
    let mut names: Vec<String> = revsim::model::params::registry()
        .iter()
        .map(|spec| spec.name.clone())
        .collect();
    names.extend(
        [
            "run.start",
            "run.end",
            "run.seed",
            "run.people_per_agent",
            "run.",
            "",
            "run.sed",
        ]
        .map(String::from),
    );
    names
}

/// `--set text` parses, or gives a command-line error that quotes the text; never a panic.
fn check_override(text: &str) {
    if let Err(error) = text.parse::<Override>() {
        assert!(
            matches!(error, ScenarioError::BadOverride { .. }),
            "{text:?}: {error:?}"
        );
        assert!(
            error.to_string().starts_with("command line: --set "),
            "{error}"
        );
    }
}

/// The two shard folders of the tiny test sweep, made once for every case.
fn shards() -> &'static [PathBuf; 2] {
    static SHARDS: std::sync::OnceLock<(tempfile::TempDir, [PathBuf; 2])> =
        std::sync::OnceLock::new();
    &SHARDS
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("a temporary folder");
            let sweep = root().join("tests/fixtures/sweeps/tiny.toml");
            let shards = [0, 1].map(|i| dir.path().join(format!("shard{i}")));
            for (i, shard) in shards.iter().enumerate() {
                let output = common::revsim(&[
                    "sweep",
                    sweep.to_str().unwrap(),
                    "--shard",
                    &format!("{i}/2"),
                    "--no-plots",
                    "--out",
                    shard.to_str().unwrap(),
                ]);
                common::assert_status(&output, 0, "a shard of the tiny sweep");
            }
            (dir, shards)
        })
        .1
}

/// The files merge and resume read from a shard.
const SHARD_FILES: [&str; 3] = ["runs.csv", "fans.csv", "manifest.json"];

proptest! {
    // A merge reads and writes whole folders (about 20 ms a case): a 64th of the cases.
    #![proptest_config(ProptestConfig::with_cases((ProptestConfig::default().cases / 64).max(16)))]

    /// Merge and the manifest reader, given shards with a damaged file, merge or refuse; they
    /// never panic and a refused merge leaves no folder.
    #[test]
    fn merge_of_damaged_shards_merges_or_refuses(
        shard in 0..2usize,
        file in 0..SHARD_FILES.len(),
        mutations in proptest::collection::vec(mutation(), 1..4),
    ) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let copies: Vec<PathBuf> = shards()
            .iter()
            .enumerate()
            .map(|(i, from)| {
                let to = dir.path().join(format!("shard{i}"));
                fs::create_dir(&to).unwrap();
                for name in SHARD_FILES {
                    fs::copy(from.join(name), to.join(name)).unwrap();
                }
                to
            })
            .collect();
        let damaged = copies[shard].join(SHARD_FILES[file]);
        let text = fs::read_to_string(&damaged).unwrap();
        fs::write(&damaged, mutate(&text, &mutations)).unwrap();
        let _ = revsim::sweep::Manifest::read(&copies[shard]);
        let out = dir.path().join("merged");
        if revsim::sweep::merge(&copies, &out, false).is_err() {
            prop_assert!(!out.exists(), "a refused merge leaves no folder");
        }
    }
}
