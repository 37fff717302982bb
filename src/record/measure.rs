//! The measure system: every metric of the output contract (DESIGN 5), each step.

use bevy_ecs::prelude::{Res, ResMut};

use crate::model::ids::{Class, CommunityKind, Party, Regime, Region, Side};
use crate::model::params::Params;
use crate::model::{CitySoviet, Clock, Communities, Group, Parties, Regions, State, Tally, Tolls};
use crate::record::{Announcements, Metrics};
use crate::systems::economy::StartEconomy;
use crate::systems::soviets::{city_soviet, combined_seats, executive_committee};

/// A share, or 0 when the denominator is empty.
fn share(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        part / whole
    } else {
        0.0
    }
}

/// Peasant risings by region: the village districts where at least `rising_share` of the
/// people at home (`active`, by community) are in open revolt [001:149].
pub fn risings(
    communities: &Communities,
    active: &[u32],
    rising_share: f64,
) -> [f64; Region::COUNT] {
    let mut risings = [0.0; Region::COUNT];
    for (community, &active) in communities.list.iter().zip(active) {
        let members = f64::from(community.members);
        if community.kind == CommunityKind::Village
            && members > 0.0
            && f64::from(active) >= rising_share * members
        {
            risings[community.region.index()] += 1.0;
        }
    }
    risings
}

/// Records this step's metrics, scaled to people where they are counts.
#[allow(clippy::too_many_arguments)]
pub fn measure(
    clock: Res<Clock>,
    params: Res<Params>,
    tally: Res<Tally>,
    regions: Res<Regions>,
    communities: Res<Communities>,
    parties: Res<Parties>,
    state: Res<State>,
    tolls: Res<Tolls>,
    start: Res<StartEconomy>,
    mut announcements: ResMut<Announcements>,
    mut metrics: ResMut<Metrics>,
) {
    let step = clock.step;
    let people = clock.people_per_agent;
    metrics.dates.push(clock.date.to_string());
    let mut put = |metric: &str, group: &str, value: f64| metrics.push(step, metric, group, value);

    for group in Group::all() {
        let stats = tally.group(group);
        let name = group.name();
        for &party in Party::ALL {
            put(
                &format!("support.private.{}", party.id()),
                &name,
                share(stats.private[party.index()], stats.persons),
            );
        }
        for &party in Party::ALL {
            put(
                &format!("support.public.{}", party.id()),
                &name,
                share(stats.public[party.index()], stats.persons),
            );
        }
        let socialist: f64 = Party::ALL
            .iter()
            .filter(|p| p.is_socialist())
            .map(|p| stats.public[p.index()])
            .sum();
        put(
            "support.public_socialist",
            &name,
            share(socialist, stats.persons),
        );
        put("legitimacy", &name, share(stats.legitimacy, stats.persons));
        put("hardship", &name, share(stats.hardship, stats.persons));
        put("active", &name, share(stats.active, stats.persons));
    }

    // The constituents of each city soviet in open revolt: Kronstadt's are its sailors.
    let mut by_city = [(0.0, 0.0); CitySoviet::ALL.len()];
    for (community, &active) in communities.list.iter().zip(&tally.community_active) {
        if let Some(city) = community.city {
            let (rebels, members) = &mut by_city[city as usize];
            *rebels += f64::from(active);
            *members += f64::from(community.members);
        }
    }
    for (city, (rebels, members)) in CitySoviet::ALL.into_iter().zip(by_city) {
        put(
            "active",
            &format!("soviet.{}", city.id()),
            share(rebels, members),
        );
    }
    let risings = risings(
        &communities,
        &tally.community_active,
        params.revolt.rising_share,
    );
    put("risings", "all", risings.iter().sum());
    for &region in Region::ALL {
        put(
            "risings",
            &format!("region.{}", region.id()),
            risings[region.index()],
        );
    }

    if state.soviets {
        let all = combined_seats(
            communities
                .list
                .iter()
                .map(|c| (&c.soviet, f64::from(c.members))),
        );
        let committees = combined_seats(
            communities
                .list
                .iter()
                .map(|c| (&c.factory_committee, f64::from(c.members))),
        );
        let petrograd_committees = combined_seats(
            communities
                .list
                .iter()
                .filter(|c| c.city == Some(CitySoviet::Petrograd))
                .map(|c| (&c.factory_committee, f64::from(c.members))),
        );
        let cities: Vec<(String, _)> = CitySoviet::ALL
            .iter()
            .map(|&city| {
                (
                    format!("soviet.{}", city.id()),
                    city_soviet(&communities, city),
                )
            })
            .collect();
        let petrograd_executive =
            executive_committee(&city_soviet(&communities, CitySoviet::Petrograd), &params);
        for &party in Party::ALL {
            let i = party.index();
            let metric = format!("soviet.share.{}", party.id());
            put(&metric, "all", f64::from(all[i]));
            for (group, seats) in &cities {
                put(&metric, group, f64::from(seats[i]));
            }
            put(
                &format!("soviet.executive.share.{}", party.id()),
                "soviet.petrograd",
                f64::from(petrograd_executive[i]),
            );
            let metric = format!("factory_committee.share.{}", party.id());
            put(&metric, "all", f64::from(committees[i]));
            put(
                &metric,
                "region.petrograd",
                f64::from(petrograd_committees[i]),
            );
        }
    }
    for &party in Party::ALL.iter().filter(|&&p| p != Party::None) {
        let metric = format!("members.{}", party.id());
        put(&metric, "all", parties.list[party.index()].members * people);
        for &region in Region::ALL {
            put(
                &metric,
                &format!("region.{}", region.id()),
                parties.by_region[region.index()][party.index()] * people,
            );
        }
    }

    let alive: f64 = tally.regions.iter().map(|r| r.alive).sum();
    let urban: f64 = tally.regions.iter().map(|r| r.urban).sum();
    let harvest: f64 = regions.list.iter().map(|r| r.harvest).sum();
    let workers: f64 = tally.regions.iter().map(|r| r.industrial_workers).sum();
    let weighted = |value: &dyn Fn(usize) -> f64, weight: &dyn Fn(usize) -> f64| {
        let total: f64 = (0..Region::COUNT).map(weight).sum();
        share(
            (0..Region::COUNT).map(|r| value(r) * weight(r)).sum(),
            total,
        )
    };
    let food = weighted(
        &|r| {
            let region = &regions.list[r];
            share(
                region.food_urban * region.urban_agents + region.food_rural * region.rural_agents,
                region.urban_agents + region.rural_agents,
            )
        },
        &|r| regions.list[r].urban_agents + regions.list[r].rural_agents,
    );
    put("population", "all", alive * people);
    put("population.urban", "all", urban * people);
    put("food.security", "all", food);
    put("harvest", "all", harvest * people);
    put(
        "sown_area",
        "all",
        weighted(&|r| regions.list[r].sown_area, &|r| {
            regions.list[r].harvest.max(1e-9)
        }),
    );
    put(
        "procurement",
        "all",
        regions.list.iter().map(|r| r.procurement).sum::<f64>() * people,
    );
    put(
        "industry.output",
        "all",
        weighted(&|r| regions.list[r].industry, &|r| start.workers[r]),
    );
    // Head counts, as the sources give them; `unemployment` is the share of them idle.
    put("workers.industrial", "all", workers * people);
    put(
        "unemployment",
        "all",
        weighted(&|r| regions.list[r].unemployment, &|r| {
            tally.regions[r].industrial_workers
        }),
    );
    // The share of its heating fuel that reaches the towns, as the townspeople feel it.
    put(
        "heating",
        "all",
        weighted(&|r| regions.list[r].heating, &|r| {
            regions.list[r].urban_agents
        }),
    );
    for &region in Region::ALL {
        let r = region.index();
        let group = format!("region.{}", region.id());
        let state_r = &regions.list[r];
        let counts = &tally.regions[r];
        put("population", &group, counts.alive * people);
        put("population.urban", &group, counts.urban * people);
        put(
            "food.security",
            &group,
            share(
                state_r.food_urban * state_r.urban_agents
                    + state_r.food_rural * state_r.rural_agents,
                state_r.urban_agents + state_r.rural_agents,
            ),
        );
        put("harvest", &group, state_r.harvest * people);
        put("sown_area", &group, state_r.sown_area);
        put("procurement", &group, state_r.procurement * people);
        put("industry.output", &group, state_r.industry);
        put(
            "workers.industrial",
            &group,
            counts.industrial_workers * people,
        );
        put("unemployment", &group, state_r.unemployment);
        put("heating", &group, state_r.heating);
        put("strikers", &group, counts.strikers * people);
        put(
            "garrison.soviet_loyalty",
            &group,
            share(counts.soldiers_socialist, counts.soldiers),
        );
    }
    put(
        "strikers",
        "all",
        tally.regions.iter().map(|r| r.strikers).sum::<f64>() * people,
    );
    let soldiers: f64 = tally.regions.iter().map(|r| r.soldiers).sum();
    let socialist: f64 = tally.regions.iter().map(|r| r.soldiers_socialist).sum();
    put("garrison.soviet_loyalty", "all", share(socialist, soldiers));

    let (members, founding) =
        communities
            .list
            .iter()
            .filter(|c| c.soviet_elected)
            .fold((0.0, 0.0), |(m, f), c| {
                (
                    m + c.vitality() * f64::from(c.founding_members),
                    f + f64::from(c.founding_members),
                )
            });
    put(
        "soviet.vitality",
        "all",
        if founding > 0.0 {
            members / founding
        } else {
            1.0
        },
    );
    put("cheka.strength", "all", state.cheka);
    put("railways", "all", state.railways);
    let threshold = params.famine.threshold;
    let hungry: f64 = regions
        .list
        .iter()
        .map(|r| {
            let town = if r.food_urban < threshold {
                r.urban_agents
            } else {
                0.0
            };
            let village = if r.food_rural < threshold {
                r.rural_agents
            } else {
                0.0
            };
            town + village
        })
        .sum();
    put("famine.affected", "all", hungry * people);
    put("deaths.famine", "all", tolls.famine * people);
    put("deaths.war", "all", tolls.war * people);
    put("deaths.repression", "all", tolls.repression * people);
    let reds: f64 = tally.regions.iter().map(|r| r.red_army).sum();
    put("army.red.size", "all", reds * people);
    put(
        "army.white.size",
        "all",
        tally.regions.iter().map(|r| r.white_army).sum::<f64>() * people,
    );
    put(
        "army.foreign.size",
        "all",
        state.foreign_army.iter().sum::<f64>() * people,
    );
    for &region in Region::ALL {
        put(
            "food_detachments",
            &format!("region.{}", region.id()),
            tally.regions[region.index()].food_detachments * people,
        );
    }
    put(
        "food_detachments",
        "all",
        tally
            .regions
            .iter()
            .map(|r| r.food_detachments)
            .sum::<f64>()
            * people,
    );
    for &class in Class::ALL {
        put(
            &format!("army.red.origin.{}", class.id()),
            "all",
            share(tally.red_by_class[class.index()], reds),
        );
    }
    put("desertion.red", "all", tolls.red_desertion * people);
    for &regime in Regime::ALL {
        put(
            &format!("regime.{}", regime.id()),
            "all",
            f64::from(u8::from(state.regime == regime)),
        );
    }
    for &side in Side::ALL {
        let held: f64 = Region::ALL
            .iter()
            .filter(|&&r| regions.get(r).control == side)
            .map(|&r| tally.regions[r.index()].alive)
            .sum();
        put(&format!("control.{}", side.id()), "all", share(held, alive));
    }
    for (metric, group, value) in announcements.take() {
        put(&metric, &group, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Community;

    /// A community of `kind` in `region` with `members` at home.
    fn community(kind: CommunityKind, region: Region, members: u32) -> Community {
        let mut community = Community::new(kind, region, None);
        community.members = members;
        community
    }

    #[test]
    fn a_rising_is_a_village_district_with_enough_of_its_people_in_revolt() {
        let communities = Communities {
            list: vec![
                community(CommunityKind::Village, Region::BlackEarth, 200),
                community(CommunityKind::Village, Region::BlackEarth, 200),
                community(CommunityKind::Village, Region::Volga, 200),
                // A factory on strike is not a peasant rising.
                community(CommunityKind::Factory, Region::Volga, 100),
                // Nor is a district emptied by famine and flight.
                community(CommunityKind::Village, Region::Volga, 0),
            ],
            home_villages: Vec::new(),
        };
        let active = [10, 9, 200, 100, 0];
        let counted = risings(&communities, &active, 0.05);
        assert_eq!(
            counted[Region::BlackEarth.index()],
            1.0,
            "10 of 200 is a rising, 9 is not"
        );
        assert_eq!(counted[Region::Volga.index()], 1.0);
        assert_eq!(counted.iter().sum::<f64>(), 2.0);
    }
}
