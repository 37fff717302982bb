//! Build a World from a scenario, run it week by week, and hand the results to the recorder.

use std::time::{Duration, Instant};

use bevy_ecs::prelude::{IntoScheduleConfigs, Schedule, World};

use crate::metrics::{Announcements, Metrics};
use crate::model::clock::DAYS_PER_WEEK;
use crate::model::ids::Region;
use crate::model::{
    Affinities, Clock, Communities, EventLog, Parties, Persons, State, Switches, Tally, Tolls,
};
use crate::parallel::{install_awake, Workers};
use crate::rng::RunRng;
use crate::scenario::Scenario;
use crate::systems::economy::{initial_regions, StartEconomy};
use crate::systems::events::Agenda;
use crate::systems::{add_recorder, add_to_schedule, population};

/// A simulation ready to run: a World holding the start state and its Schedule.
pub struct Simulation {
    pub world: World,
    schedule: Schedule,
    /// The recorder, run after each week's rules and timed apart from them.
    recorder: Schedule,
    /// The time spent in the recorder so far.
    measuring: Duration,
    /// The threads the rules run on, where more than one ([`Workers`]), kept awake while
    /// the persons are spawned and the weeks run ([`install_awake`]).
    pool: Option<rayon::ThreadPool>,
    steps: u32,
    agents: usize,
    /// The scenario's name and seed, for a [`NonFinite`] message.
    scenario: String,
    seed: u64,
}

/// A measured metric that is not a finite number: the run stops at the week it appears, since
/// every later value (and any summary of them) would be meaningless.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "scenario `{scenario}` (seed {seed}): metric `{metric}` for group `{group}` is {value} at \
     step {step} ({date}); the run is stopped. A parameter or `--set` value has made the \
     model divide by zero or overflow: move it away from the edge of its range"
)]
pub struct NonFinite {
    pub scenario: String,
    pub seed: u64,
    pub metric: String,
    pub group: String,
    pub value: f64,
    pub step: u32,
    pub date: String,
}

/// What a finished run hands to the recorder.
pub struct RunResult {
    pub metrics: Metrics,
    pub events: EventLog,
    pub agents: usize,
    pub steps: u32,
    pub wall_seconds: f64,
    /// Of `wall_seconds`, the time the recorder took measuring each week.
    pub measuring_seconds: f64,
}

impl RunResult {
    pub fn agent_updates_per_second(&self) -> f64 {
        self.agents as f64 * f64::from(self.steps) / self.wall_seconds.max(1e-9)
    }

    /// The share of the run the recorder took, measuring each week (the target: under
    /// 2 %; writing the files comes after the run and is timed by whoever writes them).
    pub fn measuring_share(&self) -> f64 {
        self.measuring_seconds / self.wall_seconds.max(1e-9)
    }
}

/// Memory a run takes, measured with `/usr/bin/time -v` (maximum resident set) on the
/// baseline: 15.2 MB at 45 k agents and 100.6 MB at 728 k agents over 8 weeks (about 125 bytes
/// per agent: their row of `Persons`, their community's share and the revolt rule's weekly
/// buffers; 137 over a whole run at 1.2 million), and 8.3 MB against 36.5 MB for 8 against
/// 1,243 weeks at 1.8 k agents (about 23 KB per week of metric rows). The estimate rounds
/// each up.
pub const BYTES_BASE: u64 = 8 << 20;
pub const BYTES_PER_AGENT: u64 = 160;
pub const BYTES_PER_STEP: u64 = 32 << 10;

/// Memory a run of `scenario` needs: `BYTES_BASE + BYTES_PER_AGENT × agents + BYTES_PER_STEP ×
/// steps`, with agents the regions' population over `people_per_agent`; known before a single
/// agent is spawned.
pub fn estimated_bytes(scenario: &Scenario) -> u64 {
    let people: f64 = Region::ALL
        .iter()
        .map(|&region| {
            scenario
                .params
                .region(region, crate::model::ids::RegionField::Population)
        })
        .sum::<f64>()
        * 1e6;
    let agents = (people / f64::from(scenario.run.people_per_agent)).ceil() as u64;
    BYTES_BASE + BYTES_PER_AGENT * agents + BYTES_PER_STEP * u64::from(steps_of(scenario))
}

/// A run that would need more memory than allowed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "scenario `{scenario}` would need about {need_mb} MB for {runs} run(s) at a time \
     (people_per_agent {people_per_agent}, {steps} weeks), over the limit of {limit_mb} MB; \
     raise run.people_per_agent, run fewer threads, or raise --max-memory"
)]
pub struct TooMuchMemory {
    pub scenario: String,
    pub people_per_agent: u32,
    pub steps: u32,
    pub runs: usize,
    pub need_mb: u64,
    pub limit_mb: u64,
}

/// The default of `--max-memory`, in MB: what the runs going at once may need together.
pub const DEFAULT_MAX_MEMORY_MB: u64 = 16_384;

/// Refuses `runs` simultaneous runs of `scenario` if together they need more than `limit_mb`.
pub fn check_memory(scenario: &Scenario, runs: usize, limit_mb: u64) -> Result<(), TooMuchMemory> {
    let need_mb = estimated_bytes(scenario).saturating_mul(runs as u64) >> 20;
    if need_mb <= limit_mb {
        return Ok(());
    }
    Err(TooMuchMemory {
        scenario: scenario.name.clone(),
        people_per_agent: scenario.run.people_per_agent,
        steps: steps_of(scenario),
        runs,
        need_mb,
        limit_mb,
    })
}

/// Weeks from the run's start to its end, the first included.
fn steps_of(scenario: &Scenario) -> u32 {
    (scenario.run.start.days_until(scenario.run.end) / DAYS_PER_WEEK + 1).max(1) as u32
}

impl Simulation {
    /// Builds the start state of `scenario` with `seed`, to run on the calling thread.
    pub fn new(scenario: &Scenario) -> Simulation {
        Simulation::with_threads(scenario, 1)
    }

    /// Builds the start state of `scenario` with `seed`, to run its rules on `threads`
    /// threads of a pool of its own (on the calling thread where `threads` is 1, or where no
    /// pool can be started). The outputs are the same for any `threads`.
    pub fn with_threads(scenario: &Scenario, threads: usize) -> Simulation {
        let pool = (threads > 1)
            .then(|| {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .thread_name(|i| format!("revsim-rule-{i}"))
                    .build()
                    .ok()
            })
            .flatten();
        let workers = Workers {
            threads: pool
                .as_ref()
                .map_or(1, rayon::ThreadPool::current_num_threads),
        };
        let run = &scenario.run;
        let people_per_agent = f64::from(run.people_per_agent);
        let params = scenario.params.clone();
        let army_ration = params.grain.army_ration;
        let rng = RunRng::new(run.seed);
        let mut world = World::new();
        // Those that depend on the persons are replaced once the persons are spawned.
        world.insert_resource(workers);
        world.insert_resource(initial_regions(&params, people_per_agent));
        world.insert_resource(Switches::new(&params));
        world.insert_resource(Affinities::new(&params));
        world.insert_resource(params.clone());
        world.insert_resource(rng.clone());
        world.insert_resource(State::tsarist());
        world.insert_resource(Parties::default());
        world.insert_resource(Tally::new(0));
        world.insert_resource(Tolls::default());
        world.insert_resource(Metrics::default());
        world.insert_resource(EventLog::default());
        world.insert_resource(Announcements::default());
        world.insert_resource(Agenda::new(&scenario.events));
        world.insert_resource(Clock {
            step: 0,
            date: run.start,
            people_per_agent,
        });
        world.insert_resource(Communities::default());
        world.insert_resource(StartEconomy {
            workers: [0.0; Region::COUNT],
            town_need: 0.0,
        });
        let spawn = |world: &mut World| {
            population::spawn_population(world, &params, &rng, people_per_agent, Some(&workers));
        };
        install_awake(pool.as_ref(), || spawn(&mut world));
        let agents = world.resource::<Persons>().len();
        let communities = world.resource::<Communities>().list.len();
        let mut workers = [0.0; Region::COUNT];
        for person in &world.resource::<Persons>().person {
            if person.industrial {
                workers[person.region.index()] += 1.0;
            }
        }
        world.insert_resource(Tally::new(communities));
        let steps = steps_of(scenario);
        let mut schedule = Schedule::default();
        add_to_schedule(&mut schedule);
        let mut recorder = Schedule::default();
        add_recorder(&mut recorder);
        let mut simulation = Simulation {
            world,
            schedule,
            recorder,
            measuring: Duration::ZERO,
            pool,
            steps,
            agents,
            scenario: scenario.name.clone(),
            seed: run.seed,
        };
        simulation.take_first_census();
        let tally = simulation.world.resource::<Tally>();
        let town_need = tally.regions.iter().map(|r| r.town_need(army_ration)).sum();
        simulation
            .world
            .insert_resource(StartEconomy { workers, town_need });
        simulation
    }

    /// Counts the start state once so the first week's rules see their communities, and
    /// settles everyone's outlook in the world they start in.
    fn take_first_census(&mut self) {
        let mut schedule = Schedule::default();
        schedule.add_systems(
            (
                crate::systems::census::take_census,
                crate::systems::allegiance::settle_outlook,
            )
                .chain(),
        );
        install_awake(self.pool.as_ref(), || schedule.run(&mut self.world));
    }

    pub fn steps(&self) -> u32 {
        self.steps
    }

    pub fn agents(&self) -> usize {
        self.agents
    }

    /// Runs one week, and measures it.
    pub fn step(&mut self) {
        install_awake(self.pool.as_ref(), || {
            self.schedule.run(&mut self.world);
            let started = Instant::now();
            self.recorder.run(&mut self.world);
            self.measuring += started.elapsed();
        });
        let mut clock = self.world.resource_mut::<Clock>();
        clock.step += 1;
        clock.date = clock.date.add_days(DAYS_PER_WEEK);
    }

    /// Runs every week, calling `progress(done, total)` after each; stops at the first week
    /// that measures a NaN or infinity.
    pub fn run(self, mut progress: impl FnMut(u32, u32) + Send) -> Result<RunResult, NonFinite> {
        self.run_watched(|_, done, total| progress(done, total))
    }

    /// [`Simulation::run`], showing `watch` what the run has measured so far after each week
    /// (for a live view: it reads, it cannot change the run).
    pub fn run_watched(
        mut self,
        mut watch: impl FnMut(&Metrics, u32, u32) + Send,
    ) -> Result<RunResult, NonFinite> {
        let started = Instant::now();
        let mut weeks = |simulation: &mut Simulation| {
            let mut checked = 0;
            for done in 1..=simulation.steps {
                simulation.step();
                checked = simulation.check_finite(checked)?;
                watch(
                    simulation.world.resource::<Metrics>(),
                    done,
                    simulation.steps,
                );
            }
            Ok(())
        };
        // Every week inside the pool, its threads kept awake between the rules. The pool is
        // taken out of the simulation so that each week's `step` runs on the thread it is on
        // instead of installing it again.
        let pool = self.pool.take();
        install_awake(pool.as_ref(), || weeks(&mut self))?;
        let wall_seconds = started.elapsed().as_secs_f64();
        Ok(RunResult {
            metrics: self.world.remove_resource::<Metrics>().unwrap_or_default(),
            events: self.world.remove_resource::<EventLog>().unwrap_or_default(),
            agents: self.agents,
            steps: self.steps,
            wall_seconds,
            measuring_seconds: self.measuring.as_secs_f64(),
        })
    }

    /// Checks the rows measured since row `from`; returns how many rows are checked.
    fn check_finite(&self, from: usize) -> Result<usize, NonFinite> {
        let metrics = self.world.resource::<Metrics>();
        match metrics.rows[from..]
            .iter()
            .find(|row| !row.value.is_finite())
        {
            None => Ok(metrics.rows.len()),
            Some(row) => Err(NonFinite {
                scenario: self.scenario.clone(),
                seed: self.seed,
                metric: row.metric.to_string(),
                group: row.group.to_string(),
                value: row.value,
                step: row.step,
                date: metrics
                    .dates
                    .get(row.step as usize)
                    .cloned()
                    .unwrap_or_default(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::scenario::{load_scenario, Override};

    /// `grain.normal_extraction = 0` once made legitimacy NaN from week 0 and the run exit 0;
    /// whatever makes a metric NaN now stops the run with a message naming it.
    #[test]
    fn a_nan_metric_stops_the_run_naming_metric_group_step_and_scenario() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let overrides = [
            Override::PeoplePerAgent(100_000),
            Override::End(crate::date::Date::parse("1917-03-20").unwrap()),
        ];
        let scenario = load_scenario(&dir.join("baseline_1917.toml"), &dir, &overrides).unwrap();
        let mut simulation = Simulation::new(&scenario);
        simulation.step();
        let mut metrics = simulation.world.resource_mut::<Metrics>();
        let first = metrics.rows[0];
        metrics.push(0, first.metric, first.group, f64::NAN);
        let error = simulation.check_finite(0).unwrap_err();
        assert_eq!(
            (error.step, error.metric.as_str()),
            (0, first.metric.to_string().as_str())
        );
        let message = error.to_string();
        for needle in ["baseline_1917", "NaN", "step 0", &first.group.to_string()] {
            assert!(message.contains(needle), "{message} lacks {needle}");
        }
    }

    #[test]
    fn the_memory_estimate_follows_agents_and_steps() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let load = |people| {
            load_scenario(
                &dir.join("baseline_1917.toml"),
                &dir,
                &[Override::PeoplePerAgent(people)],
            )
            .unwrap()
        };
        let (coarse, fine) = (load(1000), load(1));
        let agents = Simulation::new(&coarse).agents() as u64;
        let estimate = estimated_bytes(&coarse);
        assert!(estimate > BYTES_PER_AGENT * agents, "{estimate}");
        assert!(estimated_bytes(&fine) > 25 << 30);
        assert!(check_memory(&coarse, 1, 16_384).is_ok());
        let error = check_memory(&fine, 1, 16_384).unwrap_err();
        assert!(error.to_string().contains("--max-memory"), "{error}");
    }
}
