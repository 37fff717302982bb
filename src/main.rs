//! The `revsim` command line: parses arguments, calls the library, prints.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use revsim::fsutil::{replace_folder, FolderLock};
use revsim::model::params::registry;
use revsim::plot::plot_run;
use revsim::record::{write_run_on, Format, RUN_FOLDER};
use revsim::scenario::{
    find_scenario, json_schema, list_scenarios, load_scenario, Override, ScenarioError,
};
use revsim::sim::Simulation;
use revsim::systems::PERCENT;

#[derive(Parser)]
#[command(
    name = "revsim",
    version,
    about = "Agent-based simulator of the Russian Revolution and Civil War (1917-1922)"
)]
struct Cli {
    #[command(flatten)]
    common: Common,
    #[command(subcommand)]
    command: Command,
}

/// The options every command takes.
#[derive(Args)]
struct Common {
    /// Folder of named scenarios (default: ./scenarios, else the one shipped with revsim).
    #[arg(long, global = true, value_name = "DIR")]
    scenarios: Option<PathBuf>,
    /// Show a progress bar even when standard error is not a terminal.
    #[arg(long, global = true)]
    progress: bool,
    /// Memory, in MB, that the runs going at once may need together; estimated before a run
    /// as 8 MB + 160 bytes per agent + 32 KB per week, and refused above this.
    #[arg(long, global = true, value_name = "MB", default_value_t = revsim::sim::DEFAULT_MAX_MEMORY_MB)]
    max_memory: u64,
}

/// `--set NAME=VALUE`, repeatable.
#[derive(Args)]
struct SetArgs {
    /// Override a parameter or run setting, e.g. --set allegiance.social_weight=0.5 (in
    /// every scenario the command runs).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    set: Vec<String>,
}

/// `--set` and the run settings that have flags of their own.
#[derive(Args)]
struct RunSettings {
    #[command(flatten)]
    set: SetArgs,
    /// People each agent stands for (overrides run.people_per_agent; faster when larger).
    #[arg(long, value_name = "N")]
    people_per_agent: Option<u32>,
    /// Last date to simulate, YYYY-MM-DD or "YYYY-MM-DD OS" (overrides run.end).
    #[arg(long, value_name = "DATE")]
    end: Option<String>,
}

/// `--threads N`.
#[derive(Args)]
struct Threads {
    /// Runs at a time, each single-threaded (default: all cores). The output does not
    /// depend on it.
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
}

/// `--out DIR`.
#[derive(Args)]
struct Out {
    /// Output folder (default: a folder under output/, see the command's help).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

/// `--no-plots`.
#[derive(Args)]
struct NoPlots {
    /// Skip drawing the plots.
    #[arg(long)]
    no_plots: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Run a scenario and write timeseries.csv, events.csv, manifest.json and plots (default
    /// folder: output/<scenario>/<seed>).
    Run(RunCommand),
    /// List the scenarios and every parameter with its default, range, doc and sources; or
    /// only one of them, the events of a scenario, or the metrics a run writes.
    List {
        /// What to list (default: scenarios and parameters).
        what: Option<Listing>,
        /// For `params`: only those whose name contains this (e.g. `revolt`); for `events`:
        /// the scenario (default: baseline_1917).
        filter: Option<String>,
    },
    /// Print the JSON Schema of the scenario file format.
    Schema,
    /// Run a scenario as an ensemble of seeds and compare it with the historical targets
    /// (default folder: output/validate/<scenario>).
    Validate(ValidateCommand),
    /// Redraw the plots of a run (or of a sweep) from its files (CSV or Parquet).
    Plot {
        /// A run's output folder, or a sweep's.
        dir: PathBuf,
    },
    /// Run scenarios as seeded ensembles and compare their outcomes (tables and overlaid
    /// plots; default folder: output/compare/<first>_vs_<second>...).
    Compare(CompareCommand),
    /// Tell in plain words what happened in a run or a comparison: who held power and when,
    /// what happened, how a what-if differs, and what history says beside the numbers.
    Story {
        /// A run's output folder (`revsim run`) or a comparison's (`revsim compare`).
        dir: PathBuf,
        /// Wrap lines at this many characters.
        #[arg(long, default_value_t = 88, value_name = "N")]
        width: usize,
    },
    /// A local web app for a class: pick a scenario, change events and parameters, run it
    /// beside the scenario it extends, read the story, save the what-if (127.0.0.1 only).
    Serve(ServeCommand),
    /// Write DIR/report.html: one self-contained page for a run or a comparison.
    Report {
        /// A run's output folder (`revsim run`) or a comparison's (`revsim compare`).
        dir: PathBuf,
    },
    /// Run a parameter sweep: seeded runs of a scenario over a design of parameter values.
    #[command(long_about = SWEEP_HELP)]
    Sweep(SweepCommand),
    /// Merge the folders of a sharded sweep into one, identical to the sweep run unsharded.
    Merge {
        /// The shards' output folders (every shard of one sweep, in any order).
        #[arg(required = true, value_name = "DIR")]
        dirs: Vec<PathBuf>,
        /// The merged folder (new or empty).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        #[command(flatten)]
        plots: NoPlots,
    },
    /// Sensitivity indices of every summary of a finished Morris or Sobol sweep: Morris' mu,
    /// mu* and sigma, or Sobol first- and total-order indices, with bootstrap intervals
    /// (writes DIR/sensitivity.csv).
    Sensitivity {
        /// The sweep's output folder (merged, if it was sharded).
        dir: PathBuf,
        /// Bootstrap resamples for the intervals.
        #[arg(long, default_value_t = 1000, value_name = "N")]
        bootstrap: usize,
    },
    /// ABC rejection over a finished sweep that measured historical targets (`targets` in
    /// [sweep]): the accepted parameter sets (accepted.csv), their spread (posterior.csv) and
    /// the targets they hit and miss (calibration.csv).
    Calibrate {
        /// The sweep's output folder (merged, if it was sharded).
        dir: PathBuf,
        /// Accept this fraction of the points closest to the targets instead of those within
        /// every target's band.
        #[arg(long, value_name = "FRACTION")]
        best: Option<f64>,
    },
    /// Run a classic model that revsim's rules come from (e.g. `classic epstein`).
    Classic {
        #[command(subcommand)]
        model: ClassicModel,
    },
    /// Measure speed (agent-updates/s) and peak memory at scale, beside their targets.
    Bench(BenchCommand),
}

#[derive(Args)]
struct RunCommand {
    /// A scenario file, or the name of one in the scenarios folder (e.g. baseline_1917).
    scenario: String,
    /// Seed of the run (overrides the scenario's run.seed).
    #[arg(long)]
    seed: Option<u64>,
    #[command(flatten)]
    settings: RunSettings,
    #[command(flatten)]
    out: Out,
    #[command(flatten)]
    plots: NoPlots,
    /// Replace the --out folder even if it holds something other than a run.
    #[arg(long)]
    force: bool,
    /// Threads the run's rules use (default: all cores). The output does not depend on it.
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// How to write the timeseries: csv (timeseries.csv) or parquet (timeseries.parquet:
    /// typed columns, compressed; pandas, R's arrow and DuckDB read it).
    #[arg(long, value_name = "FORMAT", default_value_t = Format::Csv)]
    format: Format,
}

#[derive(Args)]
struct ValidateCommand {
    /// The scenario to validate.
    #[arg(long, default_value = "baseline_1917")]
    scenario: String,
    /// Seeds in the ensemble: the scenario's seed, then seed + 1, seed + 2, ...
    #[arg(long, default_value_t = 20, value_parser = parse_replicates)]
    replicates: usize,
    #[command(flatten)]
    threads: Threads,
    #[command(flatten)]
    set: SetArgs,
    #[command(flatten)]
    out: Out,
}

#[derive(Args)]
struct CompareCommand {
    /// Scenarios to compare (files or names in the scenarios folder); differences are
    /// taken from the first, e.g. `compare baseline_1917 no_kornilov`.
    #[arg(required = true, value_name = "SCENARIO")]
    names: Vec<String>,
    /// Seeds per scenario: each scenario's seed, then seed + 1, seed + 2, ... [default: 10,
    /// or the classroom preset's with --quick]
    #[arg(long, value_parser = parse_replicates)]
    replicates: Option<usize>,
    /// The classroom preset, the default for a lesson: a coarse scale and a few runs (see
    /// `revsim compare --help`); --people-per-agent and --replicates still win.
    #[arg(long, long_help = quick_help())]
    quick: bool,
    #[command(flatten)]
    out: Out,
    #[command(flatten)]
    threads: Threads,
    #[command(flatten)]
    settings: RunSettings,
}

/// `--quick`'s long help, from the preset itself.
fn quick_help() -> String {
    let preset = revsim::compare::CLASSROOM;
    format!(
        "The classroom preset, the default for a lesson: {} people per agent and {} runs per \
         scenario, so two scenarios answer in well under a minute on a laptop; \
         --people-per-agent and --replicates still win",
        preset.people_per_agent, preset.replicates
    )
}

#[derive(Args)]
struct ServeCommand {
    /// The port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 8017)]
    port: u16,
    /// Where "Save" writes what-if files (default: the scenarios folder, so that `revsim run
    /// <name>` finds them).
    #[arg(long, value_name = "DIR")]
    save_to: Option<PathBuf>,
    #[command(flatten)]
    threads: Threads,
}

#[derive(Args)]
struct SweepCommand {
    /// The sweep file (TOML), e.g. scenarios/sweeps/requisition_vs_repression.toml.
    sweep: PathBuf,
    #[command(flatten)]
    out: Out,
    #[command(flatten)]
    threads: Threads,
    /// Run only shard I of N: the runs whose index modulo N is I (one Slurm array task).
    #[arg(long, value_name = "I/N")]
    shard: Option<revsim::sweep::Shard>,
    /// Continue the interrupted sweep in the output folder, skipping the runs it has.
    #[arg(long)]
    resume: bool,
    #[command(flatten)]
    plots: NoPlots,
    /// Check the sweep file and print the design (points, runs, seeds), without running.
    #[arg(long)]
    dry_run: bool,
}

#[derive(Args)]
struct BenchCommand {
    /// Only these cases (repeatable).
    #[arg(long, value_name = "CASE", value_parser = clap::builder::PossibleValuesParser::new(revsim::bench::CASES))]
    only: Vec<String>,
    /// Fewer steps and runs: checks the harness, measures nothing.
    #[arg(long)]
    quick: bool,
    /// Mesa's agent-updates/s at 40 x 40 on this machine (benches/mesa_compare.py prints
    /// it), for the speed ratio.
    #[arg(long, value_name = "RATE")]
    mesa_rate: Option<f64>,
    /// Print the results as JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Run one case in this process and print its result as JSON (used by bench itself).
    #[arg(long, hide = true)]
    case: Option<String>,
    /// Threads of each baseline run, and the sweep's runs at a time (default: all cores);
    /// the classic cases and each of the sweep's runs use one.
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Run every case N times; the table gives the fastest.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    repeats: u32,
    /// Another revsim binary (an earlier build, say) to run on the same cases, turn and turn
    /// about with this one, for the ratio of their times (the median over the turns).
    #[arg(long, value_name = "BIN")]
    against: Option<PathBuf>,
}

#[derive(Subcommand)]
enum ClassicModel {
    /// Epstein (2002) civil violence, Model I, as Mesa or NetLogo runs it: writes
    /// timeseries.csv (step,metric,group,value), manifest.json and a plot.
    Epstein(revsim::classic::EpsteinArgs),
}

impl Common {
    /// The scenarios folder: `--scenarios`, else ./scenarios, else the one shipped with revsim.
    fn scenarios_dir(&self) -> PathBuf {
        if let Some(dir) = &self.scenarios {
            return dir.clone();
        }
        let local = PathBuf::from("scenarios");
        if local.is_dir() {
            local
        } else {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
        }
    }

    /// A progress bar of `total` steps, `counts` saying what they are (indicatif's template,
    /// e.g. `week {pos}/{len}`); hidden unless standard error is a terminal or `--progress`.
    fn progress_bar(&self, total: u64, counts: &str) -> ProgressBar {
        if !self.progress && !std::io::stderr().is_terminal() {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::new(total);
        bar.set_style(
            ProgressStyle::with_template(&format!(
                "{{prefix}} [{{bar:40}}] {counts} {{msg}} ({{elapsed}}, eta {{eta}})"
            ))
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar
    }
}

impl SetArgs {
    fn overrides(&self) -> Result<Vec<Override>, ScenarioError> {
        self.set.iter().map(|text| text.parse()).collect()
    }
}

impl RunSettings {
    /// The overrides: `--set` first, then the dedicated flags (and `seed`, for `run`), which
    /// win.
    fn overrides(&self, seed: Option<u64>) -> Result<Vec<Override>, ScenarioError> {
        let mut overrides = self.set.overrides()?;
        overrides.extend(seed.map(Override::Seed));
        if let Some(people) = self.people_per_agent {
            overrides.push(Override::people_per_agent(people)?);
        }
        if let Some(end) = &self.end {
            overrides.push(Override::parse("run.end", end)?);
        }
        Ok(overrides)
    }
}

impl Threads {
    /// `--threads`, else every core.
    fn count(&self) -> usize {
        self.threads.unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        })
    }
}

impl Out {
    /// `--out`, else `default()`.
    fn or_else(&self, default: impl FnOnce() -> PathBuf) -> PathBuf {
        self.out.clone().unwrap_or_else(default)
    }
}

/// Says where the plots went.
fn plots_written(plots: &[PathBuf], dir: &Path) {
    eprintln!(
        "revsim: {} plots in {}",
        plots.len(),
        dir.join("plots").display()
    );
}

/// `revsim run`.
fn run(args: RunCommand, common: &Common) -> anyhow::Result<()> {
    let scenarios = common.scenarios_dir();
    let path = find_scenario(&args.scenario, &scenarios)?;
    let scenario = load_scenario(&path, &scenarios, &args.settings.overrides(args.seed)?)?;
    let out = args.out.or_else(|| {
        PathBuf::from("output")
            .join(&scenario.name)
            .join(scenario.run.seed.to_string())
    });
    revsim::sim::check_memory(&scenario, 1, common.max_memory)?;
    let threads = Threads {
        threads: args.threads,
    }
    .count();
    let lock = FolderLock::acquire(&out)?;
    let plots = replace_folder(&lock, &RUN_FOLDER, args.force, |dir| {
        let simulation = Simulation::with_threads(&scenario, threads);
        eprintln!(
            "revsim: {} ({}), seed {}, {} agents x {} weeks",
            scenario.name,
            scenario.title,
            scenario.run.seed,
            simulation.agents(),
            simulation.steps()
        );
        let bar = common.progress_bar(u64::from(simulation.steps()), "week {pos}/{len}");
        bar.set_prefix(scenario.name.clone());
        let result = simulation.run(|done, _| bar.set_position(u64::from(done)))?;
        bar.finish_and_clear();
        let writing = write_run_on(threads, dir, &scenario, &result, args.format)?;
        eprintln!(
            "revsim: {:.2} s, {:.2e} agent-updates/s, of which measuring {:.3} s ({:.1} %); \
             writing the files {:.3} s; wrote {}",
            result.wall_seconds,
            result.agent_updates_per_second(),
            result.measuring_seconds,
            PERCENT * result.measuring_share(),
            writing,
            out.display()
        );
        if args.plots.no_plots {
            return Ok(Vec::new());
        }
        plot_run(dir).with_context(|| format!("drawing the plots of {}", out.display()))
    })?;
    if !args.plots.no_plots {
        plots_written(&plots, &out);
    }
    Ok(())
}

/// `revsim validate`.
fn validate(args: ValidateCommand, common: &Common) -> anyhow::Result<()> {
    let scenarios = common.scenarios_dir();
    let scenario = load_scenario(
        &find_scenario(&args.scenario, &scenarios)?,
        &scenarios,
        &args.set.overrides()?,
    )?;
    let (replicates, threads) = (args.replicates, args.threads.count());
    revsim::sim::check_memory(&scenario, threads.min(replicates), common.max_memory)?;
    let out = args.out.or_else(|| {
        PathBuf::from("output")
            .join("validate")
            .join(&scenario.name)
    });
    let targets = revsim::validate::all_targets();
    eprintln!(
        "revsim: validating {} over {replicates} seeds ({}..={}) on {threads} threads",
        scenario.name,
        scenario.run.seed,
        revsim::ensemble::replicate_seed(scenario.run.seed, replicates.saturating_sub(1))
    );
    let bar = common.progress_bar(replicates as u64, "{pos}/{len} runs");
    bar.set_prefix("validate");
    let ensemble =
        revsim::validate::run_ensemble(&scenario, &targets, replicates, threads, &mut |done| {
            bar.set_position(done as u64)
        })?;
    bar.finish_and_clear();
    let fits = revsim::validate::summarise(&targets, &ensemble);
    print!("{}", revsim::validate::table(&targets, &fits));
    let written = revsim::validate::write_report(&out, &targets, &fits)?;
    eprintln!(
        "revsim: wrote {}",
        written
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(())
}

/// What `revsim list` prints.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Listing {
    Scenarios,
    Params,
    /// A scenario's events: id, when, what each does (the ids a what-if names).
    Events,
    /// Every metric of `timeseries.csv`, from the metric registry.
    Metrics,
}

/// `revsim list params FILTER` matched nothing (invalid input: exit status 2).
#[derive(Debug)]
struct NoParameter(String);

impl std::fmt::Display for NoParameter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "no parameter's name contains {:?}: `revsim list params` lists them all",
            self.0
        )
    }
}

impl std::error::Error for NoParameter {}

/// The scenario `revsim list events` lists when none is named.
const DEFAULT_SCENARIO: &str = "baseline_1917";

fn list(scenarios: &Path, what: Option<Listing>, filter: Option<&str>) -> anyhow::Result<()> {
    if what == Some(Listing::Metrics) {
        print!("{}", revsim::metrics::listing());
        return Ok(());
    }
    if what == Some(Listing::Events) {
        let name = filter.unwrap_or(DEFAULT_SCENARIO);
        let scenario = load_scenario(&find_scenario(name, scenarios)?, scenarios, &[])?;
        print!("{}", revsim::story::event_listing(&scenario));
        return Ok(());
    }
    if what != Some(Listing::Params) {
        println!("Scenarios in {}:", scenarios.display());
        for summary in list_scenarios(scenarios) {
            println!("  {:<28} {}", summary.name, summary.title);
        }
    }
    if what == Some(Listing::Scenarios) {
        return Ok(());
    }
    let specs: Vec<_> = registry()
        .iter()
        .filter(|spec| filter.is_none_or(|f| spec.name.contains(f)))
        .collect();
    if specs.is_empty() {
        return Err(NoParameter(filter.unwrap_or_default().to_string()).into());
    }
    println!("\nParameters (name, default, valid values, what it does, sources):");
    for spec in specs {
        let default = match spec.kind {
            revsim::model::params::ParamKind::Flag => (spec.default >= 0.5).to_string(),
            _ => spec.default.to_string(),
        };
        println!(
            "  {:<44} {:<8} {:<32} {} [{}]",
            spec.name,
            default,
            spec.range_text(),
            spec.doc,
            spec.sources.join("][")
        );
    }
    Ok(())
}

/// `revsim classic epstein`.
fn classic_epstein(args: revsim::classic::EpsteinArgs, common: &Common) -> anyhow::Result<()> {
    let setup = revsim::classic::resolve_epstein(&args, &common.scenarios_dir())?;
    let p = &setup.params;
    eprintln!(
        "revsim: {} ({} variant, t = {}), {} x {}, seed {}, {} steps",
        setup.name,
        p.variant.name(),
        p.transform.name(),
        p.width,
        p.height,
        setup.seed,
        setup.steps
    );
    let bar = common.progress_bar(u64::from(setup.steps), "week {pos}/{len}");
    bar.set_prefix(setup.name.clone());
    let report = revsim::classic::run_epstein(&setup, args.out, !args.no_plots, |done, _| {
        bar.set_position(u64::from(done))
    })?;
    bar.finish_and_clear();
    let history = &report.history;
    eprintln!(
        "revsim: {} citizens, {} cops; share active: mean {:.4}, peak {:.4}; \
         {:.2} s, {:.2e} agent-updates/s; wrote {}",
        history.citizens,
        history.cops,
        history.mean_active_share(),
        history.peak_active_share(),
        report.wall_seconds,
        report.agent_updates_per_second(),
        report.out.display()
    );
    Ok(())
}

const SWEEP_HELP: &str = "\
Run a parameter sweep: seeded runs of a base scenario over a design of parameter values
(grid, Latin hypercube, random, a file of points, Morris or Sobol; docs/experiments.md), several
replicates per point, on all cores.

Writes into the output folder: manifest.json (the design, its hash, every point), runs.csv (one
row per run, in run order: run, point, replicate, seed, the varied values, the summaries),
fans.csv (the [[fan]] metrics of every run), runs/<run>/ (with keep_timeseries) and plots/;
with format = \"parquet\" in [sweep], runs.parquet, fans.parquet and the kept timeseries.parquet.
The files are identical for any --threads and, after `revsim merge`, any --shard split.

Run r is replicate r / P of point r % P (P points). Its seed depends only on the root seed and
r: seed = first 8 bytes, read as a little-endian u64, of SHA-256(root_seed as u64 little-endian
|| r as u64 little-endian), keeping the low 53 bits (exact as a double, so R and pandas read it
without loss); with common_random_numbers = true, r / P (the replicate) stands for r, so every
point's replicate k has the same seed. To re-run one run alone, take its seed and
values from runs.csv: revsim run <scenario> --seed <seed> --set <[set] values> --set
<name>=<value>... (manifest.json's `rerun` spells it out).

--resume continues a sweep that was stopped (even by kill -9): finished runs are kept, a row
cut short is dropped, the rest is run.

The output folder is output/sweeps/<name> unless --out says otherwise, or
output/sweeps/<name>/shard-<I>-of-<N> with --shard.";

/// `revsim sweep --dry-run`: what the sweep would run.
fn print_design(sweep: &revsim::sweep::Sweep, options: &revsim::sweep::SweepOptions) {
    let runs: Vec<u64> = sweep.shard_runs(options.shard).collect();
    println!("sweep {}: {}", sweep.name, sweep.title);
    println!(
        "  base scenario   {} ({})",
        sweep.scenario,
        sweep.scenario_path.display()
    );
    println!("  design          {} ({})", sweep.design.name(), sweep.hash);
    println!(
        "  runs            {} points x {} replicates = {} runs; this shard: {}",
        sweep.points.len(),
        sweep.replicates,
        sweep.runs(),
        runs.len()
    );
    println!("  output          {}", options.out.display());
    let names: Vec<&str> = sweep.vary.iter().map(|v| v.name.as_str()).collect();
    println!("  run,point,replicate,seed,{}", names.join(","));
    for &run in runs.iter().take(10) {
        let (point, replicate) = sweep.point_of(run);
        println!(
            "  {run},{point},{replicate},{},{}",
            sweep.seed(run),
            sweep.points[point].values.join(",")
        );
    }
    if runs.len() > 10 {
        println!("  ... {} more", runs.len() - 10);
    }
}

/// `revsim sweep`.
fn sweep(args: SweepCommand, common: &Common) -> anyhow::Result<()> {
    let sweep = revsim::sweep::load_sweep(&args.sweep, &common.scenarios_dir())?;
    let out = args.out.or_else(|| {
        let dir = PathBuf::from("output").join("sweeps").join(&sweep.name);
        match args.shard {
            Some(s) if s.count > 1 => dir.join(format!("shard-{}-of-{}", s.index, s.count)),
            _ => dir,
        }
    });
    let options = revsim::sweep::SweepOptions {
        out,
        threads: args.threads.count(),
        shard: args.shard,
        resume: args.resume,
        plots: !args.plots.no_plots,
        max_memory_mb: common.max_memory,
    };
    let shard_text = options
        .shard
        .map(|s| format!(", shard {s}"))
        .unwrap_or_default();
    eprintln!(
        "revsim: sweep {} ({} design): {} points x {} replicates = {} runs of {}{shard_text}, \
         {} threads",
        sweep.name,
        sweep.design.name(),
        sweep.points.len(),
        sweep.replicates,
        sweep.runs(),
        sweep.scenarios_run(),
        options.threads
    );
    if args.dry_run {
        print_design(&sweep, &options);
        return Ok(());
    }
    let bar = common.progress_bar(0, "{pos}/{len} runs,");
    bar.set_prefix(sweep.name.clone());
    let started = std::time::Instant::now();
    let mut first: Option<u64> = None;
    let outcome = revsim::sweep::run_sweep(&sweep, &options, &mut |done, total| {
        let initial = *first.get_or_insert_with(|| {
            bar.set_length(total);
            bar.set_position(done);
            bar.reset_eta();
            done
        });
        bar.set_position(done);
        let minutes = started.elapsed().as_secs_f64() / 60.0;
        bar.set_message(format!(
            "{:.1} runs/min",
            (done - initial) as f64 / minutes.max(1e-9)
        ));
    })?;
    bar.finish_and_clear();
    if outcome.skipped > 0 {
        eprintln!(
            "revsim: resumed: {} runs were already done",
            outcome.skipped
        );
    }
    eprintln!(
        "revsim: {} runs in {:.1} s ({:.1} runs/min); {} of {} runs{shard_text} done; wrote {}",
        outcome.ran,
        outcome.wall_seconds,
        outcome.runs_per_minute(),
        outcome.skipped + outcome.ran,
        outcome.shard_runs,
        options.out.display()
    );
    print_adequacy(&outcome.adequacy, &sweep, &options.out);
    if !outcome.plots.is_empty() {
        plots_written(&outcome.plots, &options.out);
    }
    Ok(())
}

/// Per summary, the largest Monte Carlo standard error of a point's mean beside the spread of
/// the point means: whether the replicates are enough to tell the points apart.
fn print_adequacy(
    adequacy: &[revsim::sweep::adequacy::Adequacy],
    sweep: &revsim::sweep::Sweep,
    out: &Path,
) {
    if adequacy.is_empty() {
        return;
    }
    eprintln!(
        "revsim: Monte Carlo standard error of each point's mean over {} replicates (all in {}):",
        sweep.replicates,
        out.join("points.csv").display()
    );
    let number = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.3e}"));
    for item in adequacy {
        eprintln!(
            "  {:<40} largest MCSE {} (point {}), sd of the point means {}",
            item.column,
            number(item.worst_mcse.map(|(m, _)| m)),
            item.worst_mcse
                .map_or("-".to_string(), |(_, p)| p.to_string()),
            number(item.spread_of_means)
        );
    }
}

/// `revsim sensitivity`: the indices as a table, written to DIR/sensitivity.csv.
fn sensitivity(dir: &Path, bootstrap: usize) -> anyhow::Result<()> {
    let _lock = FolderLock::acquire(dir)?;
    let outcome = revsim::sweep::sensitivity(dir, bootstrap)?;
    let number = |v: f64| {
        if v.is_finite() {
            format!("{v:.4}")
        } else {
            "-".to_string()
        }
    };
    println!("| summary | parameter | index | estimate | 95 % interval |");
    println!("|---|---|---|---|---|");
    for (summary, parameter, index, value, low, high) in &outcome.rows {
        let interval = if low.is_finite() {
            format!("{} to {}", number(*low), number(*high))
        } else {
            String::new()
        };
        println!(
            "| {summary} | {parameter} | {index} | {} | {interval} |",
            number(*value)
        );
    }
    for (summary, why) in &outcome.skipped {
        eprintln!("revsim: no indices for {summary}: {why}");
    }
    eprintln!(
        "revsim: {} indices ({}) in {}",
        outcome.rows.len(),
        outcome.method,
        outcome.path.display()
    );
    if !outcome.rows.is_empty() {
        let plots = revsim::sweep::plot_sensitivity(dir, &outcome)?;
        plots_written(&plots, dir);
    }
    Ok(())
}

/// `revsim calibrate`: ABC rejection, the targets hit and missed.
fn calibrate(dir: &Path, best: Option<f64>) -> anyhow::Result<()> {
    let _lock = FolderLock::acquire(dir)?;
    let acceptance = best.map_or(
        revsim::sweep::Acceptance::Bands,
        revsim::sweep::Acceptance::Best,
    );
    let result = revsim::sweep::calibrate(dir, acceptance)?;
    let rule = match acceptance {
        revsim::sweep::Acceptance::Bands => "every target within its band".to_string(),
        revsim::sweep::Acceptance::Best(f) => format!("the {f} closest"),
    };
    println!(
        "accepted {} of {} parameter sets ({rule})",
        result.accepted.len(),
        result.points
    );
    println!("| target | expected | band | accepted sets in the band | their median |");
    println!("|---|---|---|---|---|");
    for fit in &result.targets {
        let show = |value: f64| revsim::validate::format(fit.unit, Some(value));
        println!(
            "| {} | {} | {} to {} | {} of {} | {} |",
            fit.id,
            show(fit.expected),
            show(fit.low),
            show(fit.high),
            fit.hits,
            result.accepted.len(),
            fit.median.map_or("-".to_string(), show)
        );
    }
    let missed: Vec<&str> = result
        .targets
        .iter()
        .filter(|f| f.hits == 0)
        .map(|f| f.id.as_str())
        .collect();
    if !missed.is_empty() {
        println!("missed by every accepted set: {}", missed.join(", "));
    }
    for file in &result.files {
        eprintln!("revsim: wrote {}", file.display());
    }
    Ok(())
}

/// `revsim bench`.
fn bench(args: BenchCommand, common: &Common) -> anyhow::Result<()> {
    use revsim::bench::{
        compare, render, render_comparison, run_case, run_cases, to_json, BenchOptions, CaseRuns,
        Turns,
    };
    let BenchCommand {
        only,
        quick,
        mesa_rate,
        json,
        case,
        threads,
        repeats,
        against,
    } = args;
    let options = BenchOptions {
        quick,
        scenarios_dir: common.scenarios_dir(),
        mesa_rate,
        threads: Threads { threads }.count(),
    };
    if let Some(case) = case {
        let result = run_case(&case, &options)?;
        println!("{}", serde_json::to_string(&result)?);
        return Ok(());
    }
    let exe = std::env::current_exe().context("finding the revsim binary")?;
    let turns = Turns {
        repeats,
        against: against.as_deref(),
    };
    let results = run_cases(&exe, &only, &options, turns, |result| {
        eprintln!(
            "revsim bench: {} done: {:.3e} agent-updates/s in {:.2} s",
            result.name, result.agent_updates_per_second, result.seconds
        )
    })?;
    if json {
        println!("{}", to_json(&results, mesa_rate));
        return Ok(());
    }
    let best: Vec<_> = results.iter().map(CaseRuns::best).cloned().collect();
    print!("{}", render(&best, mesa_rate));
    if let Some(other) = &against {
        print!("{}", render_comparison(&compare(&results), other));
    }
    Ok(())
}

/// `revsim plot`: redraws the plots of a run or a sweep, holding the folder's lock.
fn plot(dir: &Path) -> anyhow::Result<()> {
    let _lock = FolderLock::acquire(dir)?;
    let plots = if revsim::sweep::is_sweep_folder(dir) {
        revsim::sweep::plot_sweep(dir)?
    } else {
        plot_run(dir)?
    };
    plots_written(&plots, dir);
    Ok(())
}

/// `revsim compare`: ensembles of each scenario, the key-outcome table, overlaid plots.
fn compare(args: CompareCommand, common: &Common) -> anyhow::Result<()> {
    let scenarios = common.scenarios_dir();
    let preset = revsim::compare::CLASSROOM;
    let mut overrides = Vec::new();
    if args.quick {
        overrides.push(Override::people_per_agent(preset.people_per_agent)?);
    }
    overrides.extend(args.settings.overrides(None)?);
    let replicates = args.replicates.unwrap_or(if args.quick {
        preset.replicates
    } else {
        revsim::compare::DEFAULT_REPLICATES
    });
    let candidates = args
        .names
        .iter()
        .map(|name| revsim::compare::load_candidate(name, &scenarios, &overrides))
        .collect::<Result<Vec<_>, ScenarioError>>()?;
    let threads = args.threads.count();
    for candidate in &candidates {
        let runs = threads.min(replicates * candidates.len());
        revsim::sim::check_memory(&candidate.scenario, runs, common.max_memory)?;
    }
    let out = args.out.or_else(|| {
        let names: Vec<&str> = candidates
            .iter()
            .map(|c| c.scenario.name.as_str())
            .collect();
        PathBuf::from("output")
            .join("compare")
            .join(names.join("_vs_"))
    });
    eprintln!(
        "revsim: comparing {} over {replicates} seeds each on {threads} threads",
        candidates
            .iter()
            .map(|c| c.scenario.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let lock = FolderLock::acquire(&out)?;
    let (comparison, written) = replace_folder(
        &lock,
        &revsim::compare::COMPARE_FOLDER,
        false,
        |dir| -> anyhow::Result<_> {
            let bar =
                common.progress_bar((candidates.len() * replicates) as u64, "{pos}/{len} runs");
            bar.set_prefix("compare");
            let comparison = revsim::compare::run_comparison(
                candidates,
                replicates,
                threads,
                &mut |done, _| bar.set_position(done as u64),
                &revsim::ensemble::unwatched,
            )?;
            bar.finish_and_clear();
            let written = revsim::compare::write_comparison(dir, &comparison, true)?;
            Ok((comparison, written))
        },
    )?;
    print!("{}", revsim::compare::markdown_table(&comparison.file()));
    eprintln!(
        "revsim: {:.1} s; wrote {} files in {}; `revsim report {}` makes the page",
        comparison.wall_seconds,
        written.len(),
        out.display(),
        out.display()
    );
    Ok(())
}

/// Ends quietly, as `cat` and `grep` do, when the reader of standard output goes away
/// (`revsim list params | head`): Rust ignores SIGPIPE, so `println!` would panic instead.
fn die_quietly_on_broken_pipe() {
    #[cfg(unix)]
    // SAFETY: restoring the default action of one signal at start-up, before any thread runs.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn main() -> ExitCode {
    die_quietly_on_broken_pipe();
    let cli = Cli::parse();
    let common = &cli.common;
    let outcome = match cli.command {
        Command::Run(args) => run(args, common),
        Command::Validate(args) => validate(args, common),
        Command::Classic {
            model: ClassicModel::Epstein(args),
        } => classic_epstein(args, common),
        Command::Bench(args) => bench(args, common),
        Command::Sweep(args) => sweep(args, common),
        Command::Merge { dirs, out, plots } => revsim::sweep::merge(&dirs, &out, !plots.no_plots)
            .map(|plots| {
                eprintln!(
                    "revsim: merged {} folders into {}; {} plots",
                    dirs.len(),
                    out.display(),
                    plots.len()
                )
            })
            .map_err(anyhow::Error::from),
        Command::Compare(args) => compare(args, common),
        Command::Sensitivity { dir, bootstrap } => sensitivity(&dir, bootstrap),
        Command::Calibrate { dir, best } => calibrate(&dir, best),
        Command::Report { dir } => FolderLock::acquire(&dir)
            .map_err(anyhow::Error::from)
            .and_then(|_lock| {
                revsim::report::write_report(&dir, &common.scenarios_dir())
                    .map(|path| println!("{}", path.display()))
                    .map_err(anyhow::Error::from)
            }),
        Command::Serve(args) => {
            let scenarios_dir = common.scenarios_dir();
            let options = revsim::serve::ServeOptions {
                port: args.port,
                save_dir: args.save_to.unwrap_or_else(|| scenarios_dir.clone()),
                scenarios_dir,
                threads: args.threads.count(),
                max_memory_mb: common.max_memory,
            };
            revsim::serve::serve(options, |url| {
                println!("revsim serve: open {url} in a browser (Ctrl-C stops it)")
            })
            .map_err(anyhow::Error::from)
        }
        Command::Story { dir, width } => {
            revsim::report::read_folder(&dir, &common.scenarios_dir(), false)
                .map(|model| print!("{}", revsim::story::tell(&model).text(width)))
                .map_err(anyhow::Error::from)
        }
        Command::List { what, filter } => list(&common.scenarios_dir(), what, filter.as_deref()),
        Command::Schema => serde_json::to_string_pretty(&json_schema())
            .map(|text| println!("{text}"))
            .map_err(anyhow::Error::from),
        Command::Plot { dir } => plot(&dir),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", error_chain(&error));
            let classic_input = error
                .downcast_ref::<revsim::classic::ClassicError>()
                .is_some_and(|e| e.is_invalid_input());
            let sweep_input = error
                .downcast_ref::<revsim::sweep::SweepError>()
                .is_some_and(|e| e.is_invalid_input());
            let report_input = error
                .downcast_ref::<revsim::report::ReportError>()
                .is_some_and(|e| e.is_invalid_input())
                || error
                    .downcast_ref::<revsim::compare::CompareError>()
                    .is_some_and(|e| e.is_invalid_input());
            let bench_input = error
                .downcast_ref::<revsim::bench::BenchError>()
                .is_some_and(|e| e.is_invalid_input());
            let folder_input = error
                .downcast_ref::<revsim::fsutil::FolderError>()
                .is_some_and(|e| e.is_invalid_input())
                || error
                    .downcast_ref::<revsim::plot::PlotError>()
                    .is_some_and(|e| e.is_invalid_input());
            if error.downcast_ref::<ScenarioError>().is_some()
                || error.downcast_ref::<NoParameter>().is_some()
                || error.downcast_ref::<revsim::sim::TooMuchMemory>().is_some()
                || classic_input
                || folder_input
                || sweep_input
                || report_input
                || bench_input
            {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// `--replicates`: a whole number of seeds, at least one and at most a sweep's limit.
fn parse_replicates(text: &str) -> Result<usize, String> {
    let max = revsim::sweep::MAX_REPLICATES;
    text.parse::<i64>()
        .ok()
        .filter(|n| (1..=max).contains(n))
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| format!("expected a whole number of seeds from 1 to {max}"))
}

/// The error and its causes, each cause once: a cause that its parent's message already
/// ends with is not repeated.
fn error_chain(error: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in error.chain() {
        let message = cause.to_string();
        if !text.ends_with(&message) {
            if !text.is_empty() {
                text.push_str(": ");
            }
            text.push_str(&message);
        }
    }
    text
}
