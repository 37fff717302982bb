//! Build a World from a scenario, run it week by week, and hand the results to the recorder.

use std::time::Instant;

use bevy_ecs::prelude::{Schedule, World};

use crate::metrics::{Announcements, Metrics};
use crate::model::clock::DAYS_PER_WEEK;
use crate::model::ids::Region;
use crate::model::{
    Affinities, Clock, Communities, EventLog, Parties, Person, State, Switches, Tally, Tolls,
};
use crate::rng::RunRng;
use crate::scenario::Scenario;
use crate::systems::economy::{initial_regions, StartEconomy};
use crate::systems::events::Agenda;
use crate::systems::{add_to_schedule, population};

/// A simulation ready to run: a World holding the start state and its Schedule.
pub struct Simulation {
    pub world: World,
    schedule: Schedule,
    steps: u32,
    agents: usize,
}

/// What a finished run hands to the recorder.
pub struct RunResult {
    pub metrics: Metrics,
    pub events: EventLog,
    pub agents: usize,
    pub steps: u32,
    pub wall_seconds: f64,
}

impl RunResult {
    pub fn agent_updates_per_second(&self) -> f64 {
        self.agents as f64 * f64::from(self.steps) / self.wall_seconds.max(1e-9)
    }
}

impl Simulation {
    /// Builds the start state of `scenario` with `seed`.
    pub fn new(scenario: &Scenario) -> Simulation {
        let run = &scenario.run;
        let people_per_agent = f64::from(run.people_per_agent);
        let params = scenario.params.clone();
        let army_ration = params.grain.army_ration;
        let rng = RunRng::new(run.seed);
        let mut world = World::new();
        population::spawn_population(&mut world, &params, &rng, people_per_agent);
        let agents = world.query::<&Person>().iter(&world).count();
        let communities = world.resource::<Communities>().list.len();
        let mut workers = [0.0; Region::COUNT];
        for person in world.query::<&Person>().iter(&world) {
            if person.industrial {
                workers[person.region.index()] += 1.0;
            }
        }
        world.insert_resource(initial_regions(&params, people_per_agent));
        world.insert_resource(Switches::new(&params));
        world.insert_resource(Affinities::new(&params));
        world.insert_resource(params);
        world.insert_resource(rng);
        world.insert_resource(State::tsarist());
        world.insert_resource(Parties::default());
        world.insert_resource(Tally::new(communities));
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
        let steps = (run.start.days_until(run.end) / DAYS_PER_WEEK + 1).max(1) as u32;
        let mut schedule = Schedule::default();
        add_to_schedule(&mut schedule);
        let mut simulation = Simulation {
            world,
            schedule,
            steps,
            agents,
        };
        simulation.take_first_census();
        let tally = simulation.world.resource::<Tally>();
        let town_need = tally.regions.iter().map(|r| r.town_need(army_ration)).sum();
        simulation
            .world
            .insert_resource(StartEconomy { workers, town_need });
        simulation
    }

    /// Counts the start state once so the first week's rules see their communities.
    fn take_first_census(&mut self) {
        let mut schedule = Schedule::default();
        schedule.add_systems(crate::systems::census::take_census);
        schedule.run(&mut self.world);
    }

    pub fn steps(&self) -> u32 {
        self.steps
    }

    pub fn agents(&self) -> usize {
        self.agents
    }

    /// Runs one week.
    pub fn step(&mut self) {
        self.schedule.run(&mut self.world);
        let mut clock = self.world.resource_mut::<Clock>();
        clock.step += 1;
        clock.date = clock.date.add_days(DAYS_PER_WEEK);
    }

    /// Runs every week, calling `progress(done, total)` after each.
    pub fn run(mut self, mut progress: impl FnMut(u32, u32)) -> RunResult {
        let started = Instant::now();
        for done in 1..=self.steps {
            self.step();
            progress(done, self.steps);
        }
        let wall_seconds = started.elapsed().as_secs_f64();
        RunResult {
            metrics: self.world.remove_resource::<Metrics>().unwrap_or_default(),
            events: self.world.remove_resource::<EventLog>().unwrap_or_default(),
            agents: self.agents,
            steps: self.steps,
            wall_seconds,
        }
    }
}
