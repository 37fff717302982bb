//! Charts from a synthetic run folder: every chart is written as a real PNG and SVG, and a
//! folder without `timeseries.csv` gives a helpful error.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use revsim::plot::{plot_files, plot_run, PlotError};

const PARTIES: [&str; 9] = [
    "bolsheviks",
    "left_srs",
    "srs",
    "mensheviks",
    "kadets",
    "anarchists",
    "nationalists",
    "monarchists",
    "none",
];

const CLASSES: [&str; 4] = [
    "worker_established",
    "peasant_poor",
    "bourgeoisie",
    "nobility",
];

/// The date `days` after 1917-03-01, as YYYY-MM-DD.
fn date_string(days: i64) -> String {
    let (mut year, mut month) = (1917_i64, 3_usize);
    let month_len = |y: i64, m: usize| match m {
        4 | 6 | 9 | 11 => 30,
        2 if y % 4 == 0 => 29,
        2 => 28,
        _ => 31,
    };
    let mut day = 1 + days;
    while day > month_len(year, month) {
        day -= month_len(year, month);
        month += 1;
        if month > 12 {
            month = 1;
            year += 1;
        }
    }
    format!("{year}-{month:02}-{day:02}")
}

/// A synthetic run: weekly steps from March 1917 with a subset of the real metrics.
fn write_run(dir: &Path, steps: usize) {
    let mut csv = String::from("step,date,metric,group,value\n");
    for step in 0..steps {
        let t = step as f64 / steps as f64;
        let date = date_string(step as i64 * 7);
        let mut row = |metric: &str, group: &str, value: f64| {
            writeln!(csv, "{step},{date},{metric},{group},{value}").unwrap();
        };
        // Private support drifts from "none" and the SRs towards the Bolsheviks.
        let raw = [
            0.05 + 0.4 * t,
            0.03 + 0.08 * t,
            0.30 - 0.15 * t,
            0.10 - 0.05 * t,
            0.08 - 0.04 * t,
            0.02,
            0.05,
            0.02,
            0.35 - 0.2 * t,
        ];
        let total: f64 = raw.iter().sum();
        for (party, share) in PARTIES.iter().zip(raw) {
            row(&format!("support.private.{party}"), "all", share / total);
            for (c, class) in CLASSES.iter().enumerate() {
                let tilt =
                    1.0 + 0.3 * (c as f64 - 1.5) * if *party == "bolsheviks" { -1.0 } else { 0.2 };
                row(
                    &format!("support.private.{party}"),
                    &format!("class.{class}"),
                    (share / total * tilt).clamp(0.0, 1.0),
                );
            }
            if ["bolsheviks", "srs", "mensheviks"].contains(party) {
                row(
                    &format!("soviet.share.{party}"),
                    "soviet.petrograd",
                    share / total * 1.5,
                );
                row(&format!("soviet.share.{party}"), "all", share / total * 1.2);
            }
        }
        row("support.public.bolsheviks", "all", 0.03 + 0.3 * t * t);
        row("legitimacy", "all", 0.7 - 0.5 * t);
        row("hardship", "all", 0.3 + 0.4 * t);
        row("active", "all", 0.01 + 0.05 * t);
        for class in CLASSES {
            row("legitimacy", &format!("class.{class}"), 0.6 - 0.4 * t);
            row("active", &format!("class.{class}"), 0.02 * t);
        }
        row("food.security", "all", 0.9 - 0.4 * t);
        row("industry.output", "all", 1.0 - 0.6 * t);
        row("unemployment", "all", 0.05 + 0.2 * t);
        row("army.red.size", "all", 3.0e6 * t);
        row("army.white.size", "all", 0.5e6 * t * (1.0 - t));
        row("deaths.war", "all", 2.0e6 * t);
        row("deaths.famine", "all", 1.0e6 * t * t);
        row("control.provisional", "all", 1.0 - t);
        row("control.soviet", "all", t * 0.8);
        row("control.white", "all", t * 0.2);
        // A metric no chart draws, and one that is not a number to draw.
        row("harvest", "region.volga", 1.0e6);
        if step == 10 {
            row("congress.share.bolsheviks", "congress.2", 0.51);
            row("congress.share.left_srs", "congress.2", 0.15);
            row("congress.share.srs", "congress.2", 0.2);
        }
    }
    fs::write(dir.join("timeseries.csv"), csv).unwrap();
    fs::write(
        dir.join("events.csv"),
        "step,date,id,kind,description,sources\n\
         1,1917-03-08,february_revolution,scheduled,\"Bread riots, then revolution\",Figes 1996\n\
         20,1917-07-19,july_days,triggered,Armed demonstrations,Rabinowitch 1968\n\
         35,1917-11-01,october_revolution,emergent,The Bolsheviks take power,Rabinowitch 1976\n\
         36,1917-11-08,note,info,Not marked,\n",
    )
    .unwrap();
}

#[test]
fn writes_every_chart_as_png_and_svg() {
    let dir = tempfile::tempdir().unwrap();
    write_run(dir.path(), 50);
    let written = plot_run(dir.path()).expect("plotting a synthetic run");
    assert_eq!(written.len(), plot_files().len() * 2);
    for stem in plot_files() {
        let png = dir.path().join("plots").join(format!("{stem}.png"));
        let svg = dir.path().join("plots").join(format!("{stem}.svg"));
        assert!(
            written.contains(&png) && written.contains(&svg),
            "{stem} not reported"
        );

        let bytes = fs::read(&png).unwrap();
        assert!(
            bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
            "{stem}.png is not a PNG"
        );
        assert!(
            bytes.len() > 10_000,
            "{stem}.png is only {} bytes",
            bytes.len()
        );

        let text = fs::read_to_string(&svg).unwrap();
        assert!(text.starts_with("<svg"), "{stem}.svg is not an SVG");
        assert!(
            text.len() > 5_000,
            "{stem}.svg is only {} bytes",
            text.len()
        );
        assert!(text.contains("<text"), "{stem}.svg has no text");
    }
    let allegiance = fs::read_to_string(dir.path().join("plots/allegiance.svg")).unwrap();
    assert!(allegiance.contains("Private party support, all of Russia"));
    assert!(allegiance.contains("Bolsheviks"));
    // Events are labelled by their short titles, not their ids.
    let title = revsim::story::words::event_title("october_revolution");
    assert!(
        allegiance.contains(&revsim::report::escape(&title)),
        "{title}"
    );
    assert!(!allegiance.contains("october_revolution"));
    assert!(
        !allegiance.contains(">note<"),
        "events of other kinds are not marked"
    );
    let soviets = fs::read_to_string(dir.path().join("plots/soviets.svg")).unwrap();
    assert!(soviets.contains("Petrograd Soviet"));
    assert!(
        soviets.contains("not recorded in this run"),
        "Moscow was not recorded"
    );
    // No temporary files are left behind.
    let leftovers: Vec<_> = fs::read_dir(dir.path().join("plots"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn a_run_with_few_metrics_still_plots() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("timeseries.csv"),
        "step,date,metric,group,value\n\
         0,1917-03-01,support.private.bolsheviks,all,0.05\n\
         1,1917-03-08,support.private.bolsheviks,all,0.07\n",
    )
    .unwrap();
    let written = plot_run(dir.path()).unwrap();
    assert_eq!(written.len(), plot_files().len() * 2);
    for path in written {
        assert!(
            fs::metadata(&path).unwrap().len() > 1_000,
            "{}",
            path.display()
        );
    }

    // A header-only file plots placeholders rather than failing.
    let empty = tempfile::tempdir().unwrap();
    fs::write(
        empty.path().join("timeseries.csv"),
        "step,date,metric,group,value\n",
    )
    .unwrap();
    assert!(plot_run(empty.path()).is_ok());
}

#[test]
fn a_folder_without_timeseries_gives_a_helpful_error() {
    let dir = tempfile::tempdir().unwrap();
    let error = plot_run(dir.path()).unwrap_err();
    assert!(matches!(error, PlotError::MissingTimeseries { .. }));
    let message = error.to_string();
    assert!(
        message.contains("no timeseries.csv or timeseries.parquet in"),
        "{message}"
    );
    assert!(
        message.contains(&dir.path().display().to_string()),
        "{message}"
    );
    assert!(message.contains("revsim run"), "{message}");
}

#[test]
fn a_malformed_row_is_reported_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("timeseries.csv"),
        "step,date,metric,group,value\n\
         0,1917-03-01,legitimacy,all,0.5\n\
         1,1917-03-08,legitimacy,all,lots\n",
    )
    .unwrap();
    let message = plot_run(dir.path()).unwrap_err().to_string();
    assert!(message.contains("timeseries.csv, line 3"), "{message}");
    assert!(message.contains("\"lots\""), "{message}");

    fs::write(
        dir.path().join("timeseries.csv"),
        "step,date,metric,group,value\n0,1917-03-01,legitimacy,all\n",
    )
    .unwrap();
    let message = plot_run(dir.path()).unwrap_err().to_string();
    assert!(message.contains("line 2"), "{message}");

    fs::write(
        dir.path().join("timeseries.csv"),
        "step,date,metric,value\n",
    )
    .unwrap();
    let message = plot_run(dir.path()).unwrap_err().to_string();
    assert!(message.contains("\"group\""), "{message}");
}
