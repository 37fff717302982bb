//! `revsim serve` driven in a real headless Chromium over the DevTools protocol (on a pipe,
//! `--remote-debugging-pipe`): the page loads, a what-if is picked, an event is switched off,
//! a slider is moved, Run draws the runs week by week and then the charts and the story, Save
//! writes a scenario file, and `revsim run` on that file writes byte-identical
//! `timeseries.csv` and `events.csv` to the page's first run (the server reports their SHA-256). Bounded: every wait gives up after 120 s.
//!
//! Without `/usr/bin/chromium` the test fails, saying how to install it, unless
//! `REVSIM_SKIP_BROWSER=1` is set.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::os::fd::AsRawFd;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const CHROMIUM: &str = "/usr/bin/chromium";
const PATIENCE: Duration = Duration::from_secs(120);

/// A child process killed when dropped.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Chromium with the DevTools protocol on fds 3 (its input) and 4 (its output).
struct Browser {
    _child: Killed,
    to: std::io::PipeWriter,
    from: BufReader<std::io::PipeReader>,
    next_id: u64,
    session: String,
}

impl Browser {
    fn start(profile: &std::path::Path) -> Browser {
        let (their_in, to) = std::io::pipe().expect("a pipe");
        let (from, their_out) = std::io::pipe().expect("a pipe");
        let (fd_in, fd_out) = (their_in.as_raw_fd(), their_out.as_raw_fd());
        let mut command = Command::new(CHROMIUM);
        command
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-pipe",
                "--window-size=1024,900",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        // SAFETY: only dup2, which is async-signal-safe, runs between fork and exec.
        unsafe {
            command.pre_exec(move || {
                // Above 10 first, so that neither lands on the other's target; dup2 then
                // clears close-on-exec on 3 and 4.
                let high_in = libc::fcntl(fd_in, libc::F_DUPFD, 10);
                let high_out = libc::fcntl(fd_out, libc::F_DUPFD, 10);
                if high_in < 0
                    || high_out < 0
                    || libc::dup2(high_in, 3) < 0
                    || libc::dup2(high_out, 4) < 0
                {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = Killed(command.spawn().expect("chromium starts"));
        drop((their_in, their_out));
        let mut browser = Browser {
            _child: child,
            to,
            from: BufReader::new(from),
            next_id: 0,
            session: String::new(),
        };
        let target = browser.call("Target.createTarget", json!({"url": "about:blank"}));
        let target_id = target["targetId"].as_str().expect("a target").to_string();
        let attached = browser.call(
            "Target.attachToTarget",
            json!({"targetId": target_id, "flatten": true}),
        );
        browser.session = attached["sessionId"]
            .as_str()
            .expect("a session")
            .to_string();
        browser
    }

    /// Sends a command (to the page's session once attached) and returns its result.
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({"id": id, "method": method, "params": params});
        if !self.session.is_empty() {
            message["sessionId"] = json!(self.session);
        }
        let mut bytes = serde_json::to_vec(&message).expect("JSON");
        bytes.push(0);
        self.to.write_all(&bytes).expect("chromium reads");
        loop {
            let mut raw = Vec::new();
            let n = self.from.read_until(0, &mut raw).expect("chromium writes");
            assert!(n > 0, "chromium closed the pipe while waiting for {method}");
            raw.pop();
            let reply: Value = serde_json::from_slice(&raw).expect("a JSON message");
            if reply["id"] == json!(id) {
                assert!(reply.get("error").is_none(), "{method} failed: {reply}");
                return reply["result"].clone();
            }
        }
    }

    /// Evaluates JavaScript in the page (promises awaited) and returns its value.
    fn eval(&mut self, expression: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "awaitPromise": true, "returnByValue": true}),
        );
        assert!(
            result.get("exceptionDetails").is_none(),
            "the page threw on {expression}: {result}"
        );
        result["result"]["value"].clone()
    }

    /// Waits until `condition` (JavaScript) is true in the page.
    fn wait_for(&mut self, condition: &str, what: &str) {
        let started = Instant::now();
        loop {
            if self.eval(condition) == json!(true) {
                return;
            }
            let status = self.eval("document.getElementById('status')?.textContent ?? ''");
            assert!(
                started.elapsed() < PATIENCE,
                "{what}: not within {PATIENCE:?} (status: {status})"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

fn sha256_hex(path: &std::path::Path) -> String {
    Sha256::digest(common::read(path))
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn serve_runs_a_what_if_in_the_browser_and_saves_it_reproducibly() {
    if std::env::var("REVSIM_SKIP_BROWSER").is_ok_and(|v| v == "1") {
        eprintln!("REVSIM_SKIP_BROWSER=1: browser checks skipped");
        return;
    }
    assert!(
        std::path::Path::new(CHROMIUM).exists(),
        "{CHROMIUM} not found: run .ci/install-browser (or set REVSIM_SKIP_BROWSER=1)"
    );
    let dir = tempfile::tempdir().expect("a temporary folder");
    let saved = dir.path().join("saved");
    let mut server = Killed(
        Command::new(env!("CARGO_BIN_EXE_revsim"))
            .args(["serve", "--port", "0", "--threads", "2", "--save-to"])
            .arg(&saved)
            .current_dir(common::root())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("revsim serve starts"),
    );
    let mut line = String::new();
    BufReader::new(server.0.stdout.take().expect("piped"))
        .read_line(&mut line)
        .expect("revsim serve says where it listens");
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in {line:?}"))
        .to_string();

    let profile = tempfile::tempdir().expect("a browser profile");
    let mut browser = Browser::start(profile.path());
    browser.call("Page.navigate", json!({"url": url}));
    browser.wait_for("document.body?.dataset.ready === 'yes'", "the page loads");

    // A what-if (a scenario that extends another), one of its dated events switched off, and
    // a slider for a real parameter moved to the middle of its range.
    let picked = browser.eval(
        "(() => { const s = scenarios.find((x) => x.base !== x.name);
          const sel = document.getElementById('scenario'); sel.value = s.name;
          sel.dispatchEvent(new Event('change'));
          const e = s.events.find((x) => x.enabled && x.date);
          const box = document.querySelector(`[data-event=\"${e.id}\"]`); box.checked = false;
          const p = params.find((x) => x.kind === 'real' && !(x.name in s.params));
          document.getElementById('paramsearch').value = p.name;
          document.getElementById('addparam').click();
          const r = document.querySelector(`[data-param=\"${p.name}\"]`);
          r.value = (p.min + p.max) / 2; r.dispatchEvent(new Event('input'));
          document.getElementById('name').value = 'browser_whatif';
          document.getElementById('runs').value = 2;
          return [s.name, e.id, p.name, r.value]; })()",
    );
    eprintln!("picked (scenario, event off, parameter, value): {picked}");
    let story_before = browser.eval("document.getElementById('story').textContent");
    browser.eval("document.getElementById('run').click(); true");
    browser.wait_for(
        "document.getElementById('status').dataset.done === 'yes' || \
         !!document.querySelector('#status .error')",
        "the run finishes",
    );
    let error = browser.eval("document.querySelector('#status .error')?.textContent ?? ''");
    assert_eq!(error, json!(""), "the run failed");
    let charts = browser.eval("document.querySelectorAll('#charts .chart canvas').length");
    assert!(
        charts.as_u64().unwrap_or(0) >= revsim::compare::FAN_METRICS.len() as u64,
        "a chart per fan metric: {charts}"
    );
    // The page drew the runs week by week while they went (it polls every 300 ms; the runs
    // take seconds), before the medians replaced them.
    let live_weeks = browser.eval("Number(document.getElementById('charts').dataset.live ?? 0)");
    assert!(
        live_weeks.as_u64().unwrap_or(0) > 0,
        "weeks drawn live: {live_weeks}"
    );
    let story = browser.eval("document.getElementById('story').textContent");
    assert_ne!(story, story_before, "the story changes");
    assert!(
        story.as_str().unwrap_or("").contains("Who held power"),
        "{story}"
    );
    let toml = browser.eval("document.getElementById('toml').textContent");
    let event_off = picked[1].as_str().expect("an event id");
    assert!(
        toml.as_str()
            .unwrap_or("")
            .contains(&format!("id = \"{event_off}\"\nenabled = false")),
        "the scenario file switches the event off: {toml}"
    );
    let wide = browser
        .eval("document.documentElement.scrollWidth <= document.documentElement.clientWidth");
    assert_eq!(
        wide,
        json!(true),
        "the page fits 1,024 px without sideways scrolling"
    );

    browser.eval("document.getElementById('save').click(); true");
    browser.wait_for(
        "!!document.getElementById('saved').dataset.path",
        "the what-if is saved",
    );
    let path = browser.eval("document.getElementById('saved').dataset.path");
    let path = std::path::PathBuf::from(path.as_str().expect("a path"));
    assert!(
        path.starts_with(&saved),
        "{} is in --save-to",
        path.display()
    );
    let fingerprint = browser.eval(
        "[document.getElementById('fingerprint').dataset.timeseries, \
          document.getElementById('fingerprint').dataset.events]",
    );
    let shot = browser.call("Page.captureScreenshot", json!({"format": "png"}));
    let kept = common::root().join("target").join("report-browser");
    std::fs::create_dir_all(&kept).expect("the screenshot folder");
    let png = base64_decode(shot["data"].as_str().expect("PNG data"));
    std::fs::write(kept.join("serve-1024.png"), png).expect("the screenshot");

    let run = dir.path().join("run");
    let output = common::revsim(&[
        "run",
        path.to_str().expect("a UTF-8 path"),
        "--no-plots",
        "--out",
        run.to_str().expect("a UTF-8 path"),
    ]);
    common::assert_status(&output, 0, "revsim run on the saved what-if");
    assert_eq!(
        fingerprint,
        json!([
            sha256_hex(&run.join("timeseries.csv")),
            sha256_hex(&run.join("events.csv"))
        ]),
        "revsim run on the saved file writes the page's bytes"
    );
}

/// Standard base64, as DevTools sends a screenshot.
fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0);
    for c in text.bytes().filter_map(value) {
        buffer = (buffer << 6) | c;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    out
}
