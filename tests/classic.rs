//! The classic Epstein (2002) model: determinism, the command line, and the model's known
//! behaviour over small ensembles (each test runs in well under a second in release mode).

mod common;

use std::fs;
use std::path::Path;

use common::{revsim, root};
use revsim::classic::{run, History, Params, Transform, Variant};

fn history(params: &Params, seed: u64, steps: u32) -> History {
    run(params, seed, steps, |_, _| {}).expect("valid parameters")
}

fn mean(values: impl IntoIterator<Item = f64>) -> f64 {
    let values: Vec<f64> = values.into_iter().collect();
    values.iter().sum::<f64>() / values.len() as f64
}

/// Mean share active over `seeds` seeds.
fn ensemble_mean(params: &Params, seeds: u64, steps: u32) -> f64 {
    mean((1..=seeds).map(|seed| history(params, seed, steps).mean_active_share()))
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let csv = |name: &str, seed: &str, variant: &str| {
        let out = dir.path().join(name);
        let status = revsim(&[
            "classic",
            "epstein",
            "--variant",
            variant,
            "--seed",
            seed,
            "--steps",
            "60",
            "--no-plots",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(status.status.success(), "{status:?}");
        fs::read(out.join("timeseries.csv")).unwrap()
    };
    for variant in ["mesa", "netlogo"] {
        let a = csv(&format!("{variant}-a"), "7", variant);
        let b = csv(&format!("{variant}-b"), "7", variant);
        let c = csv(&format!("{variant}-c"), "8", variant);
        assert_eq!(a, b, "{variant}: same seed, different bytes");
        assert_ne!(a, c, "{variant}: the seed changes nothing");
        let text = String::from_utf8(a).unwrap();
        assert!(text.starts_with("step,metric,group,value\n0,active,all,0\n"));
        // Six rows per step, steps 0..=60.
        assert_eq!(text.lines().count(), 1 + 6 * 61);
    }
}

#[test]
fn nobody_rebels_when_legitimacy_is_at_least_0_9() {
    // G = H(1 - L) <= 0.1 = T, so G - R·P > T never holds.
    for variant in [Variant::Mesa, Variant::Netlogo] {
        for legitimacy in [0.9, 0.95, 1.0] {
            for seed in 1..=3 {
                let params = Params {
                    legitimacy,
                    ..Params::defaults(variant)
                };
                let h = history(&params, seed, 100);
                assert!(
                    h.counts.iter().all(|c| c.active == 0 && c.jailed == 0),
                    "{variant:?} L {legitimacy} seed {seed}: someone rebelled"
                );
            }
        }
    }
    // ... while just below it some do.
    let params = Params {
        legitimacy: 0.7,
        ..Params::defaults(Variant::Mesa)
    };
    assert!(history(&params, 1, 50).peak_active_share() > 0.0);
}

#[test]
fn more_cops_fewer_actives() {
    for variant in [Variant::Mesa, Variant::Netlogo] {
        let shares: Vec<f64> = [0.02, 0.04, 0.08]
            .iter()
            .map(|&cop_density| {
                let params = Params {
                    cop_density,
                    ..Params::defaults(variant)
                };
                ensemble_mean(&params, 4, 150)
            })
            .collect();
        assert!(
            shares.windows(2).all(|w| w[0] > w[1]),
            "{variant:?}: mean share active by cop density 0.02, 0.04, 0.08: {shares:?}"
        );
        assert!(shares[0] > 2.0 * shares[2], "{variant:?}: {shares:?}");
    }
}

/// Steps after the start-up transient (the first 50) with more than 4 % of citizens active
/// at once: an outburst, against a usual level around 1 %.
fn outburst_steps(h: &History) -> usize {
    h.counts
        .iter()
        .skip(50)
        .filter(|c| c.active_share() > 0.04)
        .count()
}

#[test]
fn outbursts_come_with_the_rounding_transform_not_the_raw_ratio() {
    let rounded = Params::defaults(Variant::Mesa);
    assert_eq!(rounded.transform, Transform::Round);
    let raw = Params {
        transform: Transform::Raw,
        ..rounded.clone()
    };
    for seed in 1..=4 {
        let with_rounding = history(&rounded, seed, 300);
        let with_raw = history(&raw, seed, 300);
        assert!(
            outburst_steps(&with_rounding) > 0,
            "seed {seed}: no outburst with rounding (peak {})",
            with_rounding.peak_active_share()
        );
        assert_eq!(
            outburst_steps(&with_raw),
            0,
            "seed {seed}: an outburst with the raw ratio"
        );
    }
}

#[test]
fn the_variants_differ_where_their_rules_do() {
    // NetLogo places exact counts; Mesa draws each cell.
    let netlogo = history(&Params::defaults(Variant::Netlogo), 3, 1);
    assert_eq!((netlogo.citizens, netlogo.cops), (1120, 64));
    let mesa = history(&Params::defaults(Variant::Mesa), 3, 1);
    assert_ne!((mesa.citizens, mesa.cops), (1120, 64));
    // Rounding down ignites sooner than rounding to the nearest: more actives on average.
    let floor = ensemble_mean(&Params::defaults(Variant::Netlogo), 4, 150);
    let round = ensemble_mean(
        &Params {
            transform: Transform::Round,
            ..Params::defaults(Variant::Netlogo)
        },
        4,
        150,
    );
    assert!(floor > round, "floor {floor} vs round {round}");
}

#[test]
fn writes_csv_manifest_and_plot_and_flags_override_the_scenario_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let output = revsim(&[
        "classic",
        "epstein",
        "--scenario",
        "epstein_netlogo",
        "--legitimacy",
        "0.75",
        "--steps",
        "30",
        "--width",
        "30",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{output:?}");
    for file in [
        "timeseries.csv",
        "manifest.json",
        "plots/epstein.png",
        "plots/epstein.svg",
    ] {
        assert!(out.join(file).is_file(), "no {file}");
    }
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["name"], "epstein_netlogo");
    assert_eq!(manifest["parameters"]["variant"], "netlogo");
    assert_eq!(manifest["parameters"]["transform"], "floor");
    assert_eq!(manifest["parameters"]["legitimacy"], 0.75);
    assert_eq!(manifest["parameters"]["width"], 30);
    assert_eq!(manifest["parameters"]["height"], 40);
    assert_eq!(manifest["steps"], 30);
    assert!(!dir.path().read_dir().unwrap().any(|e| e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .starts_with(".tmp")));
}

#[test]
fn both_shipped_scenario_files_load() {
    for name in ["epstein_mesa", "epstein_netlogo"] {
        let path = root().join(format!("scenarios/classic/{name}.toml"));
        let setup = revsim::classic::resolve_epstein(
            &revsim::classic::EpsteinArgs {
                scenario: Some(path.to_string_lossy().into_owned()),
                ..Default::default()
            },
            &root().join("scenarios"),
        )
        .unwrap();
        assert_eq!(setup.name, name);
        assert_eq!((setup.steps, setup.seed), (200, 1));
        let variant = setup.params.variant;
        assert_eq!(setup.params, Params::defaults(variant));
    }
}

fn assert_invalid(args: &[&str], expected: &[&str]) {
    let output = revsim(args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
    for text in expected {
        assert!(stderr.contains(text), "{args:?}: {stderr}");
    }
}

#[test]
fn bad_input_is_a_clear_error_with_status_2() {
    assert_invalid(
        &["classic", "epstein", "--legitimacy", "1.5"],
        &["legitimacy", "between 0 and 1"],
    );
    assert_invalid(
        &[
            "classic",
            "epstein",
            "--cop-density",
            "0.5",
            "--citizen-density",
            "0.7",
        ],
        &["at most 1"],
    );
    assert_invalid(&["classic", "epstein", "--variant", "repast"], &["repast"]);
    assert_invalid(&["classic", "epstein", "--vision", "0"], &["vision"]);
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    fs::write(
        &bad,
        "[classic]\nmodel = \"epstein\"\n\n[params]\nlegitimacyy = 0.8\n",
    )
    .unwrap();
    assert_invalid(
        &["classic", "epstein", "--scenario", bad.to_str().unwrap()],
        &["bad.toml", "line 5", "legitimacyy"],
    );
    assert_invalid(
        &["classic", "epstein", "--scenario", "no_such_classic"],
        &["no_such_classic", "cannot read"],
    );
    assert!(!Path::new("output/classic/epstein_mesa/1/.tmp").exists());
}
