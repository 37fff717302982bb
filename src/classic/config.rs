//! A classic run's settings: the model's defaults, then a scenario file, then command-line
//! flags, each overriding the one before.
//!
//! A classic scenario file (see `scenarios/classic/`) is TOML:
//!
//! ```toml
//! [classic]
//! model = "epstein"          # the only classic model so far
//! name = "epstein_mesa"      # names the output folder
//! title = "..."
//! about = """..."""
//! sources = ["..."]
//!
//! [run]
//! seed = 1
//! steps = 200
//!
//! [params]                   # any of: variant, transform, width, height, citizen_density,
//! variant = "mesa"           # cop_density, vision, legitimacy, max_jail, threshold, k
//! ```
//!
//! Unknown keys and wrong types are errors that name the file, line and column.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::epstein::{Params, Transform, Variant};
use super::ClassicError;

/// The flags of `revsim classic epstein` (each overrides the scenario file).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct EpsteinArgs {
    /// A classic scenario file, or the name of one in <scenarios>/classic/ (e.g. epstein_mesa).
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<String>,
    /// Which public implementation to follow: mesa (Mesa 3.3) or netlogo (NetLogo Rebellion).
    #[arg(long)]
    pub variant: Option<Variant>,
    /// t in P = 1 - exp(-k t(C/A)): round (half to even), floor, or raw (no transform).
    /// Default: round for mesa, floor for netlogo.
    #[arg(long)]
    pub transform: Option<Transform>,
    /// Lattice width in cells (default 40).
    #[arg(long)]
    pub width: Option<u32>,
    /// Lattice height in cells (default 40).
    #[arg(long)]
    pub height: Option<u32>,
    /// Steps to run (default 200).
    #[arg(long)]
    pub steps: Option<u32>,
    /// Seed of the run (default 1).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Legitimacy L of the regime, 0-1 (default 0.82).
    #[arg(long)]
    pub legitimacy: Option<f64>,
    /// Share of cells holding a cop (default 0.04).
    #[arg(long)]
    pub cop_density: Option<f64>,
    /// Share of cells holding a citizen (default 0.7).
    #[arg(long)]
    pub citizen_density: Option<f64>,
    /// Radius of vision in cells, of citizens and cops (default 7).
    #[arg(long)]
    pub vision: Option<u32>,
    /// Longest jail term J_max in steps (default 30).
    #[arg(long)]
    pub max_jail: Option<u32>,
    /// Activation threshold T (default 0.1).
    #[arg(long)]
    pub threshold: Option<f64>,
    /// Arrest constant k (default 2.3).
    #[arg(long)]
    pub k: Option<f64>,
    /// Output folder (default: output/classic/<name>/<seed>).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Skip drawing the plot.
    #[arg(long)]
    pub no_plots: bool,
}

/// A fully resolved classic Epstein run.
#[derive(Debug, Clone, PartialEq)]
pub struct EpsteinSetup {
    pub name: String,
    pub title: String,
    /// The scenario file it came from, if any.
    pub file: Option<PathBuf>,
    pub params: Params,
    pub seed: u64,
    pub steps: u32,
}

impl EpsteinSetup {
    /// `output/classic/<name>/<seed>`.
    pub fn default_out(&self) -> PathBuf {
        PathBuf::from("output")
            .join("classic")
            .join(&self.name)
            .join(self.seed.to_string())
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioFile {
    classic: Meta,
    #[serde(default)]
    run: RunSection,
    #[serde(default)]
    params: ParamSection,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Meta {
    model: String,
    name: Option<String>,
    title: Option<String>,
    #[allow(dead_code)] // documentation for the reader of the file
    about: Option<String>,
    #[allow(dead_code)]
    #[serde(default)]
    sources: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RunSection {
    seed: Option<u64>,
    steps: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ParamSection {
    variant: Option<Variant>,
    transform: Option<Transform>,
    width: Option<u32>,
    height: Option<u32>,
    citizen_density: Option<f64>,
    cop_density: Option<f64>,
    vision: Option<u32>,
    legitimacy: Option<f64>,
    max_jail: Option<u32>,
    threshold: Option<f64>,
    k: Option<f64>,
}

/// Finds a classic scenario: the path itself if it is a file (or ends in `.toml`), else
/// `<scenarios_dir>/classic/<name>.toml`.
pub fn find_classic_scenario(name_or_path: &str, scenarios_dir: &Path) -> PathBuf {
    let path = Path::new(name_or_path);
    if path.is_file() || name_or_path.ends_with(".toml") {
        return path.to_path_buf();
    }
    scenarios_dir
        .join("classic")
        .join(format!("{name_or_path}.toml"))
}

fn read_file(path: &Path) -> Result<ScenarioFile, ClassicError> {
    let text = std::fs::read_to_string(path).map_err(|error| ClassicError::File {
        path: path.to_path_buf(),
        message: format!("cannot read the file: {error}"),
    })?;
    let file: ScenarioFile = toml::from_str(&text).map_err(|error| ClassicError::File {
        path: path.to_path_buf(),
        message: error.to_string().trim_end().to_string(),
    })?;
    if file.classic.model != "epstein" {
        return Err(ClassicError::File {
            path: path.to_path_buf(),
            message: format!(
                "[classic] model = \"{}\": the only classic model is \"epstein\"",
                file.classic.model
            ),
        });
    }
    Ok(file)
}

/// Resolves a run: defaults, then the scenario file (if `--scenario`), then the flags.
pub fn resolve_epstein(
    args: &EpsteinArgs,
    scenarios_dir: &Path,
) -> Result<EpsteinSetup, ClassicError> {
    let (file_path, file) = match &args.scenario {
        Some(name) => {
            let path = find_classic_scenario(name, scenarios_dir);
            let file = read_file(&path)?;
            (Some(path), Some(file))
        }
        None => (None, None),
    };
    let section = file.as_ref().map(|f| &f.params);
    let pick = |flag: Option<f64>, from_file: fn(&ParamSection) -> Option<f64>, default: f64| {
        flag.or_else(|| section.and_then(from_file))
            .unwrap_or(default)
    };
    let pick_u32 = |flag: Option<u32>, from_file: fn(&ParamSection) -> Option<u32>, default| {
        flag.or_else(|| section.and_then(from_file))
            .unwrap_or(default)
    };
    let variant = args
        .variant
        .or_else(|| section.and_then(|s| s.variant))
        .unwrap_or(Variant::Mesa);
    let defaults = Params::defaults(variant);
    let params = Params {
        variant,
        transform: args
            .transform
            .or_else(|| section.and_then(|s| s.transform))
            .unwrap_or(defaults.transform),
        width: pick_u32(args.width, |s| s.width, defaults.width),
        height: pick_u32(args.height, |s| s.height, defaults.height),
        citizen_density: pick(
            args.citizen_density,
            |s| s.citizen_density,
            defaults.citizen_density,
        ),
        cop_density: pick(args.cop_density, |s| s.cop_density, defaults.cop_density),
        vision: pick_u32(args.vision, |s| s.vision, defaults.vision),
        legitimacy: pick(args.legitimacy, |s| s.legitimacy, defaults.legitimacy),
        max_jail: pick_u32(args.max_jail, |s| s.max_jail, defaults.max_jail),
        threshold: pick(args.threshold, |s| s.threshold, defaults.threshold),
        k: pick(args.k, |s| s.k, defaults.k),
    };
    params.validate().map_err(|error| match &file_path {
        Some(path) => ClassicError::File {
            path: path.clone(),
            message: format!("{error} (after the command-line flags)"),
        },
        None => ClassicError::Param(error),
    })?;
    let run = file.as_ref().map(|f| &f.run);
    let meta = file.as_ref().map(|f| &f.classic);
    let name = meta
        .and_then(|m| m.name.clone())
        .unwrap_or_else(|| format!("epstein_{}", variant.name()));
    if name.is_empty() || name.contains(['/', '\\']) || name == "." || name == ".." {
        return Err(ClassicError::File {
            path: file_path.unwrap_or_default(),
            message: format!("[classic] name = \"{name}\" must be a plain folder name"),
        });
    }
    let title = meta.and_then(|m| m.title.clone()).unwrap_or_else(|| {
        format!(
            "Epstein (2002) civil violence, Model I ({} variant)",
            variant.name()
        )
    });
    Ok(EpsteinSetup {
        name,
        title,
        file: file_path,
        params,
        seed: args.seed.or(run.and_then(|r| r.seed)).unwrap_or(1),
        steps: args.steps.or(run.and_then(|r| r.steps)).unwrap_or(200),
    })
}
