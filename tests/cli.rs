//! The `revsim` binary end to end: a run writes the output contract of DESIGN 5 (files, header,
//! every required metric family, sane values, a manifest with every parameter, the plots);
//! invalid input exits 2 with one located `error:` line and writes nothing; `list`, `schema`
//! and `plot` do what they say.
//!
//! Runs are small (`--people-per-agent 20000`, about 9,000 agents) and short, so each test takes
//! a fraction of a second in release mode.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::{assert_status, dead_pid, read_manifest, revsim, root, stderr, stdout};
use revsim::date::Date;
use revsim::model::ids::{Class, Party, Region, Role, Side};
use revsim::model::params::registry;
use revsim::plot::plot_files;
use revsim::scenario::Trigger;
use tempfile::TempDir;

const SMALL: &str = "20000";
const TIMESERIES_HEADER: &str = "step,date,metric,group,value";
const EVENTS_HEADER: &str = "step,date,id,kind,description,sources";

/// Runs the baseline at small scale until `end` into `out`; extra arguments go last.
fn run_baseline(out: &Path, end: &str, extra: &[&str]) -> Output {
    let out = out.to_str().unwrap();
    let mut args = vec![
        "run",
        "baseline_1917",
        "--people-per-agent",
        SMALL,
        "--end",
        end,
        "--out",
        out,
    ];
    args.extend_from_slice(extra);
    let output = revsim(&args);
    assert_status(&output, 0, &format!("revsim {}", args.join(" ")));
    output
}

/// One row of `timeseries.csv`.
struct Row {
    step: u32,
    date: String,
    metric: String,
    group: String,
    value: f64,
}

/// `timeseries.csv`, parsed and checked for form: exact header, five fields, finite values.
struct Timeseries {
    rows: Vec<Row>,
    /// Groups of each metric.
    groups: BTreeMap<String, BTreeSet<String>>,
}

impl Timeseries {
    fn read(dir: &Path) -> Timeseries {
        let path = dir.join("timeseries.csv");
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some(TIMESERIES_HEADER), "header of {path:?}");
        let mut rows = Vec::new();
        let mut groups: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (n, line) in lines.enumerate() {
            let fields: Vec<&str> = line.split(',').collect();
            assert_eq!(fields.len(), 5, "line {}: {line:?}", n + 2);
            let value: f64 = fields[4]
                .parse()
                .unwrap_or_else(|e| panic!("line {}: value {:?}: {e}", n + 2, fields[4]));
            assert!(value.is_finite(), "line {}: {line:?} is not finite", n + 2);
            assert!(
                !fields[2].is_empty() && !fields[3].is_empty(),
                "line {}: empty metric or group: {line:?}",
                n + 2
            );
            groups
                .entry(fields[2].to_string())
                .or_default()
                .insert(fields[3].to_string());
            rows.push(Row {
                step: fields[0]
                    .parse()
                    .unwrap_or_else(|e| panic!("line {}: step: {e}", n + 2)),
                date: fields[1].to_string(),
                metric: fields[2].to_string(),
                group: fields[3].to_string(),
                value,
            });
        }
        assert!(!rows.is_empty(), "{path:?} has no rows");
        Timeseries { rows, groups }
    }

    #[track_caller]
    fn require(&self, metric: &str, group: &str) {
        let groups = self
            .groups
            .get(metric)
            .unwrap_or_else(|| panic!("metric `{metric}` is never measured"));
        assert!(
            groups.contains(group),
            "metric `{metric}` has no group `{group}`; it has {groups:?}"
        );
    }

    /// Requires `metric` for every id of a breakdown, e.g. every `class.<id>`.
    #[track_caller]
    fn require_each(&self, metric: &str, prefix: &str, ids: &[&str]) {
        for id in ids {
            self.require(metric, &format!("{prefix}.{id}"));
        }
    }

    /// Distinct steps with their date, in order.
    fn steps(&self) -> Vec<(u32, String)> {
        let mut steps: Vec<(u32, String)> = Vec::new();
        for row in &self.rows {
            match steps.last() {
                Some((step, date)) if *step == row.step => {
                    assert_eq!(date, &row.date, "step {} has two dates", row.step)
                }
                _ => steps.push((row.step, row.date.clone())),
            }
        }
        steps
    }
}

fn ids<T: Copy>(all: &[T], id: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|&v| id(v)).collect()
}

fn parties() -> Vec<&'static str> {
    ids(Party::ALL, Party::id)
}

/// Parties proper, without `none` (members and ballots).
fn real_parties() -> Vec<&'static str> {
    parties().into_iter().filter(|&p| p != "none").collect()
}

fn classes() -> Vec<&'static str> {
    ids(Class::ALL, Class::id)
}

fn roles() -> Vec<&'static str> {
    ids(Role::ALL, Role::id)
}

fn regions() -> Vec<&'static str> {
    ids(Region::ALL, Region::id)
}

fn sides() -> Vec<&'static str> {
    ids(Side::ALL, Side::id)
}

fn read_events(dir: &Path) -> Vec<csv::StringRecord> {
    let path = dir.join("events.csv");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(
        text.lines().next(),
        Some(EVENTS_HEADER),
        "header of {path:?}"
    );
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .collect()
}

/// The 12 chart files (`<stem>.png` and `<stem>.svg`) of a run folder exist and look like
/// images; returns their paths.
fn assert_plots(dir: &Path) -> Vec<PathBuf> {
    let plots = dir.join("plots");
    let mut expected = Vec::new();
    for stem in plot_files() {
        let png = plots.join(format!("{stem}.png"));
        let bytes = fs::read(&png).unwrap_or_else(|e| panic!("{}: {e}", png.display()));
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{png:?} is no PNG");
        let svg = plots.join(format!("{stem}.svg"));
        let text = fs::read_to_string(&svg).unwrap_or_else(|e| panic!("{}: {e}", svg.display()));
        assert!(
            text.contains("<svg") && text.trim_end().ends_with("</svg>"),
            "{svg:?}"
        );
        expected.push(png);
        expected.push(svg);
    }
    assert_eq!(expected.len(), 12);
    let mut found: Vec<PathBuf> = fs::read_dir(&plots)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    found.sort();
    let mut sorted = expected.clone();
    sorted.sort();
    assert_eq!(found, sorted, "plots/ holds exactly the chart files");
    expected
}

#[test]
fn run_writes_the_files_the_manifest_and_the_plots() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("run");
    let output = run_baseline(&out, "1918-02-01", &["--seed", "7"]);
    assert!(stdout(&output).is_empty(), "a run prints to stderr only");

    let series = Timeseries::read(&out);
    let manifest = read_manifest(&out);
    assert_plots(&out);

    // The manifest describes the run.
    assert_eq!(manifest["scenario"], "baseline_1917");
    assert_eq!(manifest["seed"], 7);
    assert_eq!(manifest["people_per_agent"], 20000);
    assert_eq!(manifest["start"], "1917-03-01");
    assert_eq!(manifest["end"], "1918-02-01");
    assert_eq!(manifest["revsim_version"], env!("CARGO_PKG_VERSION"));
    let hash = manifest["scenario_hash"].as_str().unwrap();
    assert_eq!(hash.len(), 64, "SHA-256 hex: {hash}");
    let agents = manifest["agents"].as_u64().unwrap();
    assert!(
        (5_000..20_000).contains(&agents),
        "{agents} agents for ~182M people at 20,000 each"
    );
    let steps = manifest["steps"].as_u64().unwrap();
    // 1917-03-01 to 1918-02-01 is 337 days: steps 0..=48.
    assert_eq!(steps, 49);
    assert!(manifest["wall_seconds"].as_f64().unwrap() >= 0.0);
    assert!(manifest["agent_updates_per_second"].as_f64().unwrap() > 0.0);
    let parameters = manifest["parameters"]
        .as_object()
        .expect("a parameters object");
    for spec in registry() {
        let value = parameters
            .get(&spec.name)
            .unwrap_or_else(|| panic!("manifest lacks parameter {}", spec.name));
        let value = value.as_f64().unwrap();
        assert!(
            (spec.min..=spec.max).contains(&value),
            "{} = {value} outside {}",
            spec.name,
            spec.range_text()
        );
    }
    assert_eq!(parameters.len(), registry().len(), "only registry names");
    let scenario = common::baseline(&[]);
    let enabled: Vec<&str> = scenario
        .events
        .iter()
        .filter(|e| e.enabled)
        .map(|e| e.id.as_str())
        .collect();
    assert_eq!(manifest["events_enabled"], serde_json::json!(enabled));

    // Steps run 0..steps, a week apart, from the start date.
    let dated = series.steps();
    assert_eq!(dated.len() as u64, steps);
    let start = Date::parse("1917-03-01").unwrap();
    for (i, (step, date)) in dated.iter().enumerate() {
        assert_eq!(*step as usize, i);
        assert_eq!(date, &start.add_days(7 * i as i32).to_string());
    }

    // Every event is well formed and happened on a step of the run.
    let dates: BTreeMap<u32, String> = dated.into_iter().collect();
    let events = read_events(&out);
    assert!(!events.is_empty());
    let mut last_step = 0;
    for event in &events {
        let step: u32 = event[0].parse().unwrap();
        assert!(step >= last_step, "events in step order: {event:?}");
        last_step = step;
        assert_eq!(dates.get(&step), Some(&event[1].to_string()), "{event:?}");
        assert!(!event[2].is_empty(), "{event:?}");
        assert!(
            ["scheduled", "triggered", "emergent"].contains(&&event[3]),
            "{event:?}"
        );
    }
    // Each dated event of the scenario within the run fires in the week containing its date.
    let end = Date::parse("1918-02-01").unwrap();
    for spec in scenario.events.iter().filter(|e| e.enabled) {
        let Trigger::Date(date) = spec.trigger else {
            continue;
        };
        if date < start || date > end {
            continue;
        }
        let event = events
            .iter()
            .find(|e| &e[2] == spec.id.as_str())
            .unwrap_or_else(|| panic!("scheduled event {} ({date}) never fired", spec.id));
        assert_eq!(&event[3], "scheduled", "{event:?}");
        let week = Date::parse(&event[1]).unwrap();
        assert!(
            week <= date && date < week.add_days(7),
            "{} dated {date} fired in the week of {week}",
            spec.id
        );
    }
}

#[test]
fn run_measures_every_required_metric_family() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("run");
    // Through 1918 so the Red Army, the Whites and desertion exist.
    run_baseline(&out, "1919-01-01", &["--no-plots"]);
    assert!(!out.join("plots").exists(), "--no-plots draws nothing");
    let series = Timeseries::read(&out);

    series.require("population", "all");
    series.require_each("population", "region", &regions());
    series.require("population.urban", "all");
    for party in parties() {
        for kind in ["private", "public"] {
            let metric = format!("support.{kind}.{party}");
            series.require(&metric, "all");
            series.require_each(&metric, "class", &classes());
            series.require_each(&metric, "role", &roles());
            series.require_each(&metric, "region", &regions());
        }
        let soviet = format!("soviet.share.{party}");
        series.require(&soviet, "all");
        series.require_each(&soviet, "soviet", &["petrograd", "moscow", "kronstadt"]);
    }
    for party in real_parties() {
        series.require(&format!("members.{party}"), "all");
        let congress = format!("congress.share.{party}");
        let groups = series
            .groups
            .get(&congress)
            .unwrap_or_else(|| panic!("metric `{congress}` is never measured"));
        for group in groups {
            let number = group
                .strip_prefix("congress.")
                .and_then(|n| n.parse::<u32>().ok())
                .unwrap_or_else(|| panic!("`{congress}` group `{group}` is not congress.<n>"));
            assert!(number >= 1, "{congress} {group}");
        }
        let election = format!("election.constituent.{party}");
        series.require(&election, "all");
        series.require_each(&election, "region", &regions());
        series.require_each(&election, "class", &classes());
    }
    for metric in ["legitimacy", "hardship", "active"] {
        series.require(metric, "all");
        series.require_each(metric, "class", &classes());
        series.require_each(metric, "role", &roles());
        series.require_each(metric, "region", &regions());
    }
    series.require_each("active", "soviet", &["petrograd", "moscow", "kronstadt"]);
    series.require("risings", "all");
    series.require_each("risings", "region", &regions());
    series.require("food.security", "all");
    for metric in ["harvest", "sown_area", "procurement"] {
        series.require(metric, "all");
        series.require_each(metric, "region", &regions());
    }
    for metric in [
        "industry.output",
        "workers.industrial",
        "unemployment",
        "deaths.famine",
        "deaths.war",
        "deaths.repression",
        "army.red.size",
        "army.white.size",
        "desertion.red",
    ] {
        series.require(metric, "all");
    }
    for class in classes() {
        series.require(&format!("army.red.origin.{class}"), "all");
    }
    for side in sides() {
        series.require(&format!("control.{side}"), "all");
    }
}

/// Metrics that are shares of something, so within [0, 1].
fn is_share(metric: &str) -> bool {
    const PREFIXES: [&str; 8] = [
        "support.private.",
        "support.public.",
        "soviet.share.",
        "congress.share.",
        "factory_committee.share.",
        "election.constituent.",
        "army.red.origin.",
        "control.",
    ];
    const EXACT: [&str; 6] = [
        "legitimacy",
        "hardship",
        "active",
        "food.security",
        "unemployment",
        "heating",
    ];
    PREFIXES.iter().any(|p| metric.starts_with(p)) || EXACT.contains(&metric)
}

/// Metrics that count people, tonnes or risings, so never negative.
fn is_count(metric: &str) -> bool {
    const PREFIXES: [&str; 10] = [
        "population",
        "risings",
        "members.",
        "deaths.",
        "army.red.size",
        "army.white.size",
        "desertion.",
        "harvest",
        "procurement",
        "workers.",
    ];
    PREFIXES.iter().any(|p| metric.starts_with(p))
}

/// Families of shares that split a whole: the prefix and the ids that complete it. Per (step,
/// group) the members add up to 1, or to 0 where the group is empty (e.g. the Red Army before
/// it exists). Other metrics under the same prefix (aggregates such as
/// `support.public_socialist`) are not members.
fn partitions() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        ("support.private.", parties()),
        ("support.public.", parties()),
        ("soviet.share.", parties()),
        ("congress.share.", parties()),
        ("election.constituent.", parties()),
        ("army.red.origin.", classes()),
        ("control.", sides()),
    ]
}

#[test]
fn values_are_finite_shares_stay_in_0_1_and_partitions_add_up() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("run");
    // Through mid-1919: the civil war, the terror and the famine are all under way.
    run_baseline(&out, "1919-06-01", &["--no-plots"]);
    let series = Timeseries::read(&out);

    let partitions = partitions();
    let mut totals: BTreeMap<(u32, &str, &str), f64> = BTreeMap::new();
    let mut cumulative: BTreeMap<&str, f64> = BTreeMap::new();
    for row in &series.rows {
        let what = format!(
            "step {} {} {} = {}",
            row.step, row.metric, row.group, row.value
        );
        if is_share(&row.metric) {
            assert!(
                (0.0..=1.0).contains(&row.value),
                "share out of [0,1]: {what}"
            );
        }
        if is_count(&row.metric) || row.metric == "sown_area" || row.metric == "industry.output" {
            assert!(row.value >= 0.0, "negative: {what}");
        }
        if row.metric.starts_with("deaths.") && row.group == "all" {
            let last = cumulative.entry(&row.metric).or_insert(0.0);
            assert!(row.value >= *last, "cumulative deaths fell: {what}");
            *last = row.value;
        }
        let member = partitions.iter().find(|(prefix, ids)| {
            row.metric
                .strip_prefix(prefix)
                .is_some_and(|id| ids.contains(&id))
        });
        if let Some((family, _)) = member {
            *totals.entry((row.step, family, &row.group)).or_insert(0.0) += row.value;
        }
    }
    for ((step, family, group), total) in totals {
        assert!(
            (total - 1.0).abs() < 1e-4 || total.abs() < 1e-9,
            "step {step}: {family}* of {group} add up to {total}"
        );
    }
    // Someone is alive at every step.
    for row in series.rows.iter().filter(|r| r.metric == "population") {
        if row.group == "all" {
            assert!(row.value > 0.0, "step {}: nobody alive", row.step);
        }
    }
}

/// The values the model measured, before the CSV writer formats them: `timeseries.csv`
/// writes a non-finite value as 0, so only the library shows a NaN.
#[test]
fn measured_values_are_finite_before_formatting() {
    let scenario = common::baseline(&["run.people_per_agent=20000", "run.end=1919-06-01"]);
    let result = revsim::sim::Simulation::new(&scenario)
        .run(|_, _| {})
        .expect("a finite run");
    let bad: Vec<String> = result
        .metrics
        .rows
        .iter()
        .filter(|row| !row.value.is_finite())
        .take(20)
        .map(|row| {
            format!(
                "step {} {} {} = {}",
                row.step, row.metric, row.group, row.value
            )
        })
        .collect();
    assert!(
        bad.is_empty(),
        "non-finite measurements:\n{}",
        bad.join("\n")
    );
}

#[test]
fn set_overrides_a_parameter() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("run");
    run_baseline(
        &out,
        "1917-06-01",
        &["--no-plots", "--set", "allegiance.social_weight=0.5"],
    );
    let manifest = read_manifest(&out);
    assert_eq!(
        manifest["parameters"]["allegiance.social_weight"].as_f64(),
        Some(0.5)
    );
    // A run setting through --set too.
    let out = tmp.path().join("seeded");
    run_baseline(&out, "1917-06-01", &["--no-plots", "--set", "run.seed=99"]);
    assert_eq!(read_manifest(&out)["seed"], 99);
}

/// Runs `args` (with `--out <tmp>/out` appended), expects exit status 2, one `error:` line
/// containing every needle, and no output folder.
#[track_caller]
fn assert_invalid(args: &[&str], needles: &[&str]) {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let mut args = args.to_vec();
    args.extend_from_slice(&["--out", out.to_str().unwrap()]);
    let output = revsim(&args);
    let what = format!("revsim {}", args.join(" "));
    assert_status(&output, 2, &what);
    let message = stderr(&output);
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(lines.len(), 1, "{what}: one line expected:\n{message}");
    assert!(lines[0].starts_with("error: "), "{what}: {message}");
    for needle in needles {
        assert!(
            message.contains(needle),
            "{what}: {message:?} lacks {needle:?}"
        );
    }
    assert!(stdout(&output).is_empty(), "{what}: {}", stdout(&output));
    assert!(!out.exists(), "{what} created {}", out.display());
}

#[test]
fn malformed_scenarios_exit_2_with_a_located_error_and_no_output() {
    // (fixture, file:line:col of the error, words the message must contain)
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "misspelled_run_key",
            "misspelled_run_key.toml:6:1",
            &["run.sed", "did you mean `seed`?"],
        ),
        (
            "misspelled_table",
            "misspelled_table.toml:4:2",
            &["parms", "did you mean `params`?"],
        ),
        (
            "misspelled_param",
            "misspelled_param.toml:5:1",
            &["did you mean `allegiance.social_weight`?"],
        ),
        (
            "wrong_type",
            "wrong_type.toml:5:30",
            &["allegiance.social_weight", "a number"],
        ),
        (
            "out_of_range",
            "out_of_range.toml:5:30",
            &["allegiance.social_weight", "-0.5"],
        ),
        (
            "bad_date",
            "bad_date.toml:6:8",
            &["events[0].date", "1917-02-30"],
        ),
        (
            "unknown_action",
            "unknown_action.toml:7:20",
            &["set_polcy", "did you mean `set_policy`?"],
        ),
        (
            "unknown_party",
            "unknown_party.toml:7:44",
            &["kadet", "did you mean `kadets`?"],
        ),
        (
            "extends_missing",
            "extends_missing.toml:3:11",
            &["bsae", "did you mean `base`?"],
        ),
        (
            "cycle_a",
            "cycle_b.toml:3:11",
            &["cycle_a -> cycle_b -> cycle_a"],
        ),
        ("syntax_error", "syntax_error.toml:5:", &["TOML"]),
    ];
    for (fixture, position, needles) in cases {
        let mut all = vec![*position];
        all.extend_from_slice(needles);
        assert_invalid(
            &["--scenarios", "tests/fixtures/scenarios", "run", fixture],
            &all,
        );
        // The same file given by path.
        let path = format!("tests/fixtures/scenarios/{fixture}.toml");
        assert_invalid(
            &["--scenarios", "tests/fixtures/scenarios", "run", &path],
            &[position],
        );
    }
}

#[test]
fn bad_command_line_values_exit_2_with_no_output() {
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["--set", "allegiance.social_weight=high"],
            &["--set allegiance.social_weight=high", "`high`"],
        ),
        (
            &["--set", "allegiance.social_wieght=0.5"],
            &["did you mean `allegiance.social_weight`?"],
        ),
        (&["--set", "allegiance.social_weight=-1"], &["from 0"]),
        (&["--set", "nonsense"], &["name=value"]),
        (&["--set", "run.sed=3"], &["did you mean `run.seed`?"]),
        (&["--people-per-agent", "0"], &["people_per_agent"]),
        (&["--end", "1917-02-30"], &["not a day of the calendar"]),
        (&["--end", "1917-03-01"], &["not after start"]),
    ];
    for (extra, needles) in cases {
        let mut args = vec!["run", "baseline_1917"];
        args.extend_from_slice(extra);
        assert_invalid(&args, needles);
    }
    // Clap's own usage errors also exit 2 (they may span several lines).
    let output = revsim(&["run", "baseline_1917", "--seed", "abc"]);
    assert_status(&output, 2, "--seed abc");
    assert!(
        stderr(&output).starts_with("error: "),
        "{}",
        stderr(&output)
    );
    let output = revsim(&["run", "baseline_1917", "--format", "arrow"]);
    assert_status(&output, 2, "--format arrow");
    assert!(
        stderr(&output).contains("`arrow` is not an output format: expected csv or parquet"),
        "{}",
        stderr(&output)
    );
    let output = revsim(&["run"]);
    assert_status(&output, 2, "run without a scenario");
}

#[test]
fn unknown_scenario_exits_2_and_suggests_the_nearest() {
    assert_invalid(
        &["run", "baseline_1971"],
        &["`baseline_1971`", "did you mean `baseline_1917`?"],
    );
    assert_invalid(&["run", "no/such/file.toml"], &["no/such/file.toml"]);
}

#[test]
fn unwritable_output_exits_1() {
    let tmp = TempDir::new().unwrap();
    let blocker = tmp.path().join("a_file");
    fs::write(&blocker, "not a folder").unwrap();
    let out = blocker.join("out");
    let output = revsim(&[
        "run",
        "baseline_1917",
        "--people-per-agent",
        SMALL,
        "--end",
        "1917-04-01",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_status(&output, 1, "run into a file");
    let message = stderr(&output);
    let errors: Vec<&str> = message
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 1, "{message}");
    assert!(errors[0].contains("a_file"), "{message}");
}

/// `revsim list | head -1`: the reader leaves after one line; revsim ends without a panic's
/// backtrace (it printed "failed printing to stdout: Broken pipe" before).
#[test]
fn a_reader_that_leaves_early_does_not_make_revsim_panic() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_revsim"))
        .args(["list", "params"])
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the revsim binary starts");
    let mut first = [0u8; 16];
    child
        .stdout
        .take()
        .expect("stdout is piped")
        .read_exact(&mut first)
        .expect("revsim prints something");
    // The pipe closes here, with most of the listing unread.
    let mut errors = String::new();
    child
        .stderr
        .take()
        .expect("stderr is piped")
        .read_to_string(&mut errors)
        .expect("stderr reads");
    child.wait().expect("revsim ends");
    assert!(!errors.contains("panicked"), "{errors}");
}

#[test]
fn list_prints_scenarios_and_every_parameter() {
    let output = revsim(&["list"]);
    assert_status(&output, 0, "revsim list");
    let text = stdout(&output);
    assert!(text.contains("baseline_1917"), "{text}");
    for spec in registry() {
        assert!(text.contains(&spec.name), "list lacks {}", spec.name);
    }
    // A folder of fixtures: the invalid ones are listed as such, and listing still succeeds.
    let output = revsim(&["--scenarios", "tests/fixtures/scenarios", "list"]);
    assert_status(&output, 0, "revsim list of the fixtures");
    let text = stdout(&output);
    assert!(text.contains("Test base"), "{text}");
    assert!(text.contains("(invalid: "), "{text}");
}

#[test]
fn schema_is_json_with_properties() {
    let output = revsim(&["schema"]);
    assert_status(&output, 0, "revsim schema");
    let schema: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("valid JSON");
    let properties = schema["properties"]
        .as_object()
        .expect("a properties object");
    for table in ["scenario", "run", "params", "events"] {
        assert!(properties.contains_key(table), "schema lacks {table}");
    }
    let params = serde_json::to_string(&properties["params"]).unwrap();
    assert!(params.contains("allegiance.social_weight"));
}

#[test]
fn plot_redraws_the_charts_of_a_run_folder() {
    let tmp = TempDir::new().unwrap();
    let drawn = tmp.path().join("drawn");
    let bare = tmp.path().join("bare");
    run_baseline(&drawn, "1918-02-01", &[]);
    run_baseline(&bare, "1918-02-01", &["--no-plots"]);
    assert!(!bare.join("plots").exists());

    let output = revsim(&["plot", bare.to_str().unwrap()]);
    assert_status(&output, 0, "revsim plot");
    let files = assert_plots(&bare);
    // Same data, same charts, byte for byte.
    for file in files {
        let twin = drawn.join("plots").join(file.file_name().unwrap());
        assert!(
            fs::read(&file).unwrap() == fs::read(&twin).unwrap(),
            "{} differs from the one `run` drew",
            file.display()
        );
    }

    // Redrawing over existing charts works too, and leaves no temporary files.
    let output = revsim(&["plot", drawn.to_str().unwrap()]);
    assert_status(&output, 0, "revsim plot again");
    assert_plots(&drawn);
}

#[test]
fn plot_of_a_folder_without_a_run_exits_2_with_a_hint() {
    let tmp = TempDir::new().unwrap();
    for dir in [tmp.path().to_path_buf(), tmp.path().join("missing")] {
        let output = revsim(&["plot", dir.to_str().unwrap()]);
        assert_status(&output, 2, "revsim plot of an empty folder");
        let message = stderr(&output);
        assert!(message.starts_with("error: "), "{message}");
        assert!(message.contains("timeseries.csv"), "{message}");
        assert!(message.contains("revsim run"), "{message}");
    }
    assert!(!tmp.path().join("plots").exists(), "no plots/ for nothing");
    assert!(!tmp.path().join("missing").exists());
}

/// A condition on a metric the registry does not have (a typo) is refused when the file is
/// loaded: exit 2, the file, line and column, the key and the nearest metric; nothing runs and
/// nothing is written.
#[test]
fn run_refuses_an_event_condition_on_an_unknown_metric_before_running() {
    let tmp = TempDir::new().unwrap();
    let scenario = tmp.path().join("typo.toml");
    std::fs::write(
        &scenario,
        r#"[scenario]
name = "typo"
title = "A misspelled metric"
extends = "baseline_1917"
about = "The NEP condition reads `activ` instead of `active`."
sources = ["004:136-140"]

[[events]]
id = "nep"
when = { all = [{ metric = "activ", group = "class.peasant_middle", at_least = 0.05 }] }
"#,
    )
    .unwrap();
    let out = tmp.path().join("out");
    let output = revsim(&[
        "run",
        scenario.to_str().unwrap(),
        "--people-per-agent",
        SMALL,
        "--end",
        "1917-04-30",
        "--no-plots",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_status(&output, 2, "a run with a misspelled condition metric");
    let message = stderr(&output);
    assert!(
        message.contains("typo.toml:10:28")
            && message.contains("events[0].when.all[0].metric")
            && message.contains("`activ`")
            && message.contains("did you mean `active`?"),
        "stderr:\n{message}"
    );
    assert!(!out.exists(), "nothing is written for a refused file");
}

/// The entries of `dir` whose names start with `.tmp-` or `.old-`.
fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".tmp-") || n.starts_with(".old-"))
        .collect()
}

#[test]
fn a_run_folder_is_the_old_run_or_the_new_one_never_a_mix() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("run");
    run_baseline(&out, "1917-04-01", &["--seed", "1"]);
    assert!(out.join("plots").is_dir());

    // A rerun without plots replaces the whole folder: no plots of the old run stay.
    run_baseline(&out, "1917-04-01", &["--seed", "2", "--no-plots"]);
    assert!(!out.join("plots").exists(), "the old run's plots are gone");
    assert_eq!(read_manifest(&out)["seed"], 2);
    let seed_2 = fs::read(out.join("timeseries.csv")).unwrap();

    // kill -9 in the middle of a rerun: the folder is still seed 2's, whole.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_revsim"))
        .args(["run", "baseline_1917", "--seed", "3", "--no-plots", "--out"])
        .arg(&out)
        .current_dir(root())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    child.kill().unwrap();
    child.wait().unwrap();
    if read_manifest(&out)["seed"] == 2 {
        assert_eq!(fs::read(out.join("timeseries.csv")).unwrap(), seed_2);
    } else {
        assert_eq!(read_manifest(&out)["seed"], 3, "the new run, whole");
    }
    // What dead processes left beside it is cleaned by the next run.
    let dead = dead_pid();
    fs::create_dir(tmp.path().join(format!(".tmp-{dead}-run"))).unwrap();
    fs::write(tmp.path().join(format!(".tmp-{dead}-big.csv")), "x").unwrap();
    run_baseline(&out, "1917-04-01", &["--seed", "4", "--no-plots"]);
    assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
    assert_eq!(read_manifest(&out)["seed"], 4);
}

#[test]
fn run_out_refuses_a_folder_that_is_not_a_run() {
    let tmp = TempDir::new().unwrap();
    let other = tmp.path().join("notes");
    fs::create_dir(&other).unwrap();
    fs::write(other.join("manifest.json"), "{\"kind\": \"revsim-sweep\"}").unwrap();
    let args = |out: &str, extra: &[&'static str]| {
        let mut args = vec![
            "run".to_string(),
            "baseline_1917".to_string(),
            "--people-per-agent".to_string(),
            SMALL.to_string(),
            "--end".to_string(),
            "1917-04-01".to_string(),
            "--no-plots".to_string(),
            "--out".to_string(),
            out.to_string(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        args
    };
    let call = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        revsim(&args)
    };
    let output = call(args(other.to_str().unwrap(), &[]));
    assert_status(&output, 2, "run into a sweep's folder");
    assert!(stderr(&output).contains("--force"), "{}", stderr(&output));
    assert_eq!(
        fs::read_to_string(other.join("manifest.json")).unwrap(),
        "{\"kind\": \"revsim-sweep\"}"
    );
    let output = call(args(other.to_str().unwrap(), &["--force"]));
    assert_status(&output, 0, "run into a sweep's folder with --force");
    assert_eq!(read_manifest(&other)["seed"], 1917);
    for forbidden in ["/", "/.", "~", ".", "scenarios/.."] {
        let path = match forbidden {
            "~" => std::env::var("HOME").unwrap_or_else(|_| "/".to_string()),
            other => other.to_string(),
        };
        let output = call(args(&path, &["--force"]));
        assert_status(&output, 2, &format!("run --out {path}"));
        assert!(stderr(&output).contains("refusing"), "{}", stderr(&output));
    }
}

#[test]
fn dates_outside_the_models_calendar_exit_2() {
    for (flag, date) in [
        ("--end", "9999-12-31"),
        ("--end", "2100-01-01"),
        ("--end", "+917-06-01"),
        ("--set", "run.start=0000-01-01"),
    ] {
        assert_invalid(&["run", "baseline_1917", flag, date], &[date]);
    }
    assert_invalid(
        &["run", "baseline_1917", "--end", "1941-01-01"],
        &["outside the model's calendar", "1914-01-01", "1940-12-31"],
    );
}

#[test]
fn zero_replicates_exit_2_for_validate_and_compare() {
    for args in [
        &["validate", "--replicates", "0"][..],
        &[
            "compare",
            "baseline_1917",
            "no_kornilov",
            "--replicates",
            "0",
        ][..],
    ] {
        let output = revsim(args);
        assert_status(&output, 2, &args.join(" "));
        assert!(stderr(&output).contains("from 1 to"), "{}", stderr(&output));
    }
}

#[test]
fn values_inside_documented_ranges_crash_or_give_nan_no_longer() {
    // Once documented valid: 10 spawned ten times the people (11 GB), 0 made legitimacy NaN.
    assert_invalid(
        &[
            "run",
            "baseline_1917",
            "--set",
            "region.volga.urban_share=10",
        ],
        &["region.volga.urban_share", "from 0 to 1"],
    );
    assert_invalid(
        &["run", "baseline_1917", "--set", "grain.normal_extraction=0"],
        &["grain.normal_extraction", "from 0.01 to 1"],
    );
}

#[test]
fn people_per_agent_1_is_refused_before_allocating_by_the_memory_estimate() {
    // Once documented valid, it aborted allocating ~44 GB.
    assert_invalid(
        &["run", "baseline_1917", "--people-per-agent", "1"],
        &["people_per_agent 1", "MB", "--max-memory"],
    );
    assert_invalid(
        &["--max-memory", "1", "validate", "--replicates", "2"],
        &["over the limit of 1 MB"],
    );
}

/// The same kind of error, the same exit status: a folder that is not what the command reads
/// is invalid input (2) for `plot`, `report` and `merge` alike (they once gave 1, 2 and 1).
#[test]
fn exit_codes_agree_between_subcommands_for_a_folder_that_is_not_a_run() {
    let tmp = TempDir::new().unwrap();
    let missing = tmp.path().join("missing");
    let missing = missing.to_str().unwrap();
    let out = tmp.path().join("merged");
    for args in [
        vec!["plot", missing],
        vec!["report", missing],
        vec!["merge", missing, "--out", out.to_str().unwrap()],
    ] {
        let output = revsim(&args);
        assert_status(&output, 2, &args.join(" "));
        assert!(stderr(&output).contains(missing), "{}", stderr(&output));
    }
    assert!(!out.exists(), "a refused merge writes nothing");
}

/// `revsim list events [SCENARIO]` names every event of the scenario with when it fires and
/// marks those switched off; `revsim list params FILTER` lists only matching parameters.
#[test]
fn list_events_and_filtered_params() {
    let scenarios = common::root().join("scenarios");
    for name in ["baseline_1917", "no_kornilov"] {
        let scenario = revsim::scenario::load_scenario(
            &revsim::scenario::find_scenario(name, &scenarios).expect("the scenario exists"),
            &scenarios,
            &[],
        )
        .expect("the scenario loads");
        let args: &[&str] = if name == "baseline_1917" {
            &["list", "events"]
        } else {
            &["list", "events", name]
        };
        let output = revsim(args);
        common::assert_status(&output, 0, "list events");
        let text = stdout(&output);
        assert_eq!(text.matches("\n    when: ").count(), scenario.events.len());
        for event in &scenario.events {
            let line = format!(
                "\n  {}{}\n",
                event.id,
                if event.enabled { "" } else { " [switched off]" }
            );
            assert!(text.contains(&line), "{line:?} in:\n{text}");
        }
    }
    let output = revsim(&["list", "events", "no_such_scenario"]);
    common::assert_status(&output, 2, "list events of a missing scenario");

    let output = revsim(&["list", "params", "revolt."]);
    common::assert_status(&output, 0, "list params revolt.");
    let text = stdout(&output);
    let listed: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("  "))
        .map(|l| l.split_whitespace().next().unwrap_or_default())
        .collect();
    let expected: Vec<&str> = registry()
        .iter()
        .map(|s| s.name.as_str())
        .filter(|n| n.contains("revolt."))
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(listed, expected);
    let output = revsim(&["list", "params", "no_such_thing"]);
    common::assert_status(&output, 2, "list params matching nothing");
    assert!(stderr(&output).contains("no parameter's name contains \"no_such_thing\""));
}

/// `revsim bench --against` runs another build on the same cases, turn and turn about, and
/// gives the ratio of their times; a path that is not a file is refused as invalid input.
#[test]
fn bench_against_another_build_takes_turns_and_gives_the_ratio() {
    let me = env!("CARGO_BIN_EXE_revsim");
    let args = [
        "bench",
        "--only",
        "classic_40",
        "--quick",
        "--repeats",
        "2",
        "--against",
        me,
    ];
    let output = revsim(&args);
    assert_status(&output, 0, "revsim bench --against itself");
    let table = stdout(&output);
    assert!(
        table.contains(&format!("Against {me}, turn and turn about")),
        "{table}"
    );
    assert!(table.contains("| classic_40 | 2 | "), "{table}");
    let missing = revsim(&[
        "bench",
        "--only",
        "classic_40",
        "--quick",
        "--against",
        "no/such/revsim",
    ]);
    assert_status(&missing, 2, "revsim bench --against a missing file");
    assert!(
        stderr(&missing).contains("--against no/such/revsim: no such file"),
        "{}",
        stderr(&missing)
    );
}
