//! The `revsim` command line: parses arguments, calls the library, prints.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use revsim::model::params::registry;
use revsim::plot::plot_run;
use revsim::record::write_run;
use revsim::scenario::{
    find_scenario, json_schema, list_scenarios, load_scenario, Override, ScenarioError,
};
use revsim::sim::Simulation;

#[derive(Parser)]
#[command(
    name = "revsim",
    version,
    about = "Agent-based simulator of the Russian Revolution and Civil War (1917-1922)"
)]
struct Cli {
    /// Folder of named scenarios (default: ./scenarios, else the one shipped with revsim).
    #[arg(long, global = true, value_name = "DIR")]
    scenarios: Option<PathBuf>,
    /// Show a progress bar even when standard error is not a terminal.
    #[arg(long, global = true)]
    progress: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a scenario and write timeseries.csv, events.csv, manifest.json and plots.
    Run {
        /// A scenario file, or the name of one in the scenarios folder (e.g. baseline_1917).
        scenario: String,
        /// Seed of the run (overrides the scenario's run.seed).
        #[arg(long)]
        seed: Option<u64>,
        /// Output folder (default: output/<scenario>/<seed>).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Override a parameter or run setting, e.g. --set allegiance.social_weight=0.5.
        #[arg(long = "set", value_name = "NAME=VALUE")]
        set: Vec<String>,
        /// People each agent stands for (overrides run.people_per_agent).
        #[arg(long, value_name = "N")]
        people_per_agent: Option<u32>,
        /// Last date to simulate, YYYY-MM-DD or "YYYY-MM-DD OS" (overrides run.end).
        #[arg(long, value_name = "DATE")]
        end: Option<String>,
        /// Skip drawing the plots.
        #[arg(long)]
        no_plots: bool,
    },
    /// List the scenarios and every parameter with its default, range, doc and sources.
    List,
    /// Print the JSON Schema of the scenario file format.
    Schema,
    /// Run a scenario as an ensemble of seeds and compare it with the historical targets.
    Validate {
        /// The scenario to validate.
        #[arg(long, default_value = "baseline_1917")]
        scenario: String,
        /// Seeds in the ensemble: the scenario's seed, then seed + 1, seed + 2, ...
        #[arg(long, default_value_t = 20)]
        replicates: usize,
        /// Threads to run replicates on (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
        /// Override a parameter or run setting, e.g. --set allegiance.social_weight=0.5.
        #[arg(long = "set", value_name = "NAME=VALUE")]
        set: Vec<String>,
        /// Output folder (default: output/validate/<scenario>).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Redraw the plots of a run from its CSV files.
    Plot {
        /// A run's output folder.
        dir: PathBuf,
    },
}

fn scenarios_dir(explicit: Option<PathBuf>) -> PathBuf {
    if let Some(dir) = explicit {
        return dir;
    }
    let local = PathBuf::from("scenarios");
    if local.is_dir() {
        local
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
    }
}

fn progress_bar(total: u64, forced: bool) -> ProgressBar {
    if !forced && !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(
            "{prefix} [{bar:40}] week {pos}/{len} {msg} ({elapsed}, eta {eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar
}

struct RunArgs {
    scenario: String,
    seed: Option<u64>,
    out: Option<PathBuf>,
    set: Vec<String>,
    people_per_agent: Option<u32>,
    end: Option<String>,
    no_plots: bool,
}

/// Collects the run's overrides: `--set` first, then the dedicated flags, which win.
fn overrides(args: &RunArgs) -> Result<Vec<Override>, ScenarioError> {
    let mut overrides = args
        .set
        .iter()
        .map(|text| text.parse())
        .collect::<Result<Vec<Override>, _>>()?;
    let mut flag = |name: &str, value: Option<String>| {
        if let Some(value) = value {
            overrides.push(Override {
                name: name.to_string(),
                value,
            });
        }
    };
    flag("run.seed", args.seed.map(|s| s.to_string()));
    flag(
        "run.people_per_agent",
        args.people_per_agent.map(|n| n.to_string()),
    );
    flag("run.end", args.end.clone());
    Ok(overrides)
}

fn run(args: RunArgs, scenarios: &Path, forced_progress: bool) -> anyhow::Result<()> {
    let path = find_scenario(&args.scenario, scenarios)?;
    let scenario = load_scenario(&path, scenarios, &overrides(&args)?)?;
    let out = args.out.clone().unwrap_or_else(|| {
        PathBuf::from("output")
            .join(&scenario.name)
            .join(scenario.run.seed.to_string())
    });
    let simulation = Simulation::new(&scenario);
    eprintln!(
        "revsim: {} ({}), seed {}, {} agents x {} weeks",
        scenario.name,
        scenario.title,
        scenario.run.seed,
        simulation.agents(),
        simulation.steps()
    );
    let bar = progress_bar(u64::from(simulation.steps()), forced_progress);
    bar.set_prefix(scenario.name.clone());
    let result = simulation.run(|done, _| bar.set_position(u64::from(done)));
    bar.finish_and_clear();
    write_run(&out, &scenario, &result)?;
    eprintln!(
        "revsim: {:.2} s, {:.2e} agent-updates/s; wrote {}",
        result.wall_seconds,
        result.agent_updates_per_second(),
        out.display()
    );
    if !args.no_plots {
        let plots =
            plot_run(&out).with_context(|| format!("drawing the plots of {}", out.display()))?;
        eprintln!(
            "revsim: {} plots in {}",
            plots.len(),
            out.join("plots").display()
        );
    }
    Ok(())
}

fn validate(
    name: &str,
    replicates: usize,
    threads: Option<usize>,
    set: &[String],
    out: Option<PathBuf>,
    scenarios: &Path,
    forced_progress: bool,
) -> anyhow::Result<()> {
    let overrides = set
        .iter()
        .map(|text| text.parse())
        .collect::<Result<Vec<Override>, ScenarioError>>()?;
    let scenario = load_scenario(&find_scenario(name, scenarios)?, scenarios, &overrides)?;
    let threads =
        threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let out = out.unwrap_or_else(|| {
        PathBuf::from("output")
            .join("validate")
            .join(&scenario.name)
    });
    let targets = revsim::validate::targets_1917();
    eprintln!(
        "revsim: validating {} over {replicates} seeds ({}..={}) on {threads} threads",
        scenario.name,
        scenario.run.seed,
        revsim::validate::replicate_seed(scenario.run.seed, replicates.saturating_sub(1))
    );
    let bar = progress_bar(replicates as u64, forced_progress);
    bar.set_prefix("validate");
    let ensemble =
        revsim::validate::run_ensemble(&scenario, &targets, replicates, threads, &|done| {
            bar.set_position(done as u64)
        });
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

fn list(scenarios: &Path) {
    println!("Scenarios in {}:", scenarios.display());
    for summary in list_scenarios(scenarios) {
        println!("  {:<28} {}", summary.name, summary.title);
    }
    println!("\nParameters (name, default, valid values, what it does, sources):");
    for spec in registry() {
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let scenarios = scenarios_dir(cli.scenarios);
    let outcome = match cli.command {
        Command::Run {
            scenario,
            seed,
            out,
            set,
            people_per_agent,
            end,
            no_plots,
        } => run(
            RunArgs {
                scenario,
                seed,
                out,
                set,
                people_per_agent,
                end,
                no_plots,
            },
            &scenarios,
            cli.progress,
        ),
        Command::Validate {
            scenario,
            replicates,
            threads,
            set,
            out,
        } => validate(
            &scenario,
            replicates,
            threads,
            &set,
            out,
            &scenarios,
            cli.progress,
        ),
        Command::List => {
            list(&scenarios);
            Ok(())
        }
        Command::Schema => serde_json::to_string_pretty(&json_schema())
            .map(|text| println!("{text}"))
            .map_err(anyhow::Error::from),
        Command::Plot { dir } => plot_run(&dir)
            .map(|plots| {
                eprintln!(
                    "revsim: {} plots in {}",
                    plots.len(),
                    dir.join("plots").display()
                )
            })
            .map_err(anyhow::Error::from),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            if error.downcast_ref::<ScenarioError>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}
