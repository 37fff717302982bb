//! revsim's Morris and Sobol indices against SALib's on the same sample and outputs
//! (Ishigami's function): every index within 1e-9; and pandas (with pyarrow) reading revsim's
//! Parquet tables as the values of its CSV ones. Ignored by `cargo test` (they need Python with
//! SALib, pandas and pyarrow); `.ci/salib-test` installs them in a virtual environment and runs
//! them with `REVSIM_SALIB_PYTHON` set to that environment's python.

mod common;

use std::f64::consts::PI;
use std::fmt::Write as _;
use std::fs;
use std::process::Command;

use revsim::record::{write_run, Format};
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

/// The python of `.ci/salib-test`'s virtual environment.
fn python() -> String {
    std::env::var("REVSIM_SALIB_PYTHON").expect(
        "REVSIM_SALIB_PYTHON: the python that has SALib, pandas and pyarrow (.ci/salib-test \
         sets it)",
    )
}

/// Runs `script` (in tests/) with `args`; asserts it succeeds and prints what it said.
fn run_python(script: &str, args: &[&std::path::Path]) {
    let output = Command::new(python())
        .arg(common::root().join("tests").join(script))
        .args(args)
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

#[test]
#[ignore = "needs Python with SALib: run .ci/salib-test"]
fn indices_match_salib_on_the_same_sample() {
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

    run_python("salib_compare.py", &[dir.path()]);
}

/// A run's timeseries and a sweep's run, fan and kept tables, written as CSV and as Parquet;
/// pandas reads each pair (`pd.read_csv`, `pd.read_parquet` with pyarrow) as the same values.
#[test]
#[ignore = "needs Python with pandas and pyarrow: run .ci/salib-test"]
fn pandas_reads_the_parquet_tables_as_the_csv_values() {
    let dir = tempfile::TempDir::new().unwrap();
    let scenario = common::baseline(&["run.people_per_agent=50000", "run.end=1918-06-01"]);
    let result = revsim::sim::Simulation::new(&scenario)
        .run(|_, _| {})
        .unwrap();
    let fixtures = common::root().join("tests/fixtures/sweeps");
    let sweep = fs::read_to_string(fixtures.join("tiny.toml"))
        .unwrap()
        .replace(
            "\"base.toml\"",
            &format!("{:?}", fixtures.join("base.toml").display().to_string()),
        );
    let mut pairs = Vec::new();
    for format in [Format::Csv, Format::Parquet] {
        let run = dir.path().join(format!("run-{format}"));
        write_run(&run, &scenario, &result, format).unwrap();
        let file = dir.path().join(format!("{format}.toml"));
        let kept = format!("root_seed = 7\nkeep_timeseries = true\nformat = \"{format}\"");
        fs::write(&file, sweep.replace("root_seed = 7", &kept)).unwrap();
        let out = dir.path().join(format!("sweep-{format}"));
        let output = common::revsim(&[
            "sweep",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--no-plots",
        ]);
        common::assert_status(&output, 0, "revsim sweep");
        pairs.extend(
            [
                run.join(format.file_name("timeseries")),
                out.join(format.file_name("runs")),
                out.join(format.file_name("fans")),
                out.join("runs/5").join(format.file_name("timeseries")),
            ]
            .map(|path| (format, path)),
        );
    }
    let (csv, parquet): (Vec<_>, Vec<_>) = pairs.into_iter().partition(|(f, _)| f.is_csv());
    let mut args = Vec::new();
    for ((_, csv), (_, parquet)) in csv.iter().zip(&parquet) {
        args.extend([csv.as_path(), parquet.as_path()]);
    }
    run_python("pandas_parquet.py", &args);
}
