//! Parameter sweeps end to end, through the binary: the output does not depend on the thread
//! count; shards merge into exactly the unsharded folder; a sweep resumes after its files were
//! cut short or its process was killed with SIGKILL, with no lost, duplicated or partial row;
//! one run re-run alone with `revsim run --seed --set` gives the same numbers; bad sweep files
//! and bad merges exit 2 with a located message.
//!
//! Runs are tiny (`people_per_agent` 50000, about 3,600 agents, March 1917 to January 1918),
//! a few hundredths of a second each.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{assert_parquet_holds_csv, assert_status, dead_pid, lock_file, revsim, root, stderr};
use revsim::sweep::{load_sweep, run_seed, Manifest};
use tempfile::TempDir;

fn tiny() -> PathBuf {
    root().join("tests/fixtures/sweeps/tiny.toml")
}

/// The base scenario of the test sweeps, by absolute path.
fn base() -> String {
    root()
        .join("tests/fixtures/sweeps/base.toml")
        .display()
        .to_string()
}

/// `revsim sweep FILE --out OUT` plus `extra`; must succeed.
fn sweep(file: &Path, out: &Path, extra: &[&str]) -> Output {
    let (file, out) = (file.to_str().unwrap(), out.to_str().unwrap());
    let mut args = vec!["sweep", file, "--out", out];
    args.extend_from_slice(extra);
    let output = revsim(&args);
    assert_status(&output, 0, &format!("revsim {}", args.join(" ")));
    output
}

/// Every file under `dir`, by relative path, with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(base, &path, files);
            } else {
                let name = path.strip_prefix(base).unwrap().display().to_string();
                files.insert(name, fs::read(&path).unwrap());
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(dir, dir, &mut files);
    files
}

#[track_caller]
fn assert_same_tree(expected: &Path, found: &Path) {
    let (a, b) = (tree(expected), tree(found));
    let names_a: Vec<&String> = a.keys().collect();
    let names_b: Vec<&String> = b.keys().collect();
    assert_eq!(
        names_a,
        names_b,
        "{} and {} hold different files",
        expected.display(),
        found.display()
    );
    for (name, bytes) in &a {
        assert!(
            bytes == &b[name],
            "{name} differs between {} and {}",
            expected.display(),
            found.display()
        );
    }
}

/// The tiny fixture with some lines replaced, written into `dir`.
fn variant(dir: &Path, name: &str, edits: &[(&str, &str)]) -> PathBuf {
    let mut text = fs::read_to_string(tiny())
        .unwrap()
        .replace("\"base.toml\"", &format!("{:?}", base()));
    for (from, to) in edits {
        assert!(text.contains(from), "{from}");
        text = text.replace(from, to);
    }
    let path = dir.join(format!("{name}.toml"));
    fs::write(&path, text).unwrap();
    path
}

/// The sweep file `file` with `format = "parquet"`, beside it as `<stem>_parquet.toml`.
fn as_parquet(file: &Path) -> PathBuf {
    let text = fs::read_to_string(file).unwrap();
    assert!(text.contains("root_seed = 7"));
    let stem = file.file_stem().unwrap().to_str().unwrap();
    let path = file.with_file_name(format!("{stem}_parquet.toml"));
    let text = text.replace("root_seed = 7", "root_seed = 7\nformat = \"parquet\"");
    fs::write(&path, text).unwrap();
    path
}

fn rows(path: &Path) -> Vec<String> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .skip(1)
        .map(str::to_string)
        .collect()
}

#[test]
fn the_output_does_not_depend_on_the_thread_count() {
    let tmp = TempDir::new().unwrap();
    let (one, two) = (tmp.path().join("one"), tmp.path().join("two"));
    sweep(&tiny(), &one, &["--threads", "1"]);
    sweep(&tiny(), &two, &["--threads", "2"]);
    assert_same_tree(&one, &two);

    // What the folder holds: 2 x 3 points x 2 replicates, in run order, with documented seeds.
    let manifest = Manifest::read(&one).unwrap();
    assert_eq!(
        (manifest.points, manifest.replicates, manifest.runs),
        (6, 2, 12)
    );
    let rows = rows(&one.join("runs.csv"));
    assert_eq!(rows.len(), 12);
    for (i, row) in rows.iter().enumerate() {
        let fields: Vec<&str> = row.split(',').collect();
        assert_eq!(fields.len(), manifest.columns.len(), "{row}");
        assert_eq!(fields[0], i.to_string());
        assert_eq!(fields[1], (i % 6).to_string());
        assert_eq!(fields[2], (i / 6).to_string());
        assert_eq!(fields[3], run_seed(7, i as u64).to_string());
        assert_eq!(fields[4..6], manifest.design_points[i % 6][..]);
    }
    assert_eq!(manifest.design_points[1], ["0.05", "0.1"]);
    assert_eq!(
        fs::read_to_string(one.join("metrics.csv")).unwrap(),
        revsim::metrics::metadata_csv(),
        "the folder says every metric's unit"
    );
    let plots = fs::read_dir(one.join("plots")).unwrap().count();
    assert_eq!(
        plots,
        2 * (2 + 5),
        "two fan charts and five summary charts, PNG and SVG"
    );
}

/// `keep_metrics` keeps the rows of the chosen metrics, every group of them, as the full
/// timeseries has them, and nothing else; the manifest names them.
#[test]
fn a_sweep_keeps_only_the_chosen_metrics() {
    let tmp = TempDir::new().unwrap();
    let kept = "root_seed = 7\nkeep_timeseries = true";
    let (all, chosen) = (tmp.path().join("all"), tmp.path().join("chosen"));
    sweep(
        &variant(tmp.path(), "all", &[("root_seed = 7", kept)]),
        &all,
        &[],
    );
    let only = format!("{kept}\nkeep_metrics = [\"sown_area\", \"active\"]");
    sweep(
        &variant(tmp.path(), "chosen", &[("root_seed = 7", &only)]),
        &chosen,
        &[],
    );
    assert_eq!(
        Manifest::read(&chosen).unwrap().keep_metrics,
        ["sown_area", "active"]
    );
    let metric = |row: &String| row.split(',').nth(3).unwrap().to_string();
    for run in 0..12 {
        let series = |dir: &Path| rows(&dir.join(format!("runs/{run}/timeseries.csv")));
        let expected: Vec<String> = series(&all)
            .into_iter()
            .filter(|row| ["sown_area", "active"].contains(&metric(row).as_str()))
            .collect();
        assert!(expected.iter().any(|row| metric(row) == "active"));
        assert_eq!(series(&chosen), expected, "run {run}");
    }
}

#[test]
fn shards_merge_into_the_unsharded_sweep() {
    let tmp = TempDir::new().unwrap();
    let file = variant(
        tmp.path(),
        "kept",
        &[("root_seed = 7", "root_seed = 7\nkeep_timeseries = true")],
    );
    let whole = tmp.path().join("whole");
    sweep(&file, &whole, &[]);
    assert!(whole.join("runs/11/timeseries.csv").is_file());
    assert!(whole.join("runs/11/events.csv").is_file());

    let shards: Vec<PathBuf> = (0..3)
        .map(|i| tmp.path().join(format!("shard{i}")))
        .collect();
    for (i, dir) in shards.iter().enumerate() {
        sweep(
            &file,
            dir,
            &["--shard", &format!("{i}/3"), "--threads", "1"],
        );
        let manifest = Manifest::read(dir).unwrap();
        assert_eq!(
            manifest.shard.map(|s| (s.index, s.count)),
            Some((i as u32, 3))
        );
        assert!(!dir.join("plots").exists(), "a shard draws no plots");
        for row in rows(&dir.join("runs.csv")) {
            let run: usize = row.split(',').next().unwrap().parse().unwrap();
            assert_eq!(run % 3, i);
        }
    }
    let merged = tmp.path().join("merged");
    let (a, b, c) = (
        shards[2].to_str().unwrap(),
        shards[0].to_str().unwrap(),
        shards[1].to_str().unwrap(),
    );
    let output = revsim(&["merge", a, b, c, "--out", merged.to_str().unwrap()]);
    assert_status(&output, 0, "revsim merge");
    assert_same_tree(&whole, &merged);

    // Refusals: a missing shard, a shard twice, another sweep, an unfinished shard.
    let bad = tmp.path().join("bad");
    let output = revsim(&["merge", a, b, "--out", bad.to_str().unwrap()]);
    assert_status(&output, 2, "merge without shard 1/3");
    assert!(
        stderr(&output).contains("missing shard 1/3"),
        "{}",
        stderr(&output)
    );
    let output = revsim(&["merge", a, b, c, a, "--out", bad.to_str().unwrap()]);
    assert_status(&output, 2, "merge with shard 2/3 twice");
    let other = tmp.path().join("other");
    sweep(&tiny(), &other, &["--shard", "1/3", "--no-plots"]);
    let output = revsim(&[
        "merge",
        a,
        b,
        other.to_str().unwrap(),
        "--out",
        bad.to_str().unwrap(),
    ]);
    assert_status(&output, 2, "merge with another sweep's shard");
    assert!(
        stderr(&output).contains("different sweeps"),
        "{}",
        stderr(&output)
    );
    let output = revsim(&["merge", a, b, c, "--out", whole.to_str().unwrap()]);
    assert_status(&output, 2, "merge into a sweep folder");
    let runs = shards[1].join("runs.csv");
    let text = fs::read_to_string(&runs).unwrap();
    fs::write(&runs, &text[..text.len() - 5]).unwrap();
    let output = revsim(&["merge", a, b, c, "--out", bad.to_str().unwrap()]);
    assert_status(&output, 2, "merge with a shard cut short");
    assert!(stderr(&output).contains("--resume"), "{}", stderr(&output));
    assert!(!bad.join("runs.csv").exists());
}

#[test]
fn a_sweep_resumes_after_its_files_were_cut_short() {
    let tmp = TempDir::new().unwrap();
    let file = variant(
        tmp.path(),
        "kept",
        &[("root_seed = 7", "root_seed = 7\nkeep_timeseries = true")],
    );
    let clean = tmp.path().join("clean");
    sweep(&file, &clean, &[]);

    // A row cut in the middle, fans.csv cut in the middle of another run, a run folder gone,
    // leftovers of an interrupted write, no plots yet.
    let cut = tmp.path().join("cut");
    copy_tree(&clean, &cut);
    let runs = fs::read_to_string(cut.join("runs.csv")).unwrap();
    let keep: Vec<&str> = runs.lines().take(6).collect();
    let partial = &runs.lines().nth(6).unwrap()[..9];
    fs::write(
        cut.join("runs.csv"),
        format!("{}\n{partial}", keep.join("\n")),
    )
    .unwrap();
    let fans = fs::read(cut.join("fans.csv")).unwrap();
    fs::write(cut.join("fans.csv"), &fans[..fans.len() * 3 / 4]).unwrap();
    fs::remove_dir_all(cut.join("runs/9")).unwrap();
    fs::write(cut.join("runs/7/.tmp-1-timeseries.csv"), "half a file").unwrap();
    fs::remove_dir_all(cut.join("plots")).unwrap();

    let output = revsim(&[
        "sweep",
        file.to_str().unwrap(),
        "--out",
        cut.to_str().unwrap(),
    ]);
    assert_status(
        &output,
        2,
        "a second sweep into the same folder without --resume",
    );
    assert!(stderr(&output).contains("--resume"), "{}", stderr(&output));
    let output = sweep(&file, &cut, &["--resume"]);
    assert!(
        stderr(&output).contains("5 runs were already done"),
        "{}",
        stderr(&output)
    );
    assert_same_tree(&clean, &cut);

    // Only the header left, half of it: the sweep starts over.
    let empty = tmp.path().join("empty");
    copy_tree(&clean, &empty);
    fs::write(empty.join("runs.csv"), "run,po").unwrap();
    sweep(&file, &empty, &["--resume", "--threads", "1"]);
    assert_same_tree(&clean, &empty);

    // Resuming a complete sweep runs nothing; resuming with another sweep file is refused.
    let output = sweep(&file, &clean, &["--resume"]);
    assert!(
        stderr(&output).contains("12 runs were already done"),
        "{}",
        stderr(&output)
    );
    let output = revsim(&[
        "sweep",
        tiny().to_str().unwrap(),
        "--out",
        clean.to_str().unwrap(),
        "--resume",
    ]);
    assert_status(&output, 2, "resume with another sweep file");
    assert!(
        stderr(&output).contains("holds another sweep"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_parquet_sweep_holds_the_csv_values_and_merges_and_resumes_like_one() {
    let tmp = TempDir::new().unwrap();
    let csv_file = variant(
        tmp.path(),
        "kept",
        &[("root_seed = 7", "root_seed = 7\nkeep_timeseries = true")],
    );
    let file = as_parquet(&csv_file);
    let (csv, whole) = (tmp.path().join("csv"), tmp.path().join("whole"));
    sweep(&csv_file, &csv, &[]);
    sweep(&file, &whole, &["--threads", "1"]);

    // The same values, typed; every other file the same bytes (the manifest but its format).
    let tables = ["runs", "fans", "runs/0/timeseries", "runs/11/timeseries"];
    for table in tables {
        assert!(!whole.join(format!("{table}.csv")).exists(), "{table}.csv");
        assert_parquet_holds_csv(
            &csv.join(format!("{table}.csv")),
            &whole.join(format!("{table}.parquet")),
        );
    }
    let parquet_files = tree(&whole);
    for (name, bytes) in tree(&csv) {
        match name.strip_suffix(".csv") {
            Some(stem) if tables.contains(&stem) || stem.ends_with("timeseries") => {
                assert!(
                    parquet_files.contains_key(&format!("{stem}.parquet")),
                    "{name}"
                )
            }
            _ if name == "manifest.json" => {
                let text = String::from_utf8(bytes).unwrap().replace(
                    "\"keep_timeseries\": true,",
                    "\"keep_timeseries\": true,\n  \"format\": \"parquet\",",
                );
                assert_eq!(text.as_bytes(), parquet_files[&name], "{name}");
            }
            _ => assert!(parquet_files[&name] == bytes, "{name} differs"),
        }
    }

    // Any thread count, and two shards merged: the same bytes.
    let two = tmp.path().join("two");
    sweep(&file, &two, &["--threads", "2"]);
    assert_same_tree(&whole, &two);
    let unplotted = tmp.path().join("unplotted");
    sweep(&file, &unplotted, &["--no-plots"]);
    assert_two_shards_merge_into(&file, &unplotted, tmp.path());

    // Interrupted: the runs appended to runs.csv and fans.csv (the journal) until the last one
    // is written, both cut in the middle of a row; resumed, the same folder.
    let cut = tmp.path().join("cut");
    copy_tree(&csv, &cut);
    fs::copy(whole.join("manifest.json"), cut.join("manifest.json")).unwrap();
    fs::remove_dir_all(cut.join("runs")).unwrap();
    copy_tree(&whole.join("runs"), &cut.join("runs"));
    for name in ["plots", "points.csv"] {
        let path = cut.join(name);
        if path.is_dir() {
            fs::remove_dir_all(path).unwrap();
        } else {
            fs::remove_file(path).unwrap();
        }
    }
    for (name, keep) in [("runs.csv", 2), ("fans.csv", 3)] {
        let bytes = fs::read(cut.join(name)).unwrap();
        fs::write(cut.join(name), &bytes[..bytes.len() * keep / 4]).unwrap();
    }
    let output = sweep(&file, &cut, &["--resume"]);
    assert!(
        stderr(&output).contains("runs were already done"),
        "{}",
        stderr(&output)
    );
    assert_same_tree(&whole, &cut);

    // A finished folder resumes to itself; as CSV it is refused, as is a merge of mixed formats.
    let output = sweep(&file, &cut, &["--resume"]);
    assert!(
        stderr(&output).contains("12 runs were already done"),
        "{}",
        stderr(&output)
    );
    assert_same_tree(&whole, &cut);
    let output = revsim(&[
        "sweep",
        csv_file.to_str().unwrap(),
        "--out",
        cut.to_str().unwrap(),
        "--resume",
    ]);
    assert_status(&output, 2, "resume of a Parquet sweep as CSV");
    assert!(
        stderr(&output).contains("format = \"parquet\""),
        "{}",
        stderr(&output)
    );
    let shards: Vec<PathBuf> = [(&csv_file, 0), (&file, 1)]
        .iter()
        .map(|(file, i)| {
            let dir = tmp.path().join(format!("mixed{i}"));
            sweep(file, &dir, &["--shard", &format!("{i}/2"), "--no-plots"]);
            dir
        })
        .collect();
    let mixed = tmp.path().join("mixed");
    let output = revsim(&[
        "merge",
        shards[0].to_str().unwrap(),
        shards[1].to_str().unwrap(),
        "--out",
        mixed.to_str().unwrap(),
    ]);
    assert_status(&output, 2, "merge of a CSV and a Parquet shard");
    assert!(
        stderr(&output).contains("same `format`"),
        "{}",
        stderr(&output)
    );

    // A kept run plots as the CSV one; a damaged Parquet file is an error naming it.
    for dir in [&csv, &whole] {
        let output = revsim(&["plot", dir.join("runs/11").to_str().unwrap()]);
        assert_status(&output, 0, "plot of a kept run");
    }
    assert_eq!(
        tree(&csv.join("runs/11/plots")),
        tree(&whole.join("runs/11/plots"))
    );
    let fans = cut.join("fans.parquet");
    let bytes = fs::read(&fans).unwrap();
    fs::write(&fans, &bytes[..bytes.len() / 2]).unwrap();
    let output = revsim(&["plot", cut.to_str().unwrap()]);
    assert_status(&output, 2, "plot of a sweep whose fans.parquet is cut");
    assert!(
        stderr(&output).contains("fans.parquet: not a Parquet file"),
        "{}",
        stderr(&output)
    );
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            fs::copy(&path, &target).unwrap();
        }
    }
}

#[test]
fn a_sweep_killed_with_sigkill_resumes_without_lost_or_doubled_runs() {
    let tmp = TempDir::new().unwrap();
    // 6 points x 40 replicates = 240 runs: a few seconds on two threads.
    let file = variant(tmp.path(), "long", &[("replicates = 2", "replicates = 40")]);
    let clean = tmp.path().join("clean");
    sweep(&file, &clean, &["--no-plots"]);

    let killed = tmp.path().join("killed");
    let mut child = Command::new(env!("CARGO_BIN_EXE_revsim"))
        .args([
            "sweep",
            file.to_str().unwrap(),
            "--out",
            killed.to_str().unwrap(),
            "--no-plots",
            "--threads",
            "2",
        ])
        .current_dir(root())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once some runs are on disk.
    let started = Instant::now();
    let mut rows_at_kill = 0;
    loop {
        let rows = fs::File::open(killed.join("runs.csv"))
            .map(|f| BufReader::new(f).lines().count())
            .unwrap_or(0);
        if rows > 30 || started.elapsed() > Duration::from_secs(60) {
            rows_at_kill = rows;
            break;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().ok(); // SIGKILL on Unix
    child.wait().unwrap();
    let after_kill = rows(&killed.join("runs.csv")).len();
    assert!(
        after_kill < 240,
        "the sweep finished before it could be killed"
    );
    assert!(rows_at_kill > 1);

    let output = sweep(&file, &killed, &["--resume", "--no-plots"]);
    assert!(
        stderr(&output).contains("runs were already done"),
        "{}",
        stderr(&output)
    );
    assert_same_tree(&clean, &killed);
    let rows = rows(&killed.join("runs.csv"));
    assert_eq!(rows.len(), 240);
    for (i, row) in rows.iter().enumerate() {
        assert!(row.starts_with(&format!("{i},")), "row {i}: {row}");
    }
}

/// Runs run `run` of the sweep in `out` (kept with `keep_timeseries`) alone with the
/// manifest's re-run command filled from its row, into `tmp/alone-<run>`; asserts its
/// `timeseries.csv` and `events.csv` are the sweep's, byte for byte (the sweep's series with
/// its first column, `run`, the run).
fn rerun_alone(out: &Path, run: usize, tmp: &Path) -> PathBuf {
    let manifest = Manifest::read(out).unwrap();
    let row = rows(&out.join("runs.csv"))[run].clone();
    let fields: Vec<&str> = row.split(',').collect();
    let mut command = manifest.rerun.replace("<seed>", fields[3]);
    for (i, varied) in manifest.vary.iter().enumerate() {
        command = command.replace(&format!("<{}>", varied.name), fields[4 + i]);
    }
    let alone = tmp.join(format!("alone-{run}"));
    let mut args: Vec<&str> = command.split(' ').skip(1).collect();
    args.extend(["--no-plots", "--out", alone.to_str().unwrap()]);
    let output = revsim(&args);
    assert_status(&output, 0, &command);
    let kept = fs::read_to_string(out.join(format!("runs/{run}/timeseries.csv"))).unwrap();
    let again: String = fs::read_to_string(alone.join("timeseries.csv"))
        .unwrap()
        .lines()
        .enumerate()
        .map(|(i, line)| match i {
            0 => format!("run,{line}\n"),
            _ => format!("{run},{line}\n"),
        })
        .collect();
    assert!(
        kept == again,
        "timeseries.csv of run {run} differs when run alone"
    );
    let kept = fs::read(out.join(format!("runs/{run}/events.csv"))).unwrap();
    let again = fs::read(alone.join("events.csv")).unwrap();
    assert!(
        kept == again,
        "events.csv of run {run} differs when run alone"
    );
    alone
}

#[test]
fn one_run_alone_gives_the_same_numbers() {
    let tmp = TempDir::new().unwrap();
    let file = variant(
        tmp.path(),
        "kept",
        &[("root_seed = 7", "root_seed = 7\nkeep_timeseries = true")],
    );
    let out = tmp.path().join("sweep");
    sweep(&file, &out, &["--no-plots"]);
    let manifest = Manifest::read(&out).unwrap();
    let run = 10;
    let row = rows(&out.join("runs.csv"))[run].clone();
    let fields: Vec<&str> = row.split(',').collect();
    let alone = rerun_alone(&out, run, tmp.path());

    // The summaries from the lone run's timeseries: the peak and the final value.
    let mut peak = f64::MIN;
    let mut last = String::new();
    for line in fs::read_to_string(alone.join("timeseries.csv"))
        .unwrap()
        .lines()
    {
        let cells: Vec<&str> = line.split(',').collect();
        if cells[2] == "active" && cells[3] == "class.peasant_middle" {
            peak = peak.max(cells[4].parse().unwrap());
        }
        if cells[2] == "sown_area" && cells[3] == "all" {
            last = cells[4].to_string();
        }
    }
    let column = |name: &str| manifest.columns.iter().position(|c| c == name).unwrap();
    assert_eq!(
        fields[column("peak_active_middle")].parse::<f64>().unwrap(),
        peak
    );
    assert_eq!(fields[column("final.sown_area.all")], last);
}

#[test]
fn sampled_designs_run_and_plot() {
    let tmp = TempDir::new().unwrap();
    let file = variant(
        tmp.path(),
        "lhs",
        &[
            ("design = \"grid\"", "design = \"lhs\"\nsamples = 8"),
            ("replicates = 2", "replicates = 1"),
            // Varied below, so not fixed in [set]: both is an error.
            ("\"run.people_per_agent\" = 50000\n", ""),
            (
                "\"repression.arrest_rate\" = { min = 0.0, max = 0.2, steps = 3 }",
                "\"repression.arrest_rate\" = { min = 0.0, max = 0.2 }\n\
                 \"allegiance.social_weight\" = { distribution = \"normal\", mean = 0.5, sd = 0.1 }\n\
                 \"run.people_per_agent\" = [40000, 60000]",
            ),
        ],
    );
    let out = tmp.path().join("lhs");
    sweep(&file, &out, &[]);
    let manifest = Manifest::read(&out).unwrap();
    assert_eq!((manifest.design.as_str(), manifest.points), ("lhs", 8));
    let mut strata: Vec<usize> = manifest
        .design_points
        .iter()
        .map(|p| (p[1].parse::<f64>().unwrap() / 0.2 * 8.0) as usize)
        .collect();
    strata.sort_unstable();
    assert_eq!(strata, (0..8).collect::<Vec<_>>(), "one sample per stratum");
    assert_eq!(rows(&out.join("runs.csv")).len(), 8);
    assert!(out.join("plots/summary_peak_active_middle.png").is_file());
    assert!(out
        .join("plots/fan_active_class.peasant_middle.svg")
        .is_file());

    let random = variant(
        tmp.path(),
        "random",
        &[
            ("design = \"grid\"", "design = \"random\"\nsamples = 5"),
            ("replicates = 2", "replicates = 1"),
        ],
    );
    let output = revsim(&[
        "sweep",
        random.to_str().unwrap(),
        "--out",
        tmp.path().join("r").to_str().unwrap(),
    ]);
    assert_status(&output, 0, "random design");
}

#[test]
fn the_example_sweep_loads_and_is_not_a_scenario() {
    let sweep = load_sweep(
        &root().join("scenarios/sweeps/requisition_vs_repression.toml"),
        &root().join("scenarios"),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(
        (sweep.points.len(), sweep.replicates, sweep.runs()),
        (25, 10, 250)
    );
    let output = revsim(&["list"]);
    assert_status(&output, 0, "revsim list");
    let listed = String::from_utf8_lossy(&output.stdout);
    assert!(!listed.contains("requisition_vs_repression"), "{listed}");
    // Every shipped sweep file loads (the calibration example among them).
    let mut loaded = 0;
    for entry in fs::read_dir(root().join("scenarios/sweeps")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            load_sweep(&path, &root().join("scenarios")).unwrap_or_else(|error| panic!("{error}"));
            loaded += 1;
        }
    }
    assert!(loaded >= 2, "{loaded} sweep files");
    let calibration = load_sweep(
        &root().join("scenarios/sweeps/calibrate_1917.toml"),
        &root().join("scenarios"),
    )
    .unwrap();
    assert!(!calibration.targets.is_empty() && calibration.common_random_numbers);
}

/// Writes a sweep file into `dir` and runs it; returns the error line.
fn error_of(dir: &Path, text: &str) -> String {
    let path = dir.join("bad.toml");
    fs::write(&path, text).unwrap();
    let output = revsim(&[
        "sweep",
        path.to_str().unwrap(),
        "--out",
        dir.join("out").to_str().unwrap(),
    ]);
    assert_status(&output, 2, text);
    assert!(
        !dir.join("out").exists(),
        "nothing is written for an invalid file"
    );
    let message = stderr(&output);
    let line = message
        .lines()
        .find(|l| l.starts_with("error:"))
        .unwrap_or("")
        .to_string();
    assert!(!line.is_empty(), "{message}");
    line
}

#[test]
fn sweep_file_errors_are_located_and_suggest() {
    let tmp = TempDir::new().unwrap();
    let head = format!("[sweep]\nscenario = {:?}\n", base());
    let cases: &[(&str, &[&str])] = &[
        (
            "[sweep]\nscenario = \"baseline_1917\"\nreplicate = 3\n",
            &["bad.toml:3:1", "sweep.replicate", "did you mean `replicates`?"],
        ),
        (
            "[sweep]\nscenario = \"baseline_197\"\n",
            &["bad.toml:2:12", "baseline_197", "did you mean `baseline_1917`?"],
        ),
        (
            "[sweep]\nscenario = \"baseline_1917\"\ndesign = \"lhc\"\n",
            &["bad.toml:3:10", "sweep.design", "did you mean `lhs`?", "grid, lhs, random"],
        ),
        (
            "[sweep]\nscenario = \"baseline_1917\"\nformat = \"parqet\"\n",
            &["bad.toml:3:10", "sweep.format", "did you mean `parquet`?", "csv, parquet"],
        ),
        (
            "[sweep]\nscenario = \"baseline_1917\"\nformat = 1\n",
            &["bad.toml:3:10", "sweep.format"],
        ),
        (
            "[sweep]\nscenario = \"baseline_1917\"\ndesign = \"lhs\"\n[vary]\n\"grain.requisition_rate\" = [0.1]\n",
            &["bad.toml:3:10", "sweep.samples", "samples = 50"],
        ),
        (
            &format!("{head}[vary]\n\"grain.requisiton_rate\" = [0.1, 0.2]\n"),
            &["bad.toml:4:1", "did you mean `grain.requisition_rate`?"],
        ),
        (
            &format!("{head}[vary]\n\"grain.requisition_rate\" = [0.1, 1.5]\n"),
            &["bad.toml:4:34", "vary.\"grain.requisition_rate\"[1]", "out of range", "a number from 0 to 1"],
        ),
        (
            &format!("{head}[vary]\n\"grain.requisition_rate\" = {{ min = 0.1, max = 0.3 }}\n"),
            &["bad.toml:4:1", "add `steps`"],
        ),
        (
            &format!("{head}[vary]\n\"grain.requisition_rate\" = {{ distribution = \"uniform\", min = 0.1, max = 0.3 }}\n"),
            &["bad.toml:4:1", "design = \"lhs\""],
        ),
        (
            &format!("{head}[vary]\n\"grain.requisition_rate\" = {{ distribution = \"gauss\", min = 0.1 }}\n"),
            &["bad.toml:4:45", "unknown distribution `gauss`", "uniform, loguniform, normal"],
        ),
        (
            &format!("{head}[vary]\n\"grain.requisition_rate\" = {{ min = 0.1, max = 0.3, step = 3 }}\n"),
            &["bad.toml:4:52", "did you mean `steps`?"],
        ),
        (
            &format!("{head}[set]\n\"run.seed\" = 3\n"),
            &["bad.toml:4:1", "root_seed"],
        ),
        (
            &format!("{head}[set]\n\"run.end\" = \"1917-01-01\"\n"),
            &["bad.toml:4:13", "set.\"run.end\"", "must end after it starts"],
        ),
        (
            &format!("{head}[[summary]]\nmetric = \"activ\"\nstat = \"max\"\n"),
            &["bad.toml:4:10", "summary[0].metric", "did you mean `active`?"],
        ),
        (
            &format!("{head}[[summary]]\nmetric = \"active\"\ngroup = \"class.peasant_midle\"\nstat = \"max\"\n"),
            &["bad.toml:5:9", "did you mean `class.peasant_middle`?"],
        ),
        (
            &format!("{head}[[summary]]\nmetric = \"active\"\nstat = \"maximum\"\n"),
            &["bad.toml:5:8", "unknown stat `maximum`", "final, initial, at, max, min, mean, date_of_max, first_above, first_below"],
        ),
        (
            &format!("{head}[[summary]]\nmetric = \"active\"\nstat = \"at\"\n"),
            &["bad.toml:3:1", "summary[0].date", "date = \"1919-06-01\""],
        ),
        (
            &format!("{head}[[summary]]\nmetric = \"active\"\nstat = \"at\"\ndate = \"1930-01-01\"\n"),
            &["bad.toml:6:8", "summary[0].date", "outside the runs"],
        ),
        (
            &format!("{head}[[summary]]\nmetric = \"active\"\nstat = \"final\"\n[[summary]]\nmetric = \"active\"\nstat = \"final\"\n"),
            &["bad.toml:6:1", "final.active.all", "own `name`"],
        ),
        (
            &format!("{head}[[fan]]\nmetric = \"sown_area\"\ngroup = \"all\"\ncolour = \"red\"\n"),
            &["bad.toml:6:1", "fan[0].colour", "metric, group"],
        ),
        (
            &format!("{head}keep_timeseries = true\nkeep_metrics = [\"active\", \"sown_are\"]\n"),
            &["bad.toml:4:27", "sweep.keep_metrics[1]", "did you mean `sown_area`?"],
        ),
        (
            &format!("{head}keep_timeseries = true\nkeep_metrics = [\"active\", \"active\"]\n"),
            &["bad.toml:4:27", "sweep.keep_metrics[1]", "comes twice"],
        ),
        (
            &format!("{head}keep_metrics = [\"active\"]\n"),
            &["bad.toml:3:16", "sweep.keep_metrics", "keep_timeseries = true"],
        ),
        ("[sweep]\nname = \"x\"\n", &["bad.toml:1:1", "sweep.scenario"]),
        ("[sweep\n", &["bad.toml:1:", "TOML syntax error"]),
    ];
    for (text, needles) in cases {
        let line = error_of(tmp.path(), text);
        for needle in *needles {
            assert!(line.contains(needle), "{text}\n{line:?} lacks {needle:?}");
        }
    }
    let output = revsim(&["sweep", tiny().to_str().unwrap(), "--shard", "2/2"]);
    assert_status(&output, 2, "--shard 2/2");
}

#[test]
fn two_sweeps_into_one_folder_do_not_both_run() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("both");
    let start = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_revsim"))
            .args(["sweep", tiny().to_str().unwrap(), "--out"])
            .arg(&out)
            .args(["--threads", "1", "--no-plots"])
            .current_dir(root())
            .output()
    };
    let (first, second) = std::thread::scope(|scope| {
        let a = scope.spawn(start);
        let b = scope.spawn(start);
        (a.join().unwrap().unwrap(), b.join().unwrap().unwrap())
    });
    let ok = [&first, &second]
        .iter()
        .filter(|o| o.status.success())
        .count();
    assert_eq!(
        ok,
        1,
        "exactly one sweep runs:\n{}\n{}",
        stderr(&first),
        stderr(&second)
    );
    let loser = if first.status.success() {
        &second
    } else {
        &first
    };
    assert!(!stderr(loser).contains("panicked"), "{}", stderr(loser));
    let runs = rows(&out.join("runs.csv"));
    let mut seen: Vec<&str> = runs.iter().map(|r| r.split(',').next().unwrap()).collect();
    seen.dedup();
    assert_eq!(seen.len(), 12, "every run once: {runs:?}");
    assert!(!lock_file(&out).exists(), "the lock is released on exit");

    // A writer holding the lock (this test's own, live, pid): --resume waits its turn.
    let lock = lock_file(&out);
    fs::write(
        &lock,
        format!("pid {}\ncommand revsim sweep\n", std::process::id()),
    )
    .unwrap();
    let output = revsim(&[
        "sweep",
        tiny().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--resume",
    ]);
    assert_status(&output, 1, "resume while another revsim writes the folder");
    assert!(
        stderr(&output).contains(&format!("pid {}", std::process::id())),
        "{}",
        stderr(&output)
    );
    let output = revsim(&["plot", out.to_str().unwrap()]);
    assert_status(&output, 1, "plot while another revsim writes the folder");
    assert!(!out.join("plots").exists());
    // The holder died (kill -9): its lock is taken over, with a note.
    fs::write(&lock, format!("pid {}\ncommand revsim sweep\n", dead_pid())).unwrap();
    let output = sweep(&tiny(), &out, &["--resume", "--no-plots"]);
    assert!(
        stderr(&output).contains("took over") && stderr(&output).contains("12 runs were already"),
        "{}",
        stderr(&output)
    );
    assert!(!lock.exists());
}

/// Three shards of the tiny sweep, copied fresh into `dir` for each damage.
fn tiny_shards(dir: &Path) -> Vec<PathBuf> {
    (0..3)
        .map(|i| {
            let shard = dir.join(format!("s{i}"));
            sweep(
                &tiny(),
                &shard,
                &["--shard", &format!("{i}/3"), "--no-plots", "--threads", "1"],
            );
            shard
        })
        .collect()
}

#[test]
fn merge_checks_what_it_reads_and_leaves_no_half_folder() {
    let tmp = TempDir::new().unwrap();
    let shards = tiny_shards(&tmp.path().join("clean"));
    let merged = tmp.path().join("merged");
    let merge_into = |dirs: &[PathBuf], out: &Path| {
        let mut args = vec!["merge".to_string()];
        args.extend(dirs.iter().map(|d| d.display().to_string()));
        args.extend([
            "--out".to_string(),
            out.display().to_string(),
            "--no-plots".to_string(),
        ]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        revsim(&args)
    };
    type Damage = fn(&Path);
    let damages: [(&str, &str, Damage); 5] = [
        ("a row cut short", "fields", |s| {
            let text = fs::read_to_string(s.join("runs.csv")).unwrap();
            let mut lines: Vec<String> = text.lines().map(String::from).collect();
            lines[2] = lines[2].split(',').take(4).collect::<Vec<_>>().join(",");
            fs::write(s.join("runs.csv"), lines.join("\n") + "\n").unwrap();
        }),
        ("a seed changed", "seed", |s| {
            let text = fs::read_to_string(s.join("runs.csv")).unwrap();
            let mut lines: Vec<String> = text.lines().map(String::from).collect();
            let mut fields: Vec<String> = lines[1].split(',').map(String::from).collect();
            fields[3] = "12345".to_string();
            lines[1] = fields.join(",");
            fs::write(s.join("runs.csv"), lines.join("\n") + "\n").unwrap();
        }),
        ("a garbage line in fans.csv", "fans.csv", |s| {
            let text = fs::read_to_string(s.join("fans.csv")).unwrap();
            let mut lines: Vec<&str> = text.lines().collect();
            lines.insert(3, "garbage");
            fs::write(s.join("fans.csv"), lines.join("\n") + "\n").unwrap();
        }),
        ("the design points edited", "design_hash", |s| {
            let path = s.join("manifest.json");
            let mut manifest: serde_json::Value =
                serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
            manifest["design_points"][0][0] = serde_json::json!("0.99");
            fs::write(&path, manifest.to_string()).unwrap();
        }),
        ("a design point removed", "design_points", |s| {
            let path = s.join("manifest.json");
            let mut manifest: serde_json::Value =
                serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
            manifest["design_points"].as_array_mut().unwrap().pop();
            fs::write(&path, manifest.to_string()).unwrap();
        }),
    ];
    for (i, (what, needle, damage)) in damages.iter().enumerate() {
        let copy = tmp.path().join(format!("damaged{i}"));
        let dirs: Vec<PathBuf> = shards
            .iter()
            .map(|s| {
                let to = copy.join(s.file_name().unwrap());
                copy_tree(s, &to);
                to
            })
            .collect();
        damage(&dirs[1]);
        let output = merge_into(&dirs, &merged);
        assert_status(&output, 2, &format!("merge with {what}"));
        assert!(
            stderr(&output).contains(needle),
            "{what}: {}",
            stderr(&output)
        );
        assert!(!merged.exists(), "{what}: a failed merge leaves no folder");
        if needle.starts_with("design") {
            // Nothing that reads the manifest trusts it: plot and resume refuse it too.
            let output = revsim(&["plot", dirs[1].to_str().unwrap()]);
            assert_status(&output, 2, &format!("plot with {what}"));
            let output = revsim(&[
                "sweep",
                tiny().to_str().unwrap(),
                "--shard",
                "1/3",
                "--resume",
                "--out",
                dirs[1].to_str().unwrap(),
            ]);
            assert_status(&output, 2, &format!("resume with {what}"));
        }
    }
    let output = merge_into(&shards, &merged);
    assert_status(&output, 0, "merge of the undamaged shards");
    assert_eq!(rows(&merged.join("runs.csv")).len(), 12);
    // Into the folder that holds the shards (as slurm_sweep.sh does): the shards stay.
    let parent = tmp.path().join("clean");
    let output = merge_into(&shards, &parent);
    assert_status(&output, 0, "merge into the shards' folder");
    for file in ["manifest.json", "runs.csv", "fans.csv"] {
        assert_eq!(
            fs::read(parent.join(file)).unwrap(),
            fs::read(merged.join(file)).unwrap(),
            "{file}"
        );
    }
    assert!(shards.iter().all(|s| s.join("manifest.json").is_file()));
}

#[test]
fn the_same_parameter_in_set_and_vary_and_a_duplicate_fan_are_located_errors() {
    let tmp = TempDir::new().unwrap();
    let head = format!("[sweep]\nscenario = {:?}\n", base());
    let both = format!(
        "{head}[set]\n\"grain.requisition_rate\" = 0.1\n\n[vary]\n\"grain.requisition_rate\" = [0.05, 0.15]\n"
    );
    let line = error_of(tmp.path(), &both);
    for needle in [
        "bad.toml:7:1",
        "grain.requisition_rate",
        "[set]",
        "keep one",
    ] {
        assert!(line.contains(needle), "{line} lacks {needle}");
    }
    let fans = format!("{head}\n[[fan]]\nmetric = \"active\"\n\n[[fan]]\nmetric = \"active\"\n");
    let line = error_of(tmp.path(), &fans);
    for needle in [
        "bad.toml:8:10",
        "fan[1].metric",
        "fan[0] already draws `active`",
    ] {
        assert!(line.contains(needle), "{line} lacks {needle}");
    }
    let early = format!("{head}\n[set]\n\"run.start\" = \"0000-01-01\"\n");
    let line = error_of(tmp.path(), &early);
    assert!(line.contains("outside the model's calendar"), "{line}");
}

#[test]
fn a_dry_run_of_a_huge_design_is_refused_instead_of_materialised() {
    // 3 000 x 3 000 points x 1 000 000 replicates once aborted allocating 72 TB.
    let tmp = TempDir::new().unwrap();
    let text = format!(
        "[sweep]\nscenario = {:?}\nreplicates = 1000000\n\n[vary]\n\
         \"grain.requisition_rate\" = {{ min = 0.0, max = 0.5, steps = 1000 }}\n",
        base()
    );
    let line = error_of(tmp.path(), &text);
    for needle in [
        "bad.toml:1:1",
        "sweep.replicates",
        "1000000000 runs",
        "at most 100000000",
    ] {
        assert!(line.contains(needle), "{line} lacks {needle}");
    }
}

/// A sweep may vary the scale: a point that would need more memory than `--max-memory` is
/// refused before its runs allocate (exit 2), as `run` refuses one.
#[test]
fn a_sweep_point_over_the_memory_limit_is_refused_before_it_allocates() {
    let tmp = TempDir::new().unwrap();
    let path = tmp.path().join("fine.toml");
    fs::write(
        &path,
        format!(
            "[sweep]\nscenario = {:?}\n\n[set]\n\"run.end\" = \"1917-04-01\"\n\n[vary]\n\
             \"run.people_per_agent\" = [200000, 1]\n",
            base()
        ),
    )
    .unwrap();
    let out = tmp.path().join("out");
    let output = revsim(&[
        "sweep",
        path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--threads",
        "1",
        "--max-memory",
        "1000",
    ]);
    assert_status(&output, 2, "a sweep with a point at one person per agent");
    let message = stderr(&output);
    assert!(message.contains("1000 MB"), "{message}");
}

#[test]
fn folders_of_another_build_are_refused_by_merge_and_resume() {
    let tmp = TempDir::new().unwrap();
    let shards = tiny_shards(tmp.path());
    let this = Manifest::read(&shards[0]).unwrap().build;
    assert_eq!(&this, revsim::fingerprint::build());
    assert_eq!(this.registries, revsim::fingerprint::registries_hash());

    // Shard 1 as another build would have written it: another commit and other registries,
    // its design hash sealed over them, so only the build tells the folders apart.
    let mut manifest = Manifest::read(&shards[1]).unwrap();
    let before = manifest.design_hash.clone();
    manifest.build.commit = Some("0123456789abcdef0123456789abcdef01234567".to_string());
    manifest.build.registries = "f".repeat(64);
    manifest.build.fingerprint = "00ff00ff00ff00ff".to_string();
    manifest.seal();
    assert_ne!(
        manifest.design_hash, before,
        "the design hash covers the build"
    );
    manifest.write(&shards[1]).unwrap();
    let other = Manifest::read(&shards[1]).unwrap().build;

    let dirs: Vec<&str> = shards.iter().map(|d| d.to_str().unwrap()).collect();
    let out = tmp.path().join("merged");
    let output = revsim(&[
        "merge",
        dirs[0],
        dirs[1],
        dirs[2],
        "--out",
        out.to_str().unwrap(),
        "--no-plots",
    ]);
    assert_status(&output, 2, "merge of shards of two builds");
    let message = stderr(&output);
    assert!(message.contains("different builds"), "{message}");
    for fingerprint in [&this.fingerprint, &other.fingerprint] {
        assert!(message.contains(fingerprint.as_str()), "{message}");
    }
    assert!(!out.exists(), "a refused merge leaves no folder");

    // Resuming the doctored shard with this build is refused, naming both builds.
    let output = revsim(&[
        "sweep",
        tiny().to_str().unwrap(),
        "--out",
        dirs[1],
        "--shard",
        "1/3",
        "--resume",
        "--no-plots",
    ]);
    assert_status(&output, 2, "resume of another build's shard");
    let message = stderr(&output);
    assert!(message.contains("another build"), "{message}");
    for fingerprint in [&this.fingerprint, &other.fingerprint] {
        assert!(message.contains(fingerprint.as_str()), "{message}");
    }
    // An untouched shard resumes (nothing to do) with the build that wrote it.
    sweep(
        &tiny(),
        &shards[0],
        &["--shard", "0/3", "--resume", "--no-plots"],
    );
}

/// Runs `file` as two shards under `tmp` and merges them: the merged folder is `whole`, byte
/// for byte (no plots), and a shard has no `points.csv`.
fn assert_two_shards_merge_into(file: &Path, whole: &Path, tmp: &Path) {
    let shards: Vec<PathBuf> = (0..2)
        .map(|i| {
            let dir = tmp.join(format!("s{i}"));
            sweep(file, &dir, &["--shard", &format!("{i}/2"), "--no-plots"]);
            assert!(
                !dir.join("points.csv").exists(),
                "a shard has no points.csv"
            );
            dir
        })
        .collect();
    let merged = tmp.join("merged");
    let output = revsim(&[
        "merge",
        shards[0].to_str().unwrap(),
        shards[1].to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
        "--no-plots",
    ]);
    assert_status(&output, 0, "merge");
    assert_same_tree(whole, &merged);
}

/// `points.csv` as (point, summary) -> (runs, mean, sd, mcse) fields.
fn point_stats(dir: &Path) -> BTreeMap<(usize, String), Vec<String>> {
    let text = fs::read_to_string(dir.join("points.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let summary_at = header.iter().position(|c| *c == "summary").unwrap();
    assert_eq!(
        header[summary_at..],
        ["summary", "runs", "mean", "sd", "mcse"]
    );
    lines
        .map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            (
                (fields[0].parse().unwrap(), fields[summary_at].to_string()),
                fields[summary_at + 1..]
                    .iter()
                    .map(|f| f.to_string())
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn points_csv_gives_each_points_mean_and_its_monte_carlo_standard_error() {
    let tmp = TempDir::new().unwrap();
    let file = variant(tmp.path(), "five", &[("replicates = 2", "replicates = 5")]);
    let out = tmp.path().join("out");
    let output = sweep(&file, &out, &["--no-plots"]);
    assert!(
        stderr(&output).contains("Monte Carlo standard error"),
        "{}",
        stderr(&output)
    );
    let manifest = Manifest::read(&out).unwrap();
    let stats = point_stats(&out);
    assert_eq!(stats.len(), manifest.points * manifest.summaries.len());

    // Recomputed here from runs.csv: the numeric summaries' per-point values.
    let first = 4 + manifest.vary.len();
    let mut checked = 0;
    for (i, summary) in manifest.summaries.iter().enumerate() {
        if summary.is_date {
            continue;
        }
        for point in 0..manifest.points {
            let values: Vec<f64> = rows(&out.join("runs.csv"))
                .iter()
                .map(|row| row.split(',').map(str::to_string).collect::<Vec<_>>())
                .filter(|fields| fields[1] == point.to_string())
                .filter_map(|fields| fields[first + i].parse::<f64>().ok())
                .collect();
            let n = values.len() as f64;
            let mean = values.iter().sum::<f64>() / n;
            let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
            let found = &stats[&(point, summary.column.clone())];
            assert_eq!(found[0], values.len().to_string());
            let close = |text: &str, expected: f64| {
                let value: f64 = text.parse().unwrap();
                assert!(
                    (value - expected).abs() <= 1e-12 * expected.abs().max(1.0),
                    "{} point {point}: {value} vs {expected}",
                    summary.column
                );
            };
            close(&found[1], mean);
            close(&found[2], sd);
            close(&found[3], sd / n.sqrt());
            checked += 1;
        }
    }
    assert_eq!(checked, 6 * 4, "four numeric summaries at six points");

    // Shards: merge writes the same points.csv.
    assert_two_shards_merge_into(&file, &out, tmp.path());
}

#[test]
fn a_design_from_a_csv_file_with_common_random_numbers() {
    let tmp = TempDir::new().unwrap();
    // As pandas or SALib would write it: quoted header, trailing zeros, spaces.
    fs::write(
        tmp.path().join("points.csv"),
        "\"grain.requisition_rate\",repression.arrest_rate\n0.050,0.1\n0.15, 0\n0.1,0.2\n",
    )
    .unwrap();
    let file = variant(
        tmp.path(),
        "from_file",
        &[
            (
                "design = \"grid\"",
                "design = \"file\"\npoints = \"points.csv\"",
            ),
            (
                "root_seed = 7",
                "root_seed = 7\ncommon_random_numbers = true\nkeep_timeseries = true",
            ),
            ("\"grain.requisition_rate\" = [0.05, 0.15]\n", ""),
            (
                "\"repression.arrest_rate\" = { min = 0.0, max = 0.2, steps = 3 }\n",
                "",
            ),
        ],
    );
    let out = tmp.path().join("out");
    sweep(&file, &out, &["--no-plots"]);
    let manifest = Manifest::read(&out).unwrap();
    assert_eq!(manifest.design, "file");
    assert!(manifest.common_random_numbers);
    assert_eq!(
        manifest.design_points,
        [["0.05", "0.1"], ["0.15", "0"], ["0.1", "0.2"]]
    );
    assert_eq!(manifest.runs, 6);
    for (i, row) in rows(&out.join("runs.csv")).iter().enumerate() {
        let fields: Vec<&str> = row.split(',').collect();
        // Replicate r has seed(root, r) at every point.
        assert_eq!(fields[3], run_seed(7, (i / 3) as u64).to_string(), "{row}");
        assert!(fields[3].parse::<u64>().unwrap() < revsim::sweep::SEED_LIMIT);
    }
    // A run of the second replicate at the last point, alone, gives the same numbers.
    rerun_alone(&out, 5, tmp.path());

    // Shards of a file design with common random numbers merge into the same folder.
    assert_two_shards_merge_into(&file, &out, tmp.path());

    // Editing the points file makes another sweep: resume refuses the folder.
    fs::write(
        tmp.path().join("points.csv"),
        "grain.requisition_rate,repression.arrest_rate\n0.05,0.1\n0.15,0\n0.1,0.15\n",
    )
    .unwrap();
    let output = revsim(&[
        "sweep",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--resume",
    ]);
    assert_status(&output, 2, "resume after the points file changed");
    assert!(
        stderr(&output).contains("another sweep"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn points_file_errors_name_the_file_line_column_and_what_is_valid() {
    let tmp = TempDir::new().unwrap();
    let head = format!(
        "[sweep]\nscenario = {:?}\ndesign = \"file\"\npoints = \"p.csv\"\n[set]\n\"run.end\" = \"1917-06-01\"\n",
        base()
    );
    let cases: &[(&str, &[&str])] = &[
        (
            "grain.requisition_rat,repression.arrest_rate\n0.1,0.1\n",
            &[
                "p.csv:1:1",
                "unknown parameter `grain.requisition_rat`",
                "grain.requisition_rate",
            ],
        ),
        (
            "grain.requisition_rate,repression.arrest_rate\n0.1,0.1\n0.1,7\n",
            &["p.csv:3:5", "repression.arrest_rate", "got `7`"],
        ),
        (
            "grain.requisition_rate,repression.arrest_rate\n0.1,abc\n",
            &["p.csv:2:5", "abc"],
        ),
        (
            "grain.requisition_rate,repression.arrest_rate\n0.1,0.1\n0.2\n",
            &["p.csv:3:", "1 fields but the header has 2"],
        ),
        (
            ",grain.requisition_rate\n0,0.1\n",
            &["p.csv:1:1", "index=False"],
        ),
        (
            "grain.requisition_rate,grain.requisition_rate\n0.1,0.1\n",
            &["p.csv:1:24", "comes twice"],
        ),
        ("grain.requisition_rate\n", &["p.csv", "no point"]),
        ("", &["p.csv", "empty"]),
    ];
    for (csv, expected) in cases {
        fs::write(tmp.path().join("p.csv"), csv).unwrap();
        let message = error_of(tmp.path(), &head);
        for part in *expected {
            assert!(message.contains(part), "{csv:?}: {part:?} not in {message}");
        }
    }
    // The sweep file's own mistakes about the design.
    fs::write(tmp.path().join("p.csv"), "grain.requisition_rate\n0.1\n").unwrap();
    for (text, expected) in [
        (
            head.replace("points = \"p.csv\"\n", ""),
            "missing `sweep.points`",
        ),
        (
            head.replace("points = \"p.csv\"", "points = \"none.csv\""),
            "none.csv",
        ),
        (
            format!("{head}[vary]\n\"repression.arrest_rate\" = [0.1]\n"),
            "remove [vary]",
        ),
        (
            head.replace("design = \"file\"", "design = \"grid\""),
            "`points` is for design = \"file\"",
        ),
    ] {
        let message = error_of(tmp.path(), &text);
        assert!(message.contains(expected), "{expected:?} not in {message}");
    }
}

/// The fired events of a kept run: (id, date).
fn fired(dir: &Path) -> Vec<(String, String)> {
    fs::read_to_string(dir.join("events.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            (cells[2].to_string(), cells[1].to_string())
        })
        .collect()
}

#[test]
fn event_levers_switch_and_move_events_and_rerun_alone() {
    let tmp = TempDir::new().unwrap();
    let levers = root().join("tests/fixtures/sweeps/levers.toml");
    let head = format!(
        "[sweep]\nscenario = {:?}\nreplicates = 2\nkeep_timeseries = true\n\
         [set]\n\"run.people_per_agent\" = 50000\n\"run.end\" = \"1917-07-01\"\n\
         \"event.unrest.enabled\" = false\n",
        levers.display().to_string()
    );
    let summary = "[[summary]]\nmetric = \"active\"\nstat = \"max\"\n";
    let file = tmp.path().join("levers.toml");
    fs::write(
        &file,
        format!(
            "{head}[vary]\n\"event.squeeze.enabled\" = [true, false]\n\
             \"event.squeeze.date\" = [\"1917-04-01\", \"1917-05-02\"]\n{summary}"
        ),
    )
    .unwrap();
    let out = tmp.path().join("swept");
    sweep(&file, &out, &["--no-plots"]);
    let manifest = Manifest::read(&out).unwrap();
    assert_eq!(
        manifest.design_points,
        [
            ["true", "1917-04-01"],
            ["true", "1917-05-02"],
            ["false", "1917-04-01"],
            ["false", "1917-05-02"]
        ]
    );
    assert_eq!(manifest.vary[1].kind, "date");
    let day = |text: &str| revsim::date::Date::parse(text).unwrap();
    for run in 0..manifest.runs as usize {
        let point = &manifest.design_points[run % manifest.points];
        let events = fired(&out.join(format!("runs/{run}")));
        assert!(
            !events.iter().any(|(id, _)| id == "unrest"),
            "[set] disabled `unrest`: {events:?}"
        );
        let squeeze: Vec<&String> = events
            .iter()
            .filter(|(id, _)| id == "squeeze")
            .map(|(_, date)| date)
            .collect();
        if point[0] == "false" {
            assert!(squeeze.is_empty(), "run {run} {point:?}: {events:?}");
        } else {
            // Fired once, in the week holding the lever's date.
            assert_eq!(squeeze.len(), 1, "run {run} {point:?}: {events:?}");
            let days = day(squeeze[0]).days_until(day(&point[1]));
            assert!((0..7).contains(&days), "run {run} {point:?}: {events:?}");
        }
    }
    // `revsim run --seed --set event...` gives a lever's run again.
    rerun_alone(&out, 5, tmp.path());

    // Located refusals: an unknown event, a date lever on a condition, a date before the start.
    for (vary, expected) in [
        (
            "\"event.squeze.enabled\" = [true, false]",
            &[
                "bad.toml:10:1",
                "unknown event of the base scenario `squeze`",
                "squeeze",
            ][..],
        ),
        (
            "\"event.unrest.date\" = [\"1917-05-01\"]",
            &["triggered by conditions", "event.unrest.enabled"][..],
        ),
        (
            "\"event.squeeze.date\" = [\"1917-04-01\", \"1917-01-01\"]",
            &["1917-01-01 is before the runs start"][..],
        ),
        (
            "\"event.squeeze.enabled\" = [1, 0]",
            &["must be true or false"][..],
        ),
    ] {
        let message = error_of(tmp.path(), &format!("{head}[vary]\n{vary}\n{summary}"));
        for part in expected {
            assert!(message.contains(part), "{part:?} not in {message}");
        }
    }
    // [set] of an event the base scenario does not have: located on its entry.
    let message = error_of(
        tmp.path(),
        &head.replace("event.unrest.enabled", "event.unres.enabled"),
    );
    assert!(message.contains("no event `unres`"), "{message}");
    assert!(message.contains("bad.toml:8:"), "{message}");
}

/// The scenario lever: each point runs the scenario it names, with the sweep's [set]; with
/// common random numbers replicate r has one seed in every scenario; each run is
/// `revsim run <scenario> --seed <seed>` again, byte for byte; and what cannot work is refused.
#[test]
fn the_scenario_lever_runs_each_scenario_and_reruns_alone() {
    let tmp = TempDir::new().unwrap();
    let head = "[sweep]\nscenario = \"baseline_1917\"\nreplicates = 2\n\
                common_random_numbers = true\nkeep_timeseries = true\n\
                [set]\n\"run.people_per_agent\" = 50000\n\"run.end\" = \"1917-10-01\"\n";
    let summary = "[[summary]]\nmetric = \"coup.collapsed\"\nstat = \"max\"\n";
    let file = tmp.path().join("choose.toml");
    fs::write(
        &file,
        format!("{head}[vary]\nscenario = [\"baseline_1917\", \"no_kornilov\"]\n{summary}"),
    )
    .unwrap();
    let out = tmp.path().join("chosen");
    sweep(&file, &out, &["--no-plots"]);
    let manifest = Manifest::read(&out).unwrap();
    assert_eq!(manifest.design_points, [["baseline_1917"], ["no_kornilov"]]);
    assert_eq!(manifest.vary[0].kind, "scenario");
    assert_eq!(manifest.choices.len(), 2);
    assert!(manifest
        .rerun
        .starts_with("revsim run <scenario> --seed <seed>"));
    let rows = rows(&out.join("runs.csv"));
    let header = fs::read_to_string(out.join("runs.csv")).unwrap();
    assert!(
        header.starts_with("run,point,replicate,seed,scenario,"),
        "{header}"
    );
    assert!(rows[1].contains(",no_kornilov,"), "{rows:?}");
    let seed = |row: &str| row.split(',').nth(3).unwrap().to_string();
    assert_eq!(seed(&rows[0]), seed(&rows[1]), "one seed per replicate");
    // Kornilov marches (and is stopped) only where his march is an event.
    let collapsed = |run: usize| {
        fired(&out.join(format!("runs/{run}")))
            .iter()
            .any(|(id, _)| id == "kornilov_march")
    };
    assert!(collapsed(0) && collapsed(2), "baseline_1917 has the march");
    assert!(!collapsed(1) && !collapsed(3), "no_kornilov has none");
    rerun_alone(&out, 3, tmp.path());

    // An edited chosen scenario is another sweep: its hash is part of the design's.
    let mine = tmp.path().join("mine.toml");
    let kornilov = fs::read_to_string(root().join("scenarios/no_kornilov.toml")).unwrap();
    let dry_hash = |text: &str| {
        fs::write(&mine, text).unwrap();
        let choose = tmp.path().join("mine_sweep.toml");
        fs::write(
            &choose,
            format!("{head}[vary]\nscenario = [\"baseline_1917\", \"mine.toml\"]\n{summary}"),
        )
        .unwrap();
        let dry = revsim(&["sweep", choose.to_str().unwrap(), "--dry-run"]);
        assert_status(&dry, 0, "dry run");
        let text = String::from_utf8_lossy(&dry.stdout).to_string();
        let line = text
            .lines()
            .find(|l| l.contains("design "))
            .unwrap()
            .to_string();
        line
    };
    assert_ne!(
        dry_hash(&kornilov),
        dry_hash(&kornilov.replace("enabled = false", "enabled = true")),
        "the design hash follows the chosen scenarios' contents"
    );
    // A chosen path is written resolved, so `revsim run` finds it from any folder.
    let dry = revsim(&[
        "sweep",
        tmp.path().join("mine_sweep.toml").to_str().unwrap(),
        "--dry-run",
    ]);
    let listed = String::from_utf8_lossy(&dry.stdout).to_string();
    assert!(
        listed.contains(&format!(",{}\n", mine.display())),
        "{listed}"
    );

    for (vary, expected) in [
        (
            "scenario = [\"baseline_1917\", \"no_kornilv\"]",
            &["bad.toml:10:", "no_kornilv", "did you mean `no_kornilov`?"][..],
        ),
        (
            "scenario = [\"no_kornilov\", \"no_kornilov\"]",
            &["comes twice"][..],
        ),
        ("scenario = [1, 2]", &["scenario[0]", "a string"][..]),
    ] {
        let message = error_of(tmp.path(), &format!("{head}[vary]\n{vary}\n{summary}"));
        for part in expected {
            assert!(message.contains(part), "{part:?} not in {message}");
        }
    }
    // The chosen scenarios run over the base's weeks.
    fs::write(
        tmp.path().join("early.toml"),
        "[scenario]\nname = \"early\"\nextends = \"baseline_1917\"\n[run]\nstart = \"1917-02-22\"\n",
    )
    .unwrap();
    let message = error_of(
        tmp.path(),
        &format!("{head}[vary]\nscenario = [\"baseline_1917\", \"early.toml\"]\n{summary}"),
    );
    assert!(
        message.contains("early.toml runs from 1917-02-22"),
        "{message}"
    );
    // An event lever must name an event of every scenario chosen.
    let levers = root().join("tests/fixtures/sweeps/levers.toml");
    let message = error_of(
        tmp.path(),
        &format!(
            "[sweep]\nscenario = {levers:?}\n[vary]\nscenario = [{levers:?}, \"baseline_1917\"]\n\
             \"event.squeeze.enabled\" = [true, false]\n{summary}"
        ),
    );
    assert!(
        message.contains("event of every scenario the lever chooses")
            && message.contains("squeeze"),
        "{message}"
    );
    let message = error_of(
        tmp.path(),
        &format!(
            "{}[vary]\nscenario = [\"baseline_1917\", \"no_kornilov\"]\n\
             \"grain.requisition_rate\" = {{ min = 0.05, max = 0.1 }}\n{summary}",
            head.replace("replicates = 2", "design = \"lhs\"\nsamples = 4")
        ),
    );
    assert!(message.contains("use design = \"grid\""), "{message}");
}

/// `sensitivity.csv` as (summary, parameter, index) -> (estimate, low, high) texts.
fn sensitivity_rows(dir: &Path) -> BTreeMap<(String, String, String), [String; 3]> {
    let text = fs::read_to_string(dir.join("sensitivity.csv")).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("summary,parameter,method,index,estimate,low,high")
    );
    lines
        .map(|line| {
            let c: Vec<&str> = line.split(',').collect();
            (
                (c[0].to_string(), c[1].to_string(), c[3].to_string()),
                [c[4].to_string(), c[5].to_string(), c[6].to_string()],
            )
        })
        .collect()
}

/// Each point's mean of summary `column` from `points.csv`, in point order.
fn point_means(dir: &Path, column: &str) -> Vec<f64> {
    point_stats(dir)
        .into_iter()
        .filter(|((_, summary), _)| summary == column)
        .map(|(_, fields)| fields[1].parse().unwrap())
        .collect()
}

#[test]
fn sobol_and_morris_sweeps_give_the_indices_of_their_points() {
    use revsim::sensitivity::{morris_indices, rng, sobol_indices};
    let tmp = TempDir::new().unwrap();
    let design = |name: &str, lines: &str| {
        variant(
            tmp.path(),
            name,
            &[
                ("design = \"grid\"", lines),
                (
                    "\"grain.requisition_rate\" = [0.05, 0.15]",
                    "\"grain.requisition_rate\" = { min = 0.05, max = 0.15 }",
                ),
                (
                    "{ min = 0.0, max = 0.2, steps = 3 }",
                    "{ min = 0.0, max = 0.2 }",
                ),
            ],
        )
    };
    let sobol = design("sobol", "design = \"sobol\"\nsamples = 8");
    let morris = design("morris", "design = \"morris\"\ntrajectories = 4");
    for (file, points, method) in [(&sobol, 8 * 4, "sobol"), (&morris, 4 * 3, "morris")] {
        let out = tmp.path().join(method);
        sweep(file, &out, &["--no-plots"]);
        let manifest = Manifest::read(&out).unwrap();
        assert_eq!(
            (manifest.design.as_str(), manifest.points),
            (method, points)
        );
        // Each point's values are its unit coordinates through the ranges.
        let units = manifest.unit_points.clone().unwrap();
        for (unit, values) in units.iter().zip(&manifest.design_points) {
            for ((u, value), (min, max)) in unit.iter().zip(values).zip([(0.05, 0.15), (0.0, 0.2)])
            {
                let value: f64 = value.parse().unwrap();
                assert!(
                    (value - (min + u * (max - min))).abs() < 1e-12,
                    "{u} {value}"
                );
            }
        }
        let output = revsim(&["sensitivity", out.to_str().unwrap(), "--bootstrap", "200"]);
        assert_status(&output, 0, "revsim sensitivity");
        let found = sensitivity_rows(&out);
        for plot in ["sensitivity.png", "sensitivity.svg"] {
            let size = fs::metadata(out.join("plots").join(plot)).unwrap().len();
            assert!(size > 1000, "{method}: {plot} is {size} bytes");
        }

        // The same numbers as the library's, from points.csv's means in point order.
        let column = "peak_active_middle";
        let y = point_means(&out, column);
        let mut boot = rng("revsim-sensitivity-bootstrap", manifest.root_seed);
        let expected: Vec<(String, f64, f64, f64)> = if method == "sobol" {
            sobol_indices(&y, 2, 200, &mut boot)
                .unwrap()
                .iter()
                .zip(["grain.requisition_rate", "repression.arrest_rate"])
                .flat_map(|(i, name)| {
                    [
                        (
                            format!("{name} S1"),
                            i.first.value,
                            i.first.low,
                            i.first.high,
                        ),
                        (
                            format!("{name} ST"),
                            i.total.value,
                            i.total.low,
                            i.total.high,
                        ),
                    ]
                })
                .collect()
        } else {
            morris_indices(&units, &y, 2, 200, &mut boot)
                .unwrap()
                .iter()
                .zip(["grain.requisition_rate", "repression.arrest_rate"])
                .map(|(i, name)| {
                    let m = i.mu_star;
                    (format!("{name} mu_star"), m.value, m.low, m.high)
                })
                .collect()
        };
        for (key, value, low, high) in expected {
            let (name, index) = key.split_once(' ').unwrap();
            let row = &found[&(column.to_string(), name.to_string(), index.to_string())];
            for (text, expected) in row.iter().zip([value, low, high]) {
                let parsed: f64 = text.parse().unwrap();
                assert!(
                    (parsed - expected).abs() <= 1e-12 * expected.abs().max(1.0),
                    "{key}: {row:?} vs {expected}"
                );
            }
        }
    }
    // Written as Parquet, the Morris sweep gives the same indices.
    let parquet = tmp.path().join("morris_parquet");
    sweep(&as_parquet(&morris), &parquet, &["--no-plots"]);
    let output = revsim(&[
        "sensitivity",
        parquet.to_str().unwrap(),
        "--bootstrap",
        "200",
    ]);
    assert_status(&output, 0, "revsim sensitivity of a Parquet sweep");
    assert_eq!(
        fs::read(parquet.join("sensitivity.csv")).unwrap(),
        fs::read(tmp.path().join("morris/sensitivity.csv")).unwrap()
    );
    // A grid has no indices: refused, naming the designs that have.
    let grid = tmp.path().join("grid");
    sweep(&tiny(), &grid, &["--no-plots"]);
    let output = revsim(&["sensitivity", grid.to_str().unwrap()]);
    assert_status(&output, 2, "sensitivity of a grid");
    assert!(
        stderr(&output).contains("design = \"morris\""),
        "{}",
        stderr(&output)
    );
}

#[test]
fn calibrate_accepts_the_points_whose_target_means_fall_in_the_bands() {
    let tmp = TempDir::new().unwrap();
    let targets = ["start_population", "start_rural_share"];
    let file = variant(
        tmp.path(),
        "calibrated",
        &[
            ("design = \"grid\"", "design = \"lhs\"\nsamples = 6"),
            (
                "root_seed = 7",
                "root_seed = 7\ntargets = [\"start_population\", \"start_rural_share\"]",
            ),
            (
                "\"grain.requisition_rate\" = [0.05, 0.15]",
                "\"run.people_per_agent\" = { min = 20000, max = 400000 }",
            ),
            ("\"run.people_per_agent\" = 50000\n", ""),
            (
                "{ min = 0.0, max = 0.2, steps = 3 }",
                "{ min = 0.0, max = 0.2 }",
            ),
        ],
    );
    let out = tmp.path().join("swept");
    sweep(&file, &out, &["--no-plots"]);
    let manifest = Manifest::read(&out).unwrap();
    assert_eq!(manifest.targets, targets);
    assert!(manifest.columns.ends_with(&[
        "target.start_population".to_string(),
        "target.start_rural_share".to_string()
    ]));

    // Recomputed here: each point's mean of each target over its replicates, and the bands.
    let bands: Vec<(f64, f64, f64)> = targets
        .iter()
        .map(|id| {
            let t = revsim::validate::all_targets()
                .into_iter()
                .find(|t| t.id == *id)
                .unwrap();
            (t.expected, t.low, t.high)
        })
        .collect();
    let width = manifest.columns.len();
    let mut sums = vec![vec![(0.0, 0usize); 2]; manifest.points];
    for row in rows(&out.join("runs.csv")) {
        let fields: Vec<&str> = row.split(',').collect();
        let point: usize = fields[1].parse().unwrap();
        for t in 0..2 {
            if let Ok(v) = fields[width - 2 + t].parse::<f64>() {
                sums[point][t].0 += v;
                sums[point][t].1 += 1;
            }
        }
    }
    let means: Vec<Vec<f64>> = sums
        .iter()
        .map(|p| p.iter().map(|(s, n)| s / *n as f64).collect())
        .collect();
    let within: Vec<usize> = (0..manifest.points)
        .filter(|&p| (0..2).all(|t| means[p][t] >= bands[t].1 && means[p][t] <= bands[t].2))
        .collect();
    let distance = |p: usize| {
        ((0..2)
            .map(|t| ((means[p][t] - bands[t].0) / ((bands[t].2 - bands[t].1) / 2.0)).powi(2))
            .sum::<f64>()
            / 2.0)
            .sqrt()
    };
    let accepted_points = |dir: &Path| -> Vec<usize> {
        rows(&dir.join("accepted.csv"))
            .iter()
            .map(|r| r.split(',').next().unwrap().parse().unwrap())
            .collect()
    };

    let output = revsim(&["calibrate", out.to_str().unwrap()]);
    assert_status(&output, 0, "revsim calibrate");
    assert_eq!(accepted_points(&out), within);
    let calibration = rows(&out.join("calibration.csv"));
    assert_eq!(calibration.len(), 2);
    assert!(
        calibration[0].starts_with("start_population,"),
        "{calibration:?}"
    );
    let posterior = rows(&out.join("posterior.csv"));
    assert_eq!(posterior.len(), 2);
    assert!(posterior[0].starts_with(&format!("run.people_per_agent,6,{},", within.len())));
    for plot in ["posterior.png", "posterior.svg"] {
        let bytes = fs::read(out.join("plots").join(plot)).unwrap();
        assert!(bytes.len() > 1000, "plots/{plot}: {} bytes", bytes.len());
    }
    let svg = fs::read_to_string(out.join("plots/posterior.svg")).unwrap();
    assert!(
        svg.contains("run.people_per_agent"),
        "a panel per varied parameter"
    );

    // --best: the closest half, by the documented distance.
    let output = revsim(&["calibrate", out.to_str().unwrap(), "--best", "0.5"]);
    assert_status(&output, 0, "revsim calibrate --best 0.5");
    let mut order: Vec<usize> = (0..manifest.points).collect();
    order.sort_by(|&a, &b| distance(a).total_cmp(&distance(b)).then(a.cmp(&b)));
    let mut best: Vec<usize> = order[..3].to_vec();
    best.sort_unstable();
    assert_eq!(accepted_points(&out), best);
    for row in rows(&out.join("accepted.csv")) {
        let fields: Vec<&str> = row.split(',').collect();
        let point: usize = fields[0].parse().unwrap();
        let d: f64 = fields[3].parse().unwrap();
        assert!((d - distance(point)).abs() < 1e-9, "{row}");
    }

    // Written as Parquet, the sweep calibrates to the same files.
    let parquet = tmp.path().join("swept_parquet");
    sweep(&as_parquet(&file), &parquet, &["--no-plots"]);
    let output = revsim(&["calibrate", parquet.to_str().unwrap(), "--best", "0.5"]);
    assert_status(&output, 0, "revsim calibrate of a Parquet sweep");
    for name in ["accepted.csv", "posterior.csv", "calibration.csv"] {
        assert_eq!(
            fs::read(parquet.join(name)).unwrap(),
            fs::read(out.join(name)).unwrap(),
            "{name}"
        );
    }

    // Refusals: a sweep without targets, a bad fraction, an unknown target id.
    let plain = tmp.path().join("plain");
    sweep(&tiny(), &plain, &["--no-plots"]);
    let output = revsim(&["calibrate", plain.to_str().unwrap()]);
    assert_status(&output, 2, "calibrate without targets");
    assert!(
        stderr(&output).contains("targets = "),
        "{}",
        stderr(&output)
    );
    let output = revsim(&["calibrate", out.to_str().unwrap(), "--best", "1.5"]);
    assert_status(&output, 2, "calibrate --best 1.5");
    let text = fs::read_to_string(&file)
        .unwrap()
        .replace("\"start_rural_share\"]", "\"start_rural_shar\"]");
    let message = error_of(tmp.path(), &text);
    assert!(
        message.contains("unknown target `start_rural_shar`")
            && message.contains("start_rural_share"),
        "{message}"
    );
}
