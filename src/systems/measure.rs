//! The measure system: every metric of the registry (`src/metrics/registry.rs`), each step,
//! by typed id. Counts are scaled back to people; the order of the rows is the order of
//! `timeseries.csv`.

use bevy_ecs::prelude::{Res, ResMut};

use crate::metrics::{Announcements, Family, GroupKey, Metric, Metrics};
use crate::model::ids::{Class, CommunityKind, GrainPolicy, Party, Regime, Region, Side};
use crate::model::params::Params;
use crate::model::tally::socialists;
use crate::model::{
    CitySoviet, Clock, Communities, Coup, Group, Parties, Regions, Rising, Seats, State, Switches,
    Tally, Tolls,
};
use crate::systems::economy::StartEconomy;
use crate::systems::revolt::estates_seized;
use crate::systems::soviets::{city_soviet, combined_seats, congress, executive_committee};
use crate::systems::DIVISOR_FLOOR;

use Family::*;

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

/// Where one step's rows go, in the order they are put.
struct Rows<'m> {
    step: u32,
    metrics: &'m mut Metrics,
}

impl Rows<'_> {
    fn put(&mut self, metric: Metric, group: GroupKey, value: f64) {
        self.metrics.push(self.step, metric, group, value);
    }
}

/// Records this step's metrics, family by family, scaled to people where they are counts.
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
    switches: Res<Switches>,
    start: Res<StartEconomy>,
    mut announcements: ResMut<Announcements>,
    mut metrics: ResMut<Metrics>,
) {
    let people = clock.people_per_agent;
    metrics.dates.push(clock.date.to_string());
    let mut out = Rows {
        step: clock.step,
        metrics: &mut metrics,
    };
    opinion(&mut out, &tally);
    revolt(&mut out, &tally, &communities, &params);
    if state.soviets {
        let standing = congress(
            &communities,
            &params,
            switches.peasants_in_congress,
            &regions,
        );
        soviets(&mut out, &communities, &params, &standing);
    }
    membership(&mut out, &parties, people);
    economy(&mut out, &tally, &regions, &start, people);
    let armed = f64::from(u8::from(switches.red_guards));
    let petrograd = &tally.regions[Region::Petrograd.index()];
    out.put(
        Metric::of(RedGuards),
        GroupKey::All,
        armed * petrograd.workers_bolshevik * people,
    );
    for (metric, happened) in [
        (CoupTaken, matches!(state.coup, Coup::Taken)),
        (CoupCollapsed, matches!(state.coup, Coup::Collapsed(_))),
        (RisingTaken, matches!(state.rising, Rising::Taken(_))),
        (RisingFailed, matches!(state.rising, Rising::Failed(_))),
    ] {
        out.put(
            Metric::of(metric),
            GroupKey::All,
            f64::from(u8::from(happened)),
        );
    }
    state_of_the_country(
        &mut out,
        &tally,
        &regions,
        &communities,
        &state,
        &tolls,
        &params,
        people,
    );
    for (metric, group, value) in announcements.take() {
        out.put(metric, group, value);
    }
}

/// Support in private and in public, legitimacy, hardship and open revolt, for every group of
/// persons.
fn opinion(out: &mut Rows, tally: &Tally) {
    for group in Group::all() {
        let stats = tally.group(group);
        let name = GroupKey::from(group);
        for &party in Party::ALL {
            out.put(
                Metric::party(SupportPrivate, party),
                name,
                share(stats.private[party.index()], stats.persons),
            );
        }
        for &party in Party::ALL {
            out.put(
                Metric::party(SupportPublic, party),
                name,
                share(stats.public[party.index()], stats.persons),
            );
        }
        out.put(
            Metric::of(SupportPublicSocialist),
            name,
            share(socialists(&stats.public), stats.persons),
        );
        out.put(
            Metric::of(Legitimacy),
            name,
            share(stats.legitimacy, stats.persons),
        );
        out.put(
            Metric::of(Hardship),
            name,
            share(stats.hardship, stats.persons),
        );
        out.put(Metric::of(Active), name, share(stats.active, stats.persons));
        out.put(
            Metric::of(Defiant),
            name,
            share(stats.defiant, stats.persons),
        );
    }
}

/// Open revolt among each city soviet's constituents, and the peasant risings.
fn revolt(out: &mut Rows, tally: &Tally, communities: &Communities, params: &Params) {
    let all = GroupKey::All;
    // The constituents of each city soviet in revolt: Kronstadt's are its sailors.
    for (metric, counts) in [
        (Active, &tally.community_active),
        (Defiant, &tally.community_defiant),
    ] {
        let mut by_city = [(0.0, 0.0); CitySoviet::ALL.len()];
        for (community, &count) in communities.list.iter().zip(counts) {
            if let Some(city) = community.city {
                let (rebels, members) = &mut by_city[city as usize];
                *rebels += f64::from(count);
                *members += f64::from(community.members);
            }
        }
        for (city, (rebels, members)) in CitySoviet::ALL.into_iter().zip(by_city) {
            out.put(
                Metric::of(metric),
                GroupKey::Soviet(city),
                share(rebels, members),
            );
        }
    }
    let risings = risings(
        communities,
        &tally.community_active,
        params.revolt.rising_share,
    );
    out.put(Metric::of(Risings), all, risings.iter().sum());
    for &region in Region::ALL {
        out.put(
            Metric::of(Risings),
            GroupKey::Region(region),
            risings[region.index()],
        );
    }
}

/// The soviets' and factory committees' seats, once the soviets exist.
/// The soviets' seats; `standing` is the Congress of Soviets a convocation this week would seat.
fn soviets(out: &mut Rows, communities: &Communities, params: &Params, standing: &Seats) {
    let seats_all = combined_seats(
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
    let cities: Vec<(GroupKey, _)> = CitySoviet::ALL
        .iter()
        .map(|&city| (GroupKey::Soviet(city), city_soviet(communities, city)))
        .collect();
    let petrograd_executive =
        executive_committee(&city_soviet(communities, CitySoviet::Petrograd), params);
    for &party in Party::ALL {
        let i = party.index();
        let metric = Metric::party(SovietShare, party);
        out.put(metric, GroupKey::All, f64::from(seats_all[i]));
        out.put(
            Metric::party(CongressStandingShare, party),
            GroupKey::All,
            f64::from(standing[i]),
        );
        for &(group, seats) in &cities {
            out.put(metric, group, f64::from(seats[i]));
        }
        out.put(
            Metric::party(SovietExecutiveShare, party),
            GroupKey::Soviet(CitySoviet::Petrograd),
            f64::from(petrograd_executive[i]),
        );
        let metric = Metric::party(FactoryCommitteeShare, party);
        out.put(metric, GroupKey::All, f64::from(committees[i]));
        out.put(
            metric,
            GroupKey::Region(Region::Petrograd),
            f64::from(petrograd_committees[i]),
        );
    }
}

/// Party members, nationally and by region.
fn membership(out: &mut Rows, parties: &Parties, people: f64) {
    let all = GroupKey::All;
    for &party in Party::ALL.iter().filter(|&&p| p != Party::None) {
        let metric = Metric::party(Members, party);
        out.put(metric, all, parties.list[party.index()].members * people);
        for &region in Region::ALL {
            out.put(
                metric,
                GroupKey::Region(region),
                parties.by_region[region.index()][party.index()] * people,
            );
        }
    }
}

/// Population, food, grain, industry, work and heating, nationally and by region.
fn economy(out: &mut Rows, tally: &Tally, regions: &Regions, start: &StartEconomy, people: f64) {
    let all = GroupKey::All;
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
    out.put(Metric::of(Population), all, alive * people);
    out.put(Metric::of(PopulationUrban), all, urban * people);
    out.put(Metric::of(FoodSecurity), all, food);
    out.put(Metric::of(Harvest), all, harvest * people);
    out.put(
        Metric::of(SownArea),
        all,
        weighted(&|r| regions.list[r].sown_area, &|r| {
            regions.list[r].harvest.max(DIVISOR_FLOOR)
        }),
    );
    out.put(
        Metric::of(Procurement),
        all,
        regions.list.iter().map(|r| r.procurement).sum::<f64>() * people,
    );
    out.put(Metric::of(LandSeized), all, estates_seized(regions, tally));
    out.put(
        Metric::of(IndustryOutput),
        all,
        weighted(&|r| regions.list[r].industry, &|r| start.workers[r]),
    );
    // Head counts, as the sources give them; `unemployment` is the share of them idle.
    out.put(Metric::of(WorkersIndustrial), all, workers * people);
    out.put(
        Metric::of(Unemployment),
        all,
        weighted(&|r| regions.list[r].unemployment, &|r| {
            tally.regions[r].industrial_workers
        }),
    );
    // The share of its heating fuel that reaches the towns, as the townspeople feel it.
    out.put(
        Metric::of(Heating),
        all,
        weighted(&|r| regions.list[r].heating, &|r| {
            regions.list[r].urban_agents
        }),
    );
    for &region in Region::ALL {
        let r = region.index();
        let group = GroupKey::Region(region);
        let state_r = &regions.list[r];
        let counts = &tally.regions[r];
        out.put(Metric::of(Population), group, counts.alive * people);
        out.put(Metric::of(PopulationUrban), group, counts.urban * people);
        out.put(
            Metric::of(FoodSecurity),
            group,
            share(
                state_r.food_urban * state_r.urban_agents
                    + state_r.food_rural * state_r.rural_agents,
                state_r.urban_agents + state_r.rural_agents,
            ),
        );
        out.put(Metric::of(Harvest), group, state_r.harvest * people);
        out.put(Metric::of(SownArea), group, state_r.sown_area);
        out.put(Metric::of(LandSeized), group, state_r.seized);
        out.put(Metric::of(Procurement), group, state_r.procurement * people);
        out.put(Metric::of(IndustryOutput), group, state_r.industry);
        out.put(
            Metric::of(WorkersIndustrial),
            group,
            counts.industrial_workers * people,
        );
        out.put(Metric::of(Unemployment), group, state_r.unemployment);
        out.put(Metric::of(Heating), group, state_r.heating);
        out.put(Metric::of(Strikers), group, counts.strikers * people);
        out.put(
            Metric::of(GarrisonSovietLoyalty),
            group,
            share(counts.soldiers_socialist, counts.soldiers),
        );
        out.put(
            Metric::of(GarrisonBolshevik),
            group,
            share(counts.soldiers_bolshevik, counts.soldiers),
        );
    }
    out.put(
        Metric::of(Strikers),
        all,
        tally.regions.iter().map(|r| r.strikers).sum::<f64>() * people,
    );
    let soldiers: f64 = tally.regions.iter().map(|r| r.soldiers).sum();
    let socialist: f64 = tally.regions.iter().map(|r| r.soldiers_socialist).sum();
    out.put(
        Metric::of(GarrisonSovietLoyalty),
        all,
        share(socialist, soldiers),
    );
    let bolshevik: f64 = tally.regions.iter().map(|r| r.soldiers_bolshevik).sum();
    out.put(
        Metric::of(GarrisonBolshevik),
        all,
        share(bolshevik, soldiers),
    );
}

/// The soviets' vitality, the Cheka, the railways, famine and deaths, the armies, the regime
/// and who holds the country.
#[allow(clippy::too_many_arguments)]
fn state_of_the_country(
    out: &mut Rows,
    tally: &Tally,
    regions: &Regions,
    communities: &Communities,
    state: &State,
    tolls: &Tolls,
    params: &Params,
    people: f64,
) {
    let all = GroupKey::All;
    let alive: f64 = tally.regions.iter().map(|r| r.alive).sum();
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
    out.put(
        Metric::of(SovietVitality),
        all,
        if founding > 0.0 {
            members / founding
        } else {
            1.0
        },
    );
    out.put(Metric::of(ChekaStrength), all, state.cheka);
    out.put(Metric::of(Railways), all, state.railways);
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
    out.put(Metric::of(FamineAffected), all, hungry * people);
    out.put(Metric::of(DeathsFamine), all, tolls.famine * people);
    out.put(Metric::of(DeathsWar), all, tolls.war * people);
    out.put(Metric::of(DeathsRepression), all, tolls.repression * people);
    let reds: f64 = tally.regions.iter().map(|r| r.red_army).sum();
    out.put(Metric::of(ArmyRedSize), all, reds * people);
    out.put(
        Metric::of(ArmyWhiteSize),
        all,
        tally.regions.iter().map(|r| r.white_army).sum::<f64>() * people,
    );
    out.put(
        Metric::of(ArmyForeignSize),
        all,
        state.foreign_army.iter().sum::<f64>() * people,
    );
    for &region in Region::ALL {
        out.put(
            Metric::of(FoodDetachments),
            GroupKey::Region(region),
            tally.regions[region.index()].food_detachments * people,
        );
    }
    out.put(
        Metric::of(FoodDetachments),
        all,
        tally
            .regions
            .iter()
            .map(|r| r.food_detachments)
            .sum::<f64>()
            * people,
    );
    for &class in Class::ALL {
        out.put(
            Metric::class(ArmyRedOrigin, class),
            all,
            share(tally.red_by_class[class.index()], reds),
        );
    }
    out.put(Metric::of(DesertionRed), all, tolls.red_desertion * people);
    let old_army: f64 = tally.regions.iter().map(|r| r.soldiers).sum();
    out.put(Metric::of(ArmyOldSize), all, old_army * people);
    for &regime in Regime::ALL {
        out.put(
            Metric::regime(Family::Regime, regime),
            all,
            f64::from(u8::from(state.regime == regime)),
        );
    }
    for &policy in GrainPolicy::ALL {
        out.put(
            Metric::grain_policy(PolicyGrain, policy),
            all,
            f64::from(u8::from(state.grain == policy)),
        );
    }
    for &party in Party::ALL.iter().filter(|&&p| p != Party::None) {
        out.put(
            Metric::party(InGovernment, party),
            all,
            f64::from(u8::from(state.in_government[party.index()])),
        );
    }
    for &side in Side::ALL {
        let held: f64 = Region::ALL
            .iter()
            .filter(|&&r| regions.get(r).control == side)
            .map(|&r| tally.regions[r.index()].alive)
            .sum();
        out.put(Metric::side(Control, side), all, share(held, alive));
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
            factories: Vec::new(),
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
