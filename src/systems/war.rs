//! The world war: deaths at the front and desertion [000:203-205][000:245][001:119-135].

use bevy_ecs::prelude::{Res, ResMut};

use crate::model::ids::{CommunityKind, LandPolicy, Role, WarPolicy};
use crate::model::params::Params;
use crate::model::{
    Clock, Communities, Outlook, Person, Persons, Regions, State, Status, Temperament, Tolls,
};
use crate::parallel::{count_rows, Workers};
use crate::rng::{RunRng, Stream};
use crate::systems::revolt::grievance;

/// Weekly death chance of a soldier at the front under the war policy in force.
pub fn front_death_chance(params: &Params, war: WarPolicy) -> f64 {
    match war {
        WarPolicy::Fighting => params.war.front_death_rate,
        WarPolicy::Offensive => params.war.front_death_rate * params.war.offensive_multiplier,
        WarPolicy::Armistice | WarPolicy::Peace => 0.0,
    }
}

/// How much of the land at a soldier's home is there to share: the share of the estates
/// around its villages seized ([`crate::model::RegionState::seized`]), all of it once a decree gives the
/// land to the peasants.
fn land_at_home(state: &State, regions: &Regions, person: &Person) -> f64 {
    if state.land == LandPolicy::Decree {
        1.0
    } else {
        regions.get(person.home).seized
    }
}

/// Weekly desertion chance of an old-army soldier: a base rate, more with grievance, and for
/// peasants `war.land_pull` times the [`land_at_home`]: soldiers "abandoned their posts and
/// headed home to their native villages" to share the land [000:245]; once the war ends,
/// demobilisation [004:65].
pub fn desertion_chance(
    params: &Params,
    state: &State,
    regions: &Regions,
    person: &Person,
    grievance: f64,
) -> f64 {
    let w = &params.war;
    match state.war {
        WarPolicy::Armistice | WarPolicy::Peace => w.demobilisation_rate,
        WarPolicy::Fighting | WarPolicy::Offensive => {
            let peasant = f64::from(u8::from(person.class.works_land()));
            let land_pull = peasant * w.land_pull * land_at_home(state, regions, person);
            w.desertion_base + w.desertion_grievance * grievance + land_pull
        }
    }
}

/// Front soldiers die and desert; deserters go home to their village as civilians.
pub fn wage_war(
    params: Res<Params>,
    clock: Res<Clock>,
    rng: Res<RunRng>,
    state: Res<State>,
    regions: Res<Regions>,
    communities: Res<Communities>,
    mut tolls: ResMut<Tolls>,
    workers: Option<Res<Workers>>,
    mut persons: ResMut<Persons>,
) {
    let death = front_death_chance(&params, state.war);
    let serve =
        |person: &mut Person, status: &mut Status, outlook: &Outlook, temperament: &Temperament| {
            if status.role != Role::Soldier {
                return false;
            }
            let at_front =
                communities.list[person.community as usize].kind == CommunityKind::Regiment;
            let mut draws = rng.draws(Stream::War, person.id, clock.step);
            if at_front && draws.chance(death) {
                status.role = Role::Dead;
                status.active = false;
                return true;
            }
            if draws.chance(desertion_chance(
                &params,
                &state,
                &regions,
                person,
                grievance(&params, outlook, temperament),
            )) {
                status.active = false;
                communities.discharge(person, status);
            }
            false
        };
    let deaths = count_rows(
        &mut persons,
        workers.as_deref(),
        |(person, status, _, outlook, temperament)| serve(person, status, outlook, temperament),
    );
    tolls.war += f64::from(deaths);
}
