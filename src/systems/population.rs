//! The start state: persons by class, role, region and community, as of March 1917.
//!
//! Region populations, urban shares and industrial workers come from the `region.*` table
//! [000:669]; the army from `army.*` [000:203][001:121]. Every agent stands for
//! `people_per_agent` people.

use bevy_ecs::prelude::World;
use rayon::prelude::*;

use crate::model::ids::RegionField;
use crate::model::ids::{Class, CommunityKind, Party, Region, Role};
use crate::model::params::Params;
use crate::model::{
    Allegiance, CitySoviet, Communities, Community, Outlook, Person, Persons, Status, Temperament,
};
use crate::parallel::{chunks_mut, Workers, CHUNK};
use crate::rng::{RunRng, Stream};
use crate::systems::allegiance::{draw_concerns, draw_leanings};
use crate::systems::{stand_from_share, MILLION, THOUSAND};

/// Persons of one kind to place in one region.
struct Cohort {
    class_mix: Vec<(Class, f64)>,
    role: Role,
    kind: CommunityKind,
    city: Option<CitySoviet>,
    region: Region,
    agents: u32,
    industrial: bool,
    village_tie: f32,
}

/// Rounds a people count to agents, never losing a non-empty group entirely.
fn agents_for(people: f64, people_per_agent: f64) -> u32 {
    let agents = (people / people_per_agent).round();
    if people > 0.0 && agents < 1.0 {
        1
    } else {
        agents as u32
    }
}

fn peasant_mix(params: &Params) -> Vec<(Class, f64)> {
    let population = &params.population;
    let middle = (1.0 - population.peasant_poor_share - population.peasant_kulak_share).max(0.0);
    vec![
        (Class::PeasantPoor, population.peasant_poor_share),
        (Class::PeasantMiddle, middle),
        (Class::PeasantKulak, population.peasant_kulak_share),
    ]
}

/// The cohorts of March 1917, region by region, in a fixed order.
fn cohorts(params: &Params, people_per_agent: f64) -> Vec<Cohort> {
    let population = &params.population;
    let army = &params.army;
    let rural_total: f64 = Region::ALL
        .iter()
        .map(|&r| {
            params.region(r, RegionField::Population)
                * MILLION
                * (1.0 - params.region(r, RegionField::UrbanShare))
        })
        .sum();
    let front_people = army.front_millions * MILLION;
    let garrison_people = army.garrison_millions * MILLION;
    let sailors = army.sailors_thousands * THOUSAND;
    let soldier_mix = {
        let mut mix = peasant_mix(params);
        for entry in &mut mix {
            entry.1 *= army.peasant_share;
        }
        mix.push((
            Class::WorkerMigrant,
            (1.0 - army.peasant_share) * army.worker_share,
        ));
        mix.push((
            Class::Intelligentsia,
            (1.0 - army.peasant_share) * (1.0 - army.worker_share),
        ));
        mix
    };
    let urban_total: f64 = Region::ALL
        .iter()
        .filter(|&&r| r != Region::Petrograd)
        .map(|&r| {
            params.region(r, RegionField::Population)
                * MILLION
                * params.region(r, RegionField::UrbanShare)
        })
        .sum();

    let mut cohorts = Vec::new();
    for &region in Region::ALL {
        let people = params.region(region, RegionField::Population) * MILLION;
        let urban = people * params.region(region, RegionField::UrbanShare);
        let rural = people - urban;
        let workers = params.region(region, RegionField::Workers) * MILLION;
        let city = match region {
            Region::Petrograd => Some(CitySoviet::Petrograd),
            Region::Moscow => Some(CitySoviet::Moscow),
            _ => None,
        };
        // Soldiers are drawn from the villages of every region in proportion to their size.
        let rural_share = rural / rural_total.max(1.0);
        let home_front = front_people * rural_share;
        let garrison = if region == Region::Petrograd {
            garrison_people * army.petrograd_garrison_share
        } else {
            garrison_people * (1.0 - army.petrograd_garrison_share) * urban / urban_total.max(1.0)
        };
        let town_rest = (urban - workers - garrison).max(0.0);
        let town_workers =
            (1.0 - population.urban_intelligentsia - population.urban_bourgeoisie).max(0.0);
        let migrant = population.migrant_worker_share;
        let mut push = |class_mix: Vec<(Class, f64)>,
                        role,
                        kind,
                        city,
                        people: f64,
                        industrial,
                        village_tie| {
            cohorts.push(Cohort {
                class_mix,
                role,
                kind,
                city,
                region,
                agents: agents_for(people, people_per_agent),
                industrial,
                village_tie,
            });
        };
        push(
            vec![(Class::WorkerEstablished, 1.0 - migrant)],
            Role::Civilian,
            CommunityKind::Factory,
            city,
            workers * (1.0 - migrant),
            true,
            population.established_worker_ties as f32,
        );
        push(
            vec![(Class::WorkerMigrant, migrant)],
            Role::Civilian,
            CommunityKind::Factory,
            city,
            workers * migrant,
            true,
            population.migrant_worker_ties as f32,
        );
        push(
            vec![
                (Class::Intelligentsia, population.urban_intelligentsia),
                (Class::Bourgeoisie, population.urban_bourgeoisie),
                (Class::WorkerEstablished, town_workers),
            ],
            Role::Civilian,
            CommunityKind::Town,
            // The city soviets were of workers' and soldiers' deputies [000:233].
            None,
            town_rest,
            false,
            population.townspeople_ties as f32,
        );
        push(
            soldier_mix.clone(),
            Role::Soldier,
            CommunityKind::Garrison,
            city,
            garrison,
            false,
            population.soldier_ties as f32,
        );
        let villagers = (rural - home_front).max(0.0);
        let cossacks = villagers * params.region(region, RegionField::CossackShare);
        let nobles = villagers * population.rural_nobility;
        push(
            vec![(Class::Cossack, 1.0)],
            Role::Civilian,
            CommunityKind::Village,
            None,
            cossacks,
            false,
            1.0,
        );
        push(
            vec![(Class::Nobility, 1.0)],
            Role::Civilian,
            CommunityKind::Village,
            None,
            nobles,
            false,
            1.0,
        );
        push(
            peasant_mix(params),
            Role::Civilian,
            CommunityKind::Village,
            None,
            villagers - cossacks - nobles,
            false,
            1.0,
        );
        // Front regiments hold the region's sons but stand on the front.
        push(
            soldier_mix.clone(),
            Role::Soldier,
            CommunityKind::Regiment,
            None,
            home_front,
            false,
            population.soldier_ties as f32,
        );
        if region == Region::Petrograd {
            let kronstadt = sailors * army.kronstadt_share;
            push(
                soldier_mix.clone(),
                Role::Sailor,
                CommunityKind::Ship,
                Some(CitySoviet::Kronstadt),
                kronstadt,
                false,
                population.sailor_ties as f32,
            );
            push(
                soldier_mix.clone(),
                Role::Sailor,
                CommunityKind::Ship,
                city,
                sailors - kronstadt,
                false,
                population.sailor_ties as f32,
            );
        }
    }
    cohorts
}

/// The region a person of `region` returns to: the capitals' people came from the villages
/// of the central industrial region [000:241] (the region: model assumption).
pub fn home_of(region: Region) -> Region {
    match region {
        Region::Petrograd | Region::Moscow => Region::CentralIndustrial,
        other => other,
    }
}

/// Picks a class from a mix by cumulative weight.
fn pick_class(mix: &[(Class, f64)], u: f64) -> Class {
    let total: f64 = mix.iter().map(|(_, w)| w).sum();
    let mut acc = 0.0;
    for &(class, weight) in mix {
        acc += weight / total.max(f64::MIN_POSITIVE);
        if u < acc {
            return class;
        }
    }
    mix.last().map(|&(c, _)| c).unwrap_or_default()
}

/// Adds `rows` persons as the last rows of `persons`, the `member`th of them `row(member)`,
/// in chunks of [`CHUNK`] on the run's threads: each row depends only on its member's
/// number (its draws are keyed on the id), so the table is the same on any threads.
fn append(
    persons: &mut Persons,
    rows: u32,
    workers: Option<&Workers>,
    row: impl Fn(u32) -> (Person, Status, Allegiance, Outlook, Temperament) + Sync,
) {
    let first = persons.len();
    persons.resize(first + rows as usize);
    chunks_mut(persons, first, workers)
        .enumerate()
        .for_each(|(chunk, mut rows)| {
            for (i, (p, s, a, o, t)) in rows.iter_mut().enumerate() {
                (*p, *s, *a, *o, *t) = row((chunk * CHUNK + i) as u32);
            }
        });
}

/// Spawns every person and community of the start state into `world`: the [`Persons`] table,
/// sized exactly and filled on the run's threads (`workers`; call it inside the run's pool),
/// and the [`Communities`].
///
/// Front regiments stand in `northwest_front`; their soldiers keep their home region.
pub fn spawn_population(
    world: &mut World,
    params: &Params,
    rng: &RunRng,
    people_per_agent: f64,
    workers: Option<&Workers>,
) {
    let mut communities = Communities::default();
    let cohorts = cohorts(params, people_per_agent);
    let agents: usize = cohorts.iter().map(|cohort| cohort.agents as usize).sum();
    let mut persons = Persons::with_capacity(agents);
    let mut next_id: u32 = 0;
    for cohort in cohorts {
        let size = match cohort.kind {
            CommunityKind::Village => params.population.village_size,
            CommunityKind::Ship => params.population.crew_size,
            _ => params.population.workplace_size,
        }
        .max(1.0) as u32;
        let location = if cohort.kind == CommunityKind::Regiment {
            Region::NorthwestFront
        } else {
            cohort.region
        };
        let first_community = communities.list.len() as u32;
        for _ in 0..cohort.agents.div_ceil(size) {
            communities
                .list
                .push(Community::new(cohort.kind, location, cohort.city));
        }
        let first_id = next_id;
        append(&mut persons, cohort.agents, workers, |member| {
            let id = first_id + member;
            let mut draws = rng.draws(Stream::Setup, id, 0);
            let class = pick_class(&cohort.class_mix, draws.uniform());
            let minority = draws.chance(params.region(cohort.region, RegionField::MinorityShare));
            (
                Person {
                    id,
                    class,
                    home: home_of(cohort.region),
                    region: location,
                    community: first_community + member / size,
                    industrial: cohort.industrial,
                    minority,
                    village_tie: cohort.village_tie,
                },
                Status {
                    role: cohort.role,
                    jail_weeks: 0,
                    before_jail: cohort.role,
                    active: false,
                    defiant: false,
                    returned: false,
                },
                Allegiance {
                    private: Party::None,
                    strength: 0.0,
                    public: Party::None,
                    reconsider_in: 0.0,
                    leanings: draw_leanings(rng, id),
                    concerns: draw_concerns(rng, id),
                },
                Outlook {
                    hardship: 0.0,
                    legitimacy: params.legitimacy.start as f32,
                    legitimacy_drop: 0.0,
                },
                Temperament {
                    risk_aversion: draws.uniform() as f32,
                    hardship_sensitivity: (1.0
                        + params.revolt.hardship_spread * stand_from_share(draws.uniform()))
                        as f32,
                },
            )
        });
        next_id += cohort.agents;
    }
    let of_kind = |kind: CommunityKind| -> Vec<Vec<u32>> {
        Region::ALL
            .iter()
            .map(|&region| {
                (0..communities.list.len() as u32)
                    .filter(|&c| {
                        let community = &communities.list[c as usize];
                        community.kind == kind && community.region == region
                    })
                    .collect()
            })
            .collect()
    };
    communities.home_villages = of_kind(CommunityKind::Village);
    communities.factories = of_kind(CommunityKind::Factory);
    world.insert_resource(communities);
    world.insert_resource(persons);
}
