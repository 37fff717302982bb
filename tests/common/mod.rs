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

/// Asserts that the Parquet table `parquet` holds the values of the CSV table `csv`, read with
/// the parquet crate's own row reader (not revsim's): the same column names, the same number
/// of rows, and in each field the same integer, number (as a double), string, flag or date
/// (DATE, days since 1970-01-01), a null where the CSV field is empty.
#[track_caller]
pub fn assert_parquet_holds_csv(csv: &Path, parquet: &Path) {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;

    let text = fs::read_to_string(csv).expect("the CSV file reads");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("a header").split(',').collect();
    let file = fs::File::open(parquet).expect("the Parquet file opens");
    let reader = SerializedFileReader::new(file).expect("a Parquet file");
    let names: Vec<String> = reader
        .metadata()
        .file_metadata()
        .schema_descr()
        .columns()
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    assert_eq!(names, header, "the columns of {}", parquet.display());
    assert_eq!(
        reader.metadata().file_metadata().num_rows() as usize,
        text.lines().count() - 1,
        "the rows of {} and {}",
        parquet.display(),
        csv.display()
    );
    let mut rows = 0;
    for (row, line) in reader.get_row_iter(None).expect("rows").zip(&mut lines) {
        rows += 1;
        let row = row.expect("a row");
        let fields: Vec<&str> = line.split(',').collect();
        for ((name, field), text) in row.get_column_iter().zip(&fields) {
            let same = match field {
                Field::Null => text.is_empty(),
                Field::Long(v) => text.parse::<i64>() == Ok(*v),
                Field::Double(v) => text.parse::<f64>() == Ok(*v),
                Field::Str(v) => v == text,
                Field::Bool(v) => text.parse::<bool>() == Ok(*v),
                Field::Date(days) => revsim::date::Date::parse(text)
                    .is_ok_and(|date| date.days_since_epoch() == *days),
                other => panic!("column {name} holds {other:?}, a type revsim does not write"),
            };
            assert!(
                same,
                "{} row {rows}, column {name}: {field:?} in Parquet, {text:?} in CSV",
                parquet.display()
            );
        }
    }
    assert_eq!(
        rows,
        text.lines().count() - 1,
        "rows read from {}",
        parquet.display()
    );
}
