//! Scenario files through the library API: each malformed fixture gives one clear error with
//! the right variant, the exact line:column, the key and a valid alternative; the valid
//! fixtures load, inherit and take overrides.

mod common;

use std::path::PathBuf;

use common::root;
use revsim::date::Date;
use revsim::model::params::spec;
use revsim::scenario::{
    find_scenario, list_scenarios, load_scenario, Action, Override, Policy, ScenarioError, Trigger,
};

fn dir() -> PathBuf {
    root().join("tests/fixtures/scenarios")
}

fn fixture(name: &str) -> PathBuf {
    dir().join(format!("{name}.toml"))
}

/// Loads a fixture that must fail; checks the location and that the message names the file
/// position and contains every `needles`.
fn error_of(name: &str, overrides: &[&str]) -> ScenarioError {
    let overrides: Vec<Override> = match overrides.iter().map(|s| s.parse()).collect() {
        Ok(overrides) => overrides,
        // A name or value `--set` cannot take is an error before anything loads.
        Err(error) => return error,
    };
    match load_scenario(&fixture(name), &dir(), &overrides) {
        Ok(_) => panic!("{name} loaded but should not"),
        Err(error) => error,
    }
}

/// The valid range of the parameter the fixtures use, as messages write it.
fn social_weight_range() -> String {
    spec("allegiance.social_weight").unwrap().range_text()
}

fn assert_at(error: &ScenarioError, file: &str, line: usize, column: usize) {
    let location = error
        .location()
        .unwrap_or_else(|| panic!("no location in {error}"));
    assert_eq!(location.file, fixture(file), "{error}");
    assert_eq!((location.line, location.column), (line, column), "{error}");
    let message = error.to_string();
    let position = format!("{file}.toml:{line}:{column}");
    assert!(message.contains(&position), "{message} lacks {position}");
}

fn assert_mentions(error: &ScenarioError, needles: &[&str]) {
    let message = error.to_string();
    for needle in needles {
        assert!(message.contains(needle), "{message:?} lacks {needle:?}");
    }
}

#[test]
fn misspelled_run_key_suggests_seed() {
    let error = error_of("misspelled_run_key", &[]);
    match &error {
        ScenarioError::UnknownKey {
            key,
            suggestion,
            valid,
            ..
        } => {
            assert_eq!(key, "run.sed");
            assert_eq!(suggestion.as_deref(), Some("seed"));
            assert!(valid.contains(&"people_per_agent".to_string()));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_at(&error, "misspelled_run_key", 6, 1);
    assert_mentions(&error, &["run.sed", "did you mean `seed`?"]);
}

#[test]
fn misspelled_top_level_table_suggests_params() {
    let error = error_of("misspelled_table", &[]);
    assert!(
        matches!(&error, ScenarioError::UnknownKey { key, .. } if key == "parms"),
        "{error}"
    );
    assert_at(&error, "misspelled_table", 4, 2);
    assert_mentions(
        &error,
        &[
            "`parms`",
            "did you mean `params`?",
            "scenario, run, params, events",
        ],
    );
}

#[test]
fn misspelled_parameter_suggests_the_nearest() {
    let error = error_of("misspelled_param", &[]);
    match &error {
        ScenarioError::UnknownParam {
            name, suggestion, ..
        } => {
            assert_eq!(name, "allegiance.social_wieght");
            assert_eq!(suggestion.as_deref(), Some("allegiance.social_weight"));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_at(&error, "misspelled_param", 5, 1);
    assert_mentions(
        &error,
        &[
            "params.\"allegiance.social_wieght\"",
            "did you mean `allegiance.social_weight`?",
        ],
    );
}

#[test]
fn value_of_the_wrong_type() {
    let error = error_of("wrong_type", &[]);
    match &error {
        ScenarioError::WrongType {
            expected, found, ..
        } => {
            assert_eq!(expected, "a number");
            assert!(found.contains("\"high\""), "{found}");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_at(&error, "wrong_type", 5, 30);
    assert_mentions(
        &error,
        &[
            "params.\"allegiance.social_weight\"",
            "a number",
            "a string",
        ],
    );
}

#[test]
fn value_out_of_range() {
    let error = error_of("out_of_range", &[]);
    assert!(matches!(error, ScenarioError::OutOfRange { .. }), "{error}");
    assert_at(&error, "out_of_range", 5, 30);
    assert_mentions(
        &error,
        &[
            "params.\"allegiance.social_weight\"",
            "-0.5",
            &social_weight_range(),
        ],
    );
}

#[test]
fn date_that_does_not_exist() {
    let error = error_of("bad_date", &[]);
    assert!(
        matches!(&error, ScenarioError::BadDate { key, .. } if key == "events[0].date"),
        "{error}"
    );
    assert_at(&error, "bad_date", 6, 8);
    assert_mentions(
        &error,
        &["events[0].date", "1917-02-30", "not a day of the calendar"],
    );
}

#[test]
fn unknown_action_suggests_set_policy() {
    let error = error_of("unknown_action", &[]);
    match &error {
        ScenarioError::UnknownAction {
            found,
            suggestion,
            valid,
            ..
        } => {
            assert_eq!(found, "set_polcy");
            assert_eq!(suggestion.as_deref(), Some("set_policy"));
            assert!(valid.contains(&"transfer_control".to_string()));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_at(&error, "unknown_action", 7, 20);
    assert_mentions(
        &error,
        &["events[0].actions[0].do", "did you mean `set_policy`?"],
    );
}

#[test]
fn unknown_party_lists_the_parties() {
    let error = error_of("unknown_party", &[]);
    assert!(
        matches!(error, ScenarioError::UnknownValue { .. }),
        "{error}"
    );
    assert_at(&error, "unknown_party", 7, 44);
    assert_mentions(
        &error,
        &[
            "events[0].actions[0].party",
            "`kadet`",
            "did you mean `kadets`?",
            "bolsheviks",
        ],
    );
}

#[test]
fn a_condition_on_an_unknown_metric_is_an_error_at_load_time() {
    // Found before anything runs, not as an event that silently never fires.
    let error = error_of("unknown_metric", &[]);
    assert!(
        matches!(&error, ScenarioError::UnknownValue { what, .. } if *what == "metric"),
        "{error}"
    );
    assert_at(&error, "unknown_metric", 6, 28);
    assert_mentions(
        &error,
        &[
            "events[0].when.all[0].metric",
            "did you mean `soviet.share.bolsheviks`?",
            "support.private.<party>",
        ],
    );
}

#[test]
fn a_condition_on_a_group_its_metric_is_not_measured_for_names_the_groups_it_is() {
    let error = error_of("metric_not_measured_for_group", &[]);
    assert_at(&error, "metric_not_measured_for_group", 6, 73);
    assert_mentions(
        &error,
        &[
            "events[0].when.all[0].group",
            "unknown group of this metric `soviet.moscow`",
            "valid values: soviet.petrograd",
        ],
    );
}

#[test]
fn foreign_intervention_beyond_its_range_says_what_is_valid() {
    let error = error_of("intervention_too_strong", &[]);
    assert_at(&error, "intervention_too_strong", 7, 75);
    assert_mentions(
        &error,
        &["events[0].actions[0].strength", "soldiers per head", "0.1"],
    );
}

#[test]
fn extends_naming_no_scenario() {
    let error = error_of("extends_missing", &[]);
    match &error {
        ScenarioError::UnknownScenario {
            name,
            suggestion,
            available,
            ..
        } => {
            assert_eq!(name, "bsae");
            assert_eq!(suggestion.as_deref(), Some("base"));
            assert!(available.contains(&"child".to_string()));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_at(&error, "extends_missing", 3, 11);
    assert_mentions(&error, &["`bsae`", "did you mean `base`?"]);
}

#[test]
fn cycle_of_extends_shows_the_chain() {
    let error = error_of("cycle_a", &[]);
    match &error {
        ScenarioError::ExtendsCycle { chain, .. } => {
            assert_eq!(chain, &["cycle_a", "cycle_b", "cycle_a"]);
        }
        other => panic!("unexpected {other:?}"),
    }
    // The `extends` that closes the cycle is in cycle_b.toml.
    assert_at(&error, "cycle_b", 3, 11);
    assert_mentions(
        &error,
        &["scenario.extends", "cycle_a -> cycle_b -> cycle_a"],
    );
}

#[test]
fn toml_syntax_error_has_a_location() {
    let error = error_of("syntax_error", &[]);
    assert!(matches!(error, ScenarioError::Syntax { .. }), "{error}");
    let location = error.location().unwrap();
    assert_eq!(location.line, 5, "{error}");
}

#[test]
fn bad_overrides_name_the_override_and_what_is_valid() {
    let range = social_weight_range();
    let cases: &[(&str, &[&str])] = &[
        (
            "allegiance.social_wieght=0.5",
            &[
                "allegiance.social_wieght=0.5",
                "did you mean `allegiance.social_weight`?",
            ],
        ),
        ("allegiance.social_weight=-1", &[&range]),
        ("allegiance.social_weight=high", &[&range, "`high`"]),
        ("run.sed=1", &["did you mean `run.seed`?"]),
        ("run.people_per_agent=0", &["an integer from 1 to 1000000"]),
        ("run.end=1917-02-30", &["not a day of the calendar"]),
        (
            "run.end=1917-03-01",
            &["end 1917-03-01 is not after start 1917-03-08"],
        ),
    ];
    for (text, needles) in cases {
        let error = error_of("base", &[text]);
        assert!(
            matches!(error, ScenarioError::BadOverride { .. }),
            "{text}: {error}"
        );
        assert!(error.location().is_none());
        assert_mentions(&error, &["command line: --set"]);
        assert_mentions(&error, needles);
    }

    let malformed = "allegiance.social_weight".parse::<Override>().unwrap_err();
    assert!(matches!(malformed, ScenarioError::BadOverride { .. }));
    assert_mentions(&malformed, &["name=value"]);
}

#[test]
fn base_loads_with_old_style_dates() {
    let scenario = load_scenario(&fixture("base"), &dir(), &[]).unwrap();
    assert_eq!(scenario.name, "base");
    assert_eq!(scenario.title, "Test base");
    assert_eq!(scenario.run.seed, 42);
    assert_eq!(scenario.run.people_per_agent, 500);
    let kornilov = &scenario.events[0];
    assert_eq!(kornilov.id, "kornilov_affair");
    // 27 August 1917 Old Style is 9 September on the Gregorian calendar.
    assert_eq!(
        kornilov.trigger,
        Trigger::Date(Date::from_ymd(1917, 9, 9).unwrap())
    );
    let october = &scenario.events[1];
    assert_eq!(
        october.trigger,
        Trigger::Date(Date::from_ymd(1917, 11, 7).unwrap())
    );
    assert!(matches!(
        scenario.events[2].trigger,
        Trigger::Condition { .. }
    ));
    assert_eq!(
        scenario.events[2].actions,
        vec![Action::SetPolicy(Policy::Grain(
            revsim::model::ids::GrainPolicy::Requisition
        ))]
    );
}

#[test]
fn child_merges_with_base() {
    let base = load_scenario(&fixture("base"), &dir(), &[]).unwrap();
    let child = load_scenario(&fixture("child"), &dir(), &[]).unwrap();
    assert_eq!(child.name, "child");
    assert_eq!(child.title, "What if Kornilov had never marched?");
    assert_eq!(child.extends, vec!["base".to_string()]);
    assert_eq!(child.run.end, Date::from_ymd(1919, 12, 31).unwrap());
    assert_eq!(child.run.start, base.run.start);
    assert_eq!(child.run.seed, 42);
    assert_eq!(child.params.get("allegiance.social_weight"), Some(0.8));
    assert_eq!(base.params.get("allegiance.social_weight"), Some(0.4));

    let ids: Vec<&str> = child.events.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["kornilov_affair", "october", "requisition", "split"]);
    let kornilov = &child.events[0];
    assert!(!kornilov.enabled);
    assert_eq!(kornilov.trigger, base.events[0].trigger);
    assert_eq!(kornilov.actions, base.events[0].actions);
    assert!(child.events[1].enabled);
    assert_ne!(child.hash, base.hash);
}

#[test]
fn overrides_apply_in_order() {
    let overrides: Vec<Override> = [
        "allegiance.social_weight=0.1",
        "run.seed=7",
        "run.end=1920-06-17 OS",
        "allegiance.social_weight=0.2",
    ]
    .iter()
    .map(|s| s.parse().unwrap())
    .collect();
    let plain = load_scenario(&fixture("child"), &dir(), &[]).unwrap();
    let scenario = load_scenario(&fixture("child"), &dir(), &overrides).unwrap();
    assert_eq!(scenario.params.get("allegiance.social_weight"), Some(0.2));
    assert_eq!(scenario.run.seed, 7);
    assert_eq!(scenario.run.end, Date::from_ymd(1920, 6, 30).unwrap());
    assert_ne!(scenario.hash, plain.hash);
}

#[test]
fn find_scenario_by_name_or_path() {
    assert_eq!(find_scenario("base", &dir()).unwrap(), fixture("base"));
    let path = fixture("child");
    assert_eq!(find_scenario(path.to_str().unwrap(), &dir()).unwrap(), path);
    let error = find_scenario("bse", &dir()).unwrap_err();
    match &error {
        ScenarioError::UnknownScenario {
            location,
            suggestion,
            ..
        } => {
            assert!(location.is_none());
            assert_eq!(suggestion.as_deref(), Some("base"));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_mentions(&error, &["command line", "`bse`", "did you mean `base`?"]);
}

#[test]
fn list_marks_invalid_fixtures() {
    let list = list_scenarios(&dir());
    let find = |name: &str| {
        list.iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    assert_eq!(find("base").title, "Test base");
    assert_eq!(find("child").title, "What if Kornilov had never marched?");
    assert!(find("misspelled_run_key").title.starts_with("(invalid: "));
    assert!(find("cycle_a").title.contains("cycle"));
    let names: Vec<&str> = list.iter().map(|s| s.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted);
}

/// Loads `text` written to `file_name` in a fresh folder, with the fixtures as the scenarios
/// folder (so `extends = "base"` finds the base).
fn load_text(file_name: &str, text: &[u8]) -> Result<revsim::scenario::Scenario, ScenarioError> {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join(file_name);
    std::fs::write(&path, text).unwrap();
    load_scenario(&path, &dir(), &[])
}

#[test]
fn a_device_symlink_is_refused_before_reading() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("zero.toml");
    std::os::unix::fs::symlink("/dev/zero", &path).unwrap();
    let error = load_scenario(&path, &dir(), &[]).unwrap_err();
    assert!(matches!(error, ScenarioError::Io { .. }), "{error}");
    assert_mentions(&error, &["zero.toml", "not a regular file"]);
}

#[test]
fn a_fifo_is_refused_instead_of_blocking() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("fifo.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .unwrap();
    assert!(made.success());
    let error = load_scenario(&path, &dir(), &[]).unwrap_err();
    assert_mentions(&error, &["fifo.toml", "not a regular file"]);
}

#[test]
fn a_file_over_the_size_cap_is_refused() {
    let big = vec![b'#'; revsim::scenario::MAX_FILE_BYTES as usize + 1];
    let error = load_text("big.toml", &big).unwrap_err();
    assert_mentions(&error, &["big.toml", "over the limit"]);
}

#[test]
fn invalid_utf8_is_located() {
    let error = load_text(
        "latin1.toml",
        b"[scenario]\nname = \"x\"\ntitle = \"caf\xe9\"\n",
    )
    .unwrap_err();
    let location = error.location().expect("located");
    assert_eq!((location.line, location.column), (3, 13), "{error}");
    assert_mentions(&error, &["latin1.toml:3:13", "UTF-8"]);
}

/// `n` events dated in turn, after a `[scenario]` head.
fn many_events(n: usize) -> String {
    let mut text = String::from("[scenario]\nname = \"many\"\n");
    for i in 0..n {
        text.push_str(&format!(
            "\n[[events]]\nid = \"e{i}\"\ndate = \"1917-06-01\"\n\
             actions = [ {{ do = \"convene_congress\", number = 2 }} ]\n"
        ));
    }
    text
}

#[test]
fn many_events_load_in_linear_time_up_to_the_cap() {
    // 16 k events once took 46 s (a location scanned the text from its start each time).
    let started = std::time::Instant::now();
    let scenario = load_text(
        "many.toml",
        many_events(revsim::scenario::MAX_EVENTS).as_bytes(),
    )
    .unwrap();
    assert_eq!(scenario.events.len(), revsim::scenario::MAX_EVENTS);
    let seconds = started.elapsed().as_secs_f64();
    assert!(
        seconds < 20.0,
        "{seconds} s for {} events",
        scenario.events.len()
    );
    let error = load_text(
        "many.toml",
        many_events(revsim::scenario::MAX_EVENTS + 1).as_bytes(),
    )
    .unwrap_err();
    assert_mentions(&error, &["many.toml:", "`events`", "at most 10000"]);
}

#[test]
fn a_child_event_with_a_misspelled_id_and_a_date_is_an_error_naming_the_nearest_id() {
    let error = load_text(
        "misspelt.toml",
        b"[scenario]\nextends = \"base\"\n\n[[events]]\nid = \"kornilov_afair\"\ndate = \"1917-09-01\"\n",
    )
    .unwrap_err();
    assert_eq!(error.location().map(|l| l.line), Some(4), "{error}");
    assert_mentions(
        &error,
        &[
            "events[0].actions",
            "kornilov_afair",
            "did you mean `kornilov_affair`?",
        ],
    );
}

#[test]
fn an_event_dated_before_the_run_starts_is_a_located_error() {
    let error = load_text(
        "early.toml",
        b"[scenario]\nextends = \"base\"\n\n[[events]]\nid = \"early\"\ndate = \"1917-01-01\"\n\
          actions = [ { do = \"convene_congress\", number = 2 } ]\n",
    )
    .unwrap_err();
    assert_eq!(error.location().map(|l| l.line), Some(4), "{error}");
    assert_mentions(
        &error,
        &[
            "events[0].date",
            "`early`",
            "before the run starts",
            "1917-03-08",
        ],
    );
}

#[test]
fn a_file_without_name_is_named_after_its_stem_only_when_valid() {
    let error = load_text("...toml", b"[scenario]\nextends = \"base\"\n").unwrap_err();
    assert_mentions(&error, &["...toml:1:1", "scenario.name", "\"..\""]);
    let named = load_text("ok.toml", b"[scenario]\nextends = \"base\"\n").unwrap();
    assert_eq!(named.name, "ok");
}

#[test]
fn names_over_255_bytes_are_refused_before_running() {
    let long = "n".repeat(revsim::scenario::MAX_NAME_BYTES + 1);
    let text = format!("[scenario]\nname = \"{long}\"\nextends = \"base\"\n");
    let error = load_text("long.toml", text.as_bytes()).unwrap_err();
    assert_mentions(&error, &["long.toml:2:8", "at most 255 bytes"]);
}

#[test]
fn sources_not_in_nnn_l_form_are_located() {
    let error = load_text(
        "sources.toml",
        b"[scenario]\nextends = \"base\"\nsources = [\"000:263\", \"Figes p. 12\"]\n",
    )
    .unwrap_err();
    assert_mentions(
        &error,
        &["sources.toml:3:23", "scenario.sources[1]", "NNN:L"],
    );
}

#[test]
fn duplicate_key_names_the_key() {
    let error = load_text("dup.toml", b"[scenario]\nname = \"x\"\nname = \"y\"\n").unwrap_err();
    assert_mentions(&error, &["dup.toml:3:1", "duplicate key `name`"]);
}
