//! revsim's Morris and Sobol indices against SALib's on the same sample and outputs
//! (Ishigami's function): every index within 1e-9. Ignored by `cargo test` (it needs
//! Python with SALib); `.ci/salib-test` installs SALib in a virtual environment and runs it
//! with `REVSIM_SALIB_PYTHON` set to that environment's python.

mod common;

use std::f64::consts::PI;
use std::fmt::Write as _;
use std::fs;
use std::process::Command;

use revsim::sensitivity::{morris_design, morris_indices, rng, saltelli_design, sobol_indices};

fn ishigami(u: &[f64]) -> f64 {
    let x: Vec<f64> = u.iter().map(|v| -PI + 2.0 * PI * v).collect();
    x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
}

/// Numbers as Rust writes them: the shortest text that reads back exactly.
fn lines(rows: impl Iterator<Item = Vec<f64>>) -> String {
    let mut text = String::new();
    for row in rows {
        let cells: Vec<String> = row.iter().map(|v| format!("{v:?}")).collect();
        let _ = writeln!(text, "{}", cells.join(","));
    }
    text
}

#[test]
#[ignore = "needs Python with SALib: run .ci/salib-test"]
fn indices_match_salib_on_the_same_sample() {
    let python = std::env::var("REVSIM_SALIB_PYTHON")
        .expect("REVSIM_SALIB_PYTHON: the python that has SALib (.ci/salib-test sets it)");
    let dir = tempfile::TempDir::new().unwrap();
    let k = 3;

    let points = saltelli_design(k, 1024, &mut rng("salib-design", 1));
    let y: Vec<f64> = points.iter().map(|u| ishigami(u)).collect();
    let sobol = sobol_indices(&y, k, 10, &mut rng("salib-bootstrap", 1)).unwrap();
    fs::write(
        dir.path().join("sobol_y.csv"),
        lines(y.iter().map(|v| vec![*v])),
    )
    .unwrap();
    fs::write(
        dir.path().join("sobol.csv"),
        lines(
            sobol
                .iter()
                .enumerate()
                .map(|(i, s)| vec![i as f64, s.first.value, s.total.value]),
        ),
    )
    .unwrap();

    let points = morris_design(k, 50, 4, &mut rng("salib-design", 2));
    let y: Vec<f64> = points.iter().map(|u| ishigami(u)).collect();
    let morris = morris_indices(&points, &y, k, 10, &mut rng("salib-bootstrap", 2)).unwrap();
    fs::write(
        dir.path().join("morris_x.csv"),
        lines(points.iter().cloned()),
    )
    .unwrap();
    fs::write(
        dir.path().join("morris_y.csv"),
        lines(y.iter().map(|v| vec![*v])),
    )
    .unwrap();
    fs::write(
        dir.path().join("morris.csv"),
        lines(
            morris
                .iter()
                .enumerate()
                .map(|(i, m)| vec![i as f64, m.mu, m.mu_star.value, m.sigma]),
        ),
    )
    .unwrap();

    let output = Command::new(python)
        .arg(common::root().join("tests/salib_compare.py"))
        .arg(dir.path())
        .output()
        .expect("python starts");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{text}");
    println!("{text}");
}
