//! `revsim compare` and `revsim report` from the command line: the files a comparison
//! writes, the same numbers on any thread count, the page, and the exit status on bad input.

mod common;

use std::path::Path;
use std::process::Output;

use common::{revsim, stderr, stdout};

fn compare(out: &Path, threads: &str) -> Output {
    revsim(&[
        "compare",
        "baseline_1917",
        "equal_franchise",
        "--replicates",
        "2",
        "--threads",
        threads,
        "--people-per-agent",
        "20000",
        "--end",
        "1918-02-01",
        "--out",
        out.to_str().expect("a UTF-8 path"),
    ])
}

#[test]
fn compare_writes_its_tables_and_plots_and_report_makes_the_page() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let one = dir.path().join("one");
    let output = compare(&one, "1");
    assert!(output.status.success(), "{}", stderr(&output));
    let stdout = stdout(&output);
    assert!(
        stdout.contains("| Outcome | baseline_1917 median")
            && stdout.contains("Bolsheviks at the Third Congress"),
        "the table is printed:\n{stdout}"
    );
    for file in ["compare.csv", "compare.md", "compare.json", "fans.csv"] {
        assert!(one.join(file).is_file(), "{file} is written");
    }
    for fan in &revsim::compare::FAN_METRICS {
        for ext in ["svg", "png"] {
            let plot = one.join("plots").join(format!("{}.{ext}", fan.stem()));
            assert!(plot.is_file(), "{} is drawn", plot.display());
        }
    }
    let csv = std::fs::read_to_string(one.join("compare.csv")).expect("compare.csv");
    assert!(csv.starts_with("outcome,label,unit,scenario,median,p05,p95,"));
    assert!(csv.contains("third_congress_bolsheviks"));

    // The numbers do not depend on the thread count.
    let two = dir.path().join("two");
    let output = compare(&two, "2");
    assert!(output.status.success(), "{}", stderr(&output));
    for file in ["compare.csv", "compare.md", "fans.csv"] {
        assert_eq!(
            std::fs::read(one.join(file)).expect("first"),
            std::fs::read(two.join(file)).expect("second"),
            "{file} differs between 1 and 2 threads"
        );
    }

    let output = revsim(&["report", one.to_str().expect("a UTF-8 path")]);
    assert!(output.status.success(), "{}", stderr(&output));
    let page = std::fs::read_to_string(one.join("report.html")).expect("report.html");
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("What if a peasant&#39;s vote had counted as much as a worker&#39;s"));
    assert!(page.contains("soviets.peasant_vote_weight: 0.2 → 1"));
    assert_eq!(
        page.matches("<svg").count(),
        revsim::compare::FAN_METRICS.len()
    );
}

#[test]
fn report_and_compare_reject_bad_input_with_status_2() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let output = revsim(&["report", dir.path().to_str().expect("a UTF-8 path")]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("neither a run"));
    let output = revsim(&["compare", "baseline_1917", "no_such_scenario"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(!dir.path().join("compare.json").exists());

    // A folder holding something else is refused before anything runs, and left as it was.
    let notes = dir.path().join("notes");
    std::fs::create_dir(&notes).expect("a folder");
    std::fs::write(notes.join("mine.txt"), "keep me").expect("a file");
    let output = compare(&notes, "1");
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("not a revsim comparison folder"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        std::fs::read_to_string(notes.join("mine.txt")).expect("kept"),
        "keep me"
    );
    assert!(!notes.join("compare.json").exists());
}

#[test]
fn report_inlines_only_svg_files_it_validated() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let one = dir.path().join("cmp");
    let output = compare(&one, "2");
    assert!(output.status.success(), "{}", stderr(&output));
    let target = dir.path().join("secret.svg");
    std::fs::write(&target, "<svg><script>alert('outside')</script></svg>").expect("secret");

    // A plot stem leading out of the folder; differences cut short.
    let json = one.join("compare.json");
    let original = std::fs::read_to_string(&json).expect("compare.json");
    type Edit = fn(&mut serde_json::Value);
    let edits: [(&str, Edit); 2] = [
        ("plots[0].stem", |file| {
            file["plots"][0]["stem"] = serde_json::json!("../../secret")
        }),
        ("outcomes[0]", |file| {
            file["outcomes"][0]["differences"] = serde_json::json!([])
        }),
    ];
    for (key, edit) in edits {
        let mut file: serde_json::Value = serde_json::from_str(&original).expect("JSON");
        edit(&mut file);
        std::fs::write(&json, file.to_string()).expect("edited");
        let output = revsim(&["report", one.to_str().expect("a UTF-8 path")]);
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert!(!stderr(&output).contains("panicked"), "{}", stderr(&output));
        assert!(stderr(&output).contains(key), "{}", stderr(&output));
        assert!(!one.join("report.html").exists());
    }

    // A crafted plot in the folder's own plots/.
    std::fs::write(&json, &original).expect("restored");
    let file: serde_json::Value = serde_json::from_str(&original).expect("JSON");
    let stem = file["plots"][0]["stem"].as_str().expect("a stem");
    let svg = one.join("plots").join(format!("{stem}.svg"));
    let drawn = std::fs::read_to_string(&svg).expect("the plot");
    for bad in [
        "<script>alert(1)</script>",
        "<rect onload=\"alert(1)\"/>",
        "<foreignObject><p>hi</p></foreignObject>",
        "<image href=\"file:///etc/passwd\"/>",
    ] {
        std::fs::write(&svg, drawn.replacen("</svg>", &format!("{bad}</svg>"), 1))
            .expect("crafted");
        let output = revsim(&["report", one.to_str().expect("a UTF-8 path")]);
        assert!(!output.status.success(), "{bad} is refused");
        assert!(
            stderr(&output).contains("not a plot revsim drew"),
            "{}",
            stderr(&output)
        );
        assert!(!one.join("report.html").exists());
    }
    std::fs::write(&svg, drawn).expect("restored");
    let output = revsim(&["report", one.to_str().expect("a UTF-8 path")]);
    assert!(output.status.success(), "{}", stderr(&output));
}

/// Outcome cells of a scenario whose runs split by who held power name each world's runs;
/// no difference is given a verdict from one run; `--quick` is the classroom preset.
#[test]
fn compare_shows_splits_and_gives_no_verdict_from_one_run() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("quick");
    let output = revsim(&[
        "compare",
        "baseline_1917",
        "no_kornilov",
        "--quick",
        "--end",
        "1918-02-01",
        "--threads",
        "2",
        "--out",
        out.to_str().expect("a UTF-8 path"),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let file = revsim::compare::CompareFile::read(&out).expect("compare.json");
    let preset = revsim::compare::CLASSROOM;
    assert_eq!(file.replicates, preset.replicates);
    assert_eq!(file.scenarios[0].people_per_agent, preset.people_per_agent);
    for (i, scenario) in file.scenarios.iter().enumerate() {
        let runs: usize = scenario.worlds.iter().map(|w| w.runs.len()).sum();
        assert_eq!(runs, file.replicates, "every run is in one world");
        for (o, row) in file.outcomes.iter().enumerate() {
            let unit = revsim::compare::unit_from_id(&row.unit);
            let cell = revsim::compare::scenario_cell(unit, scenario, o, &row.stats[i]);
            if scenario.worlds.len() > 1 {
                assert_eq!(
                    cell.matches(" run").count(),
                    scenario.worlds.len(),
                    "a split cell names each world's runs: {cell}"
                );
                if i > 0 {
                    assert!(row.differences[i].is_none(), "no difference across a split");
                }
            }
        }
    }

    // The story says the split in words, world by world.
    let output = revsim(&["story", out.to_str().expect("a UTF-8 path")]);
    assert!(output.status.success(), "{}", stderr(&output));
    let story = stdout(&output)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for scenario in &file.scenarios {
        if scenario.worlds.len() > 1 {
            assert!(story.contains("The runs split into"), "{story}");
            for world in &scenario.worlds[..1] {
                let words = format!("In {} of {} runs:", world.runs.len(), file.replicates);
                assert!(story.contains(&words), "{words:?} in:\n{story}");
            }
        } else {
            assert!(story.contains(&format!("In all {} runs", file.replicates)));
        }
    }

    let single = dir.path().join("single");
    let output = revsim(&[
        "compare",
        "baseline_1917",
        "equal_franchise",
        "--replicates",
        "1",
        "--people-per-agent",
        "20000",
        "--end",
        "1917-12-01",
        "--out",
        single.to_str().expect("a UTF-8 path"),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let table = stdout(&output);
    for verdict in ["clear)", "likely)", "within noise)", "same)"] {
        assert!(
            !table.contains(verdict),
            "one run gives no verdict:\n{table}"
        );
    }
    assert!(table.contains("one run: no interval"), "{table}");
}

/// `revsim story` on a run tells every event it recorded by its short title, in order, and
/// who held power; on a folder that is neither, it exits with status 2.
#[test]
fn story_tells_every_event_of_a_run() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let run = dir.path().join("run");
    let output = revsim(&[
        "run",
        "baseline_1917",
        "--people-per-agent",
        "20000",
        "--end",
        "1918-06-01",
        "--no-plots",
        "--out",
        run.to_str().expect("a UTF-8 path"),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let output = revsim(&[
        "story",
        "--width",
        "10000",
        run.to_str().expect("a UTF-8 path"),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let story = stdout(&output);
    assert!(story.contains("Who held power") && story.contains("still held power at the end"));
    let events = revsim::record::read_events(&run.join("events.csv")).expect("events.csv");
    assert!(!events.is_empty());
    let mut from = 0;
    for event in &events {
        let title = revsim::story::words::event_title(&event.id);
        let found = story[from..]
            .find(&format!(": {title}"))
            .unwrap_or_else(|| panic!("{title} ({}) is told, in order:\n{story}", event.id));
        from += found;
    }
    let output = revsim(&["story", dir.path().to_str().expect("a UTF-8 path")]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("neither a run"));
}
