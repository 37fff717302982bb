//! The report page in a real headless browser (Debian's chromium, installed by
//! `.ci/install-browser`): a comparison's page and a run's page load, show their SVG plots and
//! tables, and carry no error text; the browser logs no console error. The screenshots are
//! kept in `target/report-browser/` for a person to look at.
//!
//! Without `/usr/bin/chromium` these tests fail, saying how to install it, unless
//! `REVSIM_SKIP_BROWSER=1` is set.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::root;
use revsim::compare::{load_candidate, run_comparison, write_comparison};
use revsim::ensemble::unwatched;
use revsim::record::{write_run, Format};
use revsim::report::write_report;
use revsim::scenario::{find_scenario, load_scenario, Override};
use revsim::sim::Simulation;

const CHROMIUM: &str = "/usr/bin/chromium";

/// The browser, or `None` when the tests are told to skip it; panics when it is missing.
fn chromium() -> Option<&'static str> {
    if std::env::var("REVSIM_SKIP_BROWSER").is_ok_and(|v| v == "1") {
        eprintln!("REVSIM_SKIP_BROWSER=1: browser checks skipped");
        return None;
    }
    assert!(
        Path::new(CHROMIUM).exists(),
        "{CHROMIUM} not found: run .ci/install-browser to install Debian's chromium (or set \
         REVSIM_SKIP_BROWSER=1 to skip the browser checks)"
    );
    Some(CHROMIUM)
}

fn overrides(settings: &[(&str, &str)]) -> Vec<Override> {
    settings
        .iter()
        .map(|(name, value)| Override::parse(name, value).unwrap())
        .collect()
}

/// What the browser gave back: standard output and standard error.
struct Browsed {
    stdout: String,
    stderr: String,
}

/// Runs headless chromium on `page` with `action` (`--dump-dom` or `--screenshot=...`).
fn browse(browser: &str, page: &Path, action: &str, profile: &Path) -> Browsed {
    browse_at(browser, page, action, profile, "1600,2400")
}

/// Runs headless chromium on `page` with `action`, in a window of `size` ("width,height").
fn browse_at(browser: &str, page: &Path, action: &str, profile: &Path, size: &str) -> Browsed {
    let url = format!(
        "file://{}",
        page.canonicalize().expect("the page exists").display()
    );
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--window-size={size}"))
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(action)
        .arg(&url)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts");
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let out_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for chromium") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("chromium did not finish within 120 s on {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let browsed = Browsed {
        stdout: out_reader.join().unwrap_or_default(),
        stderr: err_reader.join().unwrap_or_default(),
    };
    assert!(
        status.success(),
        "chromium failed on {url} ({status}):\n{}",
        browsed.stderr
    );
    browsed
}

/// Console errors and failed loads the browser logged.
fn page_errors(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|line| {
            line.contains("CONSOLE")
                || line.contains("Uncaught")
                || line.contains("Failed to load resource")
                || line.contains("ERR_FILE_NOT_FOUND")
        })
        .collect()
}

/// Loads the page in the browser, checks its DOM, and keeps a screenshot as `shot`.
fn check_in_browser(page: &Path, title: &str, min_svgs: usize, shot: &str) {
    let Some(browser) = chromium() else {
        return;
    };
    let profile = tempfile::tempdir().expect("a browser profile folder");
    let dom = browse(browser, page, "--dump-dom", profile.path());
    let errors = page_errors(&dom.stderr);
    assert!(errors.is_empty(), "the browser logged errors: {errors:#?}");
    let html = dom.stdout;
    assert!(
        html.contains("<h1>") && html.contains(title),
        "the page's heading is its question ({title})"
    );
    let svgs = html.matches("<svg").count();
    assert!(
        svgs >= min_svgs,
        "the page shows {svgs} SVG plots, expected at least {min_svgs}"
    );
    assert!(
        html.matches("<path").count() + html.matches("<polyline").count() > min_svgs,
        "the plots have lines"
    );
    for section in ["Key numbers", "What changed", "Timeline", "Sources"] {
        assert!(html.contains(section), "the page has a section {section}");
    }
    for bad in ["NaN", "not recorded", ">inf<", "undefined", "error:"] {
        assert!(!html.contains(bad), "the page shows {bad:?}");
    }
    let kept = root().join("target").join("report-browser");
    std::fs::create_dir_all(&kept).expect("the screenshot folder");
    let png = kept.join(shot);
    let _ = std::fs::remove_file(&png);
    browse(
        browser,
        page,
        &format!("--screenshot={}", png.display()),
        profile.path(),
    );
    let size = std::fs::metadata(&png).map(|m| m.len()).unwrap_or(0);
    assert!(
        size > 20_000,
        "the screenshot {} is empty ({size} bytes)",
        png.display()
    );
    eprintln!("screenshot: {}", png.display());
}

#[test]
fn a_comparison_report_loads_and_shows_its_plots() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let scenarios = root().join("scenarios");
    let settings = overrides(&[("run.people_per_agent", "20000"), ("run.end", "1918-03-31")]);
    let candidates: Vec<_> = ["baseline_1917", "no_kornilov"]
        .iter()
        .map(|name| load_candidate(name, &scenarios, &settings).expect("the scenarios load"))
        .collect();
    let title = candidates[1].scenario.title.clone();
    let comparison =
        run_comparison(candidates, 2, 2, &mut |_, _| {}, &unwatched).expect("the comparison runs");
    write_comparison(dir.path(), &comparison, true).expect("the comparison is written");
    let page = write_report(dir.path(), &scenarios).expect("the report is written");
    let html = std::fs::read_to_string(&page).expect("the report is readable");
    assert!(!html.contains("<script"), "the page needs no scripts");
    assert!(!html.contains("src=\""), "the page is self-contained");
    check_in_browser(
        &page,
        &title,
        revsim::compare::FAN_METRICS.len(),
        "comparison.png",
    );
}

#[test]
fn a_run_report_loads_and_shows_its_plots() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let run_dir: PathBuf = dir.path().join("run");
    let scenarios = root().join("scenarios");
    let path = find_scenario("no_kornilov", &scenarios).expect("no_kornilov exists");
    let scenario = load_scenario(
        &path,
        &scenarios,
        &overrides(&[("run.people_per_agent", "20000"), ("run.end", "1918-01-31")]),
    )
    .expect("no_kornilov loads");
    let result = Simulation::new(&scenario)
        .run(|_, _| {})
        .expect("a finite run");
    write_run(&run_dir, &scenario, &result, Format::Csv).expect("the run is written");
    let page = write_report(&run_dir, &scenarios).expect("the report is written");
    let html = std::fs::read_to_string(&page).expect("the report is readable");
    assert!(
        html.contains("kornilov_march"),
        "the page says what changed"
    );
    check_in_browser(
        &page,
        &scenario.title,
        revsim::plot::plot_files().len(),
        "run.png",
    );
}

#[test]
fn report_rejects_a_folder_that_is_neither() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let error = write_report(dir.path(), &root().join("scenarios")).unwrap_err();
    assert!(error.is_invalid_input());
    assert!(error.to_string().contains("neither a run"), "{error}");
}

/// The width the page needs in a window `width` pixels wide, and the width it has, as
/// measured by the browser: a copy of the page with a probe script that writes
/// `scrollWidth/clientWidth` and the elements reaching past the window into the DOM.
fn page_width(browser: &str, page: &Path, width: u32) -> (u32, u32, String) {
    let html = std::fs::read_to_string(page).expect("the page");
    let probe = format!(
        "<script>let wide=[];for(const e of document.querySelectorAll('body *')){{const r=\
         e.getBoundingClientRect();if(r.right>{width})wide.push(e.tagName+'.'+e.className);}}\
         document.body.setAttribute('data-probe',document.documentElement.scrollWidth+'/'+\
         document.documentElement.clientWidth+'/'+wide.slice(0,5).join(' '));</script></body>"
    );
    let probed = page.with_file_name("probe.html");
    std::fs::write(&probed, html.replacen("</body>", &probe, 1)).expect("the probe page");
    let profile = tempfile::tempdir().expect("a browser profile folder");
    let dom = browse_at(
        browser,
        &probed,
        "--dump-dom",
        profile.path(),
        &format!("{width},768"),
    );
    let start = dom.stdout.find("data-probe=\"").expect("the probe ran") + 12;
    let value = &dom.stdout[start..];
    let value = &value[..value.find('"').expect("a closed attribute")];
    let mut parts = value.splitn(3, '/');
    let mut number = || -> u32 {
        parts
            .next()
            .and_then(|p| p.parse().ok())
            .expect("a width in pixels")
    };
    let (scroll, client) = (number(), number());
    (scroll, client, parts.next().unwrap_or_default().to_string())
}

/// The page of `compare baseline_1917 no_kornilov` fits a 1,024 px window without sideways
/// scrolling, tells who held power (as a split when the runs split), and sets history beside
/// the outcomes that have a target. The screenshot at 1,024 px is kept beside the others.
#[test]
fn a_comparison_report_fits_a_projector_and_tells_its_story() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let scenarios = root().join("scenarios");
    let settings = overrides(&[("run.people_per_agent", "20000"), ("run.end", "1918-03-31")]);
    let candidates: Vec<_> = ["baseline_1917", "no_kornilov"]
        .iter()
        .map(|name| load_candidate(name, &scenarios, &settings).expect("the scenarios load"))
        .collect();
    let comparison =
        run_comparison(candidates, 4, 2, &mut |_, _| {}, &unwatched).expect("the comparison runs");
    for ensemble in &comparison.ensembles {
        // A split's charts draw each world's median: one fan per world and metric.
        let split = ensemble.worlds.len() > 1;
        assert_eq!(
            ensemble.world_fans.len(),
            if split { ensemble.worlds.len() } else { 0 }
        );
        // Each world's fan of a metric lies on the ensemble's dates for it (a metric measured
        // once the soviets exist starts later in a world where the Tsar fell later).
        for fans in &ensemble.world_fans {
            assert_eq!(fans.len(), revsim::compare::FAN_METRICS.len());
            for (world_fan, fan) in fans.iter().zip(&ensemble.fans) {
                assert!(world_fan.dates.iter().all(|d| fan.dates.contains(d)));
            }
        }
    }
    write_comparison(dir.path(), &comparison, true).expect("the comparison is written");
    let page = write_report(dir.path(), &scenarios).expect("the report is written");
    let html = std::fs::read_to_string(&page).expect("the report is readable");
    let file = revsim::compare::CompareFile::read(dir.path()).expect("compare.json");
    for entry in &file.scenarios {
        let words = if entry.worlds.len() > 1 {
            format!(
                "The runs split into {} different histories",
                entry.worlds.len()
            )
        } else {
            format!("In all {} runs", file.replicates)
        };
        assert!(
            html.contains(&words),
            "the page says {words:?} for {}",
            entry.name
        );
    }
    let with_history = file
        .outcomes
        .iter()
        .filter(|row| row.history.is_some())
        .filter(|row| row.unit == "date" || row.stats.iter().any(|s| s.reached > 0))
        .count();
    assert!(
        with_history > 0,
        "some outcome with a target is reached by March 1918"
    );
    assert_eq!(
        html.matches("<span class=\"history\">History says").count(),
        with_history,
        "each outcome shown that has a target (reached, or a date) says what history says"
    );
    assert!(html.contains("id=\"glossary-sovnarkom\"") && html.contains("href=\"#glossary\""));

    let Some(browser) = chromium() else {
        return;
    };
    let (scroll, client, wide) = page_width(browser, &page, 1024);
    assert!(
        scroll <= client,
        "the page needs {scroll} px in a 1,024 px window ({client} px): no sideways \
         scrolling on a projector; too wide: {wide}"
    );
    let kept = root().join("target").join("report-browser");
    std::fs::create_dir_all(&kept).expect("the screenshot folder");
    let png = kept.join("comparison-1024.png");
    let profile = tempfile::tempdir().expect("a browser profile folder");
    browse_at(
        browser,
        &page,
        &format!("--screenshot={}", png.display()),
        profile.path(),
        "1024,2200",
    );
    assert!(std::fs::metadata(&png).map(|m| m.len()).unwrap_or(0) > 20_000);
}
