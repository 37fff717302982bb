//! Grain, food, industry, railways, the flight from the towns and famine
//! [001:147][002:93-113][004:97-127][002:193-195][003:95].

use bevy_ecs::prelude::{Res, ResMut};

use crate::model::ids::{GrainPolicy, Party, Regime, Region, RegionField, Role, WarPolicy};
use crate::model::params::Params;
use crate::model::run_state::Switches;
use crate::model::{
    Allegiance, Clock, Communities, Person, Persons, RegionState, Regions, State, Status, Tally,
    Tolls,
};
use crate::parallel::{chunks_mut, count_rows, Workers};
use crate::rng::{RunRng, Stream};
use crate::systems::allegiance::fed_from_towns;
use crate::systems::population::home_of;
use crate::systems::{DIVISOR_FLOOR, MILLION};
use rayon::prelude::*;

/// Weeks in a year: the model's steps per year, a unit, not a parameter (`Clock::week_of_year`
/// runs 0-51).
const WEEKS_PER_YEAR: f64 = 52.0;

/// Weeks until the next harvest, counting this one.
fn weeks_to_harvest(params: &Params, clock: &Clock) -> f64 {
    let harvest = params.grain.harvest_week as i64;
    let week = i64::from(clock.week_of_year());
    let ahead = (harvest - week).rem_euclid(WEEKS_PER_YEAR as i64);
    (ahead.max(1)) as f64
}

/// The start state of each region's economy: stocks as if a normal harvest came in last
/// August and a normal share of it was sold.
pub fn initial_regions(params: &Params, people_per_agent: f64) -> Regions {
    let list = Region::ALL
        .iter()
        .map(|&region| {
            let people =
                params.region(region, RegionField::Population) * MILLION / people_per_agent;
            let rural = people * (1.0 - params.region(region, RegionField::UrbanShare));
            let harvest = rural
                * WEEKS_PER_YEAR
                * params.grain.yield_per_head
                * params.region(region, RegionField::GrainYield);
            RegionState {
                control: crate::model::ids::Side::Tsar,
                peasant_stocks: harvest * params.grain.start_stocks,
                hidden_stocks: 0.0,
                state_stocks: 0.0,
                sown_area: 1.0,
                harvest,
                procurement: 0.0,
                supply_factor: 1.0,
                weather_shock: 1.0,
                extraction: params.grain.normal_extraction,
                confiscation: 0.0,
                confiscation_under_policy: 0.0,
                industry: 1.0,
                unemployment: 0.0,
                heating: 1.0,
                food_urban: 1.0,
                food_rural: 1.0,
                food_expected: 1.0,
                seized: 0.0,
                coercion: 0.0,
                national_army: 0.0,
                active_now: 0.0,
                urban_agents: people - rural,
                rural_agents: rural,
            }
        })
        .collect();
    Regions { list }
}

/// Weekly share of a region's marketable surplus the state gets under each grain policy.
/// The market and the fixed-price monopoly both get less when there are no industrial goods
/// to buy: the city gave "nothing in exchange except varicolored pieces of paper" [002:93-95];
/// requisitioning takes visible stocks and leaves only part of the village's own needs,
/// more where committees of poor peasants search and confiscate [002:95][002:99-101][004:119-127].
pub fn procurement(
    params: &Params,
    policy: GrainPolicy,
    poor_committees: bool,
    region: &RegionState,
    reserve: f64,
    industry: f64,
) -> f64 {
    let g = &params.grain;
    let visible = (region.peasant_stocks - region.hidden_stocks).max(0.0);
    let surplus = (visible - reserve).max(0.0);
    let committees = if poor_committees {
        1.0 + g.poor_committee_boost
    } else {
        1.0
    };
    let goods = goods_to_buy(g.goods_dependence, industry);
    match policy {
        GrainPolicy::FreeMarket => g.market_rate * surplus * goods,
        GrainPolicy::Monopoly => g.monopoly_rate * surplus * goods,
        GrainPolicy::Requisition => {
            committees * g.requisition_rate * (visible - g.requisition_reserve * reserve).max(0.0)
        }
        GrainPolicy::TaxInKind => g.tax_rate * surplus,
    }
}

/// The weekly grain cycle: villages eat from their stocks; the government procures under its
/// policy in the regions it holds and the railways carry what they can of it to their towns
/// and armies; in a region held by the Whites or an occupier, they buy on the market and
/// feed that region's towns; the black market fills part of the gap; food security follows.
/// Harvest and sowing come at their weeks.
pub fn grain_cycle(
    params: Res<Params>,
    clock: Res<Clock>,
    rng: Res<RunRng>,
    state: Res<State>,
    tally: Res<Tally>,
    start: Res<StartEconomy>,
    mut regions: ResMut<Regions>,
) {
    let g = &params.grain;
    let ahead = weeks_to_harvest(&params, &clock);
    let week = clock.week_of_year();
    let national_industry = national_industry(&regions, &tally);
    let government = state.regime.side();
    let governed: [bool; Region::COUNT] =
        std::array::from_fn(|r| regions.list[r].control == government);
    let mut need = [0.0; Region::COUNT];
    let mut offered = [0.0; Region::COUNT];
    let mut reserves = [0.0; Region::COUNT];
    for &region in Region::ALL {
        let counts = &tally.regions[region.index()];
        let rural = counts.village;
        let state_r = regions.get_mut(region);
        state_r.urban_agents = counts.urban;
        state_r.rural_agents = rural;
        if week == params.grain.sowing_week as u32 {
            // They stop sowing what would be taken, not their own bread.
            let own_bread = 1.0 / grown_per_head(&params, region);
            let target = (1.0 - g.sowing_response * state_r.confiscation_under_policy.min(1.0))
                .max(own_bread)
                .clamp(0.0, 1.0);
            let recovered = state_r.sown_area + g.recovery_rate * (1.0 - state_r.sown_area);
            state_r.sown_area = target.min(recovered);
        }
        if week == params.grain.harvest_week as u32 && clock.step > 0 {
            let mut draws = rng.draws(Stream::Weather, region.index() as u32, clock.step);
            let weather = (1.0 + g.weather_sd * draws.normal()).max(0.0) * state_r.weather_shock;
            state_r.weather_shock = 1.0;
            let field = params.region(region, RegionField::GrainYield);
            state_r.harvest =
                rural * WEEKS_PER_YEAR * g.yield_per_head * field * state_r.sown_area * weather;
            state_r.extraction = 0.0;
            state_r.confiscation = 0.0;
            state_r.confiscation_under_policy = 0.0;
            state_r.peasant_stocks += state_r.harvest;
        }
        // Households ration what they have to last until the next harvest.
        let reserve = rural * ahead;
        reserves[region.index()] = reserve;
        state_r.food_rural = (state_r.peasant_stocks / reserve.max(1.0)).min(1.0);
        state_r.peasant_stocks = (state_r.peasant_stocks - rural * state_r.food_rural).max(0.0);
        state_r.hidden_stocks = state_r.hidden_stocks.min(state_r.peasant_stocks);
        let governed = governed[region.index()];
        let policy = if governed {
            state.grain
        } else {
            GrainPolicy::FreeMarket
        };
        if matches!(policy, GrainPolicy::Monopoly | GrainPolicy::Requisition) {
            state_r.hidden_stocks += g.hide_rate * (state_r.peasant_stocks - state_r.hidden_stocks);
        }
        let committees = governed && state.poor_committees;
        offered[region.index()] = procurement(
            &params,
            policy,
            committees,
            state_r,
            reserve,
            national_industry,
        )
        .min(state_r.peasant_stocks);
        need[region.index()] = counts.town_need(g.army_ration);
    }
    let quota = if state.grain == GrainPolicy::Requisition {
        requisition_shares(&params, &regions, &governed, &need, &offered)
    } else {
        [1.0; Region::COUNT]
    };
    let unpaid = uncompensated(g.goods_dependence, state.grain, national_industry);
    let mut leftover_surplus = 0.0;
    for (r, state_r) in regions.list.iter_mut().enumerate() {
        let taken = offered[r] * if governed[r] { quota[r] } else { 1.0 };
        state_r.peasant_stocks -= taken;
        state_r.procurement = taken;
        if governed[r] && state_r.harvest > 0.0 {
            state_r.extraction += taken / state_r.harvest;
            let confiscated = unpaid * taken / (g.normal_extraction * state_r.harvest);
            state_r.confiscation += confiscated;
            state_r.confiscation_under_policy += confiscated;
        }
        state_r.state_stocks += taken;
        leftover_surplus += (state_r.peasant_stocks - state_r.hidden_stocks - reserves[r]).max(0.0);
    }
    let freight = state.railways * start.town_need;
    let supplied = deliver_grain(&mut regions, &governed, &need, ahead, freight);
    let town_need: f64 = need.iter().sum();
    // The bagmen ride the same trains as the state's grain.
    let shipped: f64 = supplied.iter().zip(need).map(|(s, n)| s * n).sum();
    let black_market =
        (g.black_market * leftover_surplus).min((freight - shipped).max(0.0)) / town_need.max(1.0);
    for (state_r, supplied) in regions.list.iter_mut().zip(supplied) {
        let fed = supplied + black_market.min(1.0 - supplied.min(1.0));
        state_r.food_urban = (fed * state_r.supply_factor).clamp(g.town_foraging, 1.0);
        state_r.supply_factor += g.supply_recovery * (1.0 - state_r.supply_factor);
        state_r.food_expected +=
            params.industry.expectation_rate * (state_r.food_urban - state_r.food_expected);
    }
}

/// The share of the grain a policy takes that is confiscated: taken from what the peasants
/// grow for sale without anything in return. The market pays; the fixed-price monopoly pays
/// in paper money that buys little when the factories make little to sell [002:93-95];
/// requisitioning pays nothing. A tax in kind is a fixed due, and what is left the peasant
/// may sell [001:127]: it confiscates nothing (what it takes still costs legitimacy, as
/// any take does).
pub fn uncompensated(goods_dependence: f64, policy: GrainPolicy, industry: f64) -> f64 {
    match policy {
        GrainPolicy::FreeMarket | GrainPolicy::TaxInKind => 0.0,
        GrainPolicy::Monopoly => 1.0 - goods_to_buy(goods_dependence, industry),
        GrainPolicy::Requisition => 1.0,
    }
}

/// What money from grain is worth to the peasant, 0-1: paper money buys him nothing when the
/// factories make nothing to sell him, as far as his sales depend on goods to buy
/// (`grain.goods_dependence`) [002:93-95].
pub fn goods_to_buy(goods_dependence: f64, industry: f64) -> f64 {
    1.0 - goods_dependence * (1.0 - industry.min(1.0))
}

/// What a villager of `region` grows in a year with all the land sown and normal weather, in
/// years of their own bread.
fn grown_per_head(params: &Params, region: Region) -> f64 {
    params.grain.yield_per_head * params.region(region, RegionField::GrainYield)
}

/// The regions the government holds, with their indices.
fn held_by_government<'a>(
    regions: &'a Regions,
    governed: &'a [bool; Region::COUNT],
) -> impl Iterator<Item = (usize, &'a RegionState)> {
    regions
        .list
        .iter()
        .enumerate()
        .filter(|(r, _)| governed[*r])
}

/// The razverstka, by region: the share of what the food detachments could take this week
/// that they do take. The year's quota, the government's towns' and armies' need for a year
/// `grain.quota_factor` times over, is allotted among the regions it holds by the surplus
/// their villages grow in a normal year (their people times what a head grows beyond its
/// own bread), not by this year's harvest, so a region whose harvest fails owes the same;
/// the detachments collect each region's allotment, less what they have taken there since
/// the harvest, and stop there [002:95][004:119-127].
fn requisition_shares(
    params: &Params,
    regions: &Regions,
    governed: &[bool; Region::COUNT],
    need: &[f64; Region::COUNT],
    offered: &[f64; Region::COUNT],
) -> [f64; Region::COUNT] {
    let g = &params.grain;
    let normal_surplus: [f64; Region::COUNT] = std::array::from_fn(|r| {
        regions.list[r].rural_agents * (grown_per_head(params, Region::ALL[r]) - 1.0).max(0.0)
    });
    let (mut wanted, mut surplus) = (0.0, 0.0);
    for (r, _) in held_by_government(regions, governed) {
        wanted += g.quota_factor * need[r] * WEEKS_PER_YEAR;
        surplus += normal_surplus[r];
    }
    std::array::from_fn(|r| {
        let state_r = &regions.list[r];
        if !governed[r] || offered[r] <= 0.0 || surplus <= 0.0 {
            return 0.0;
        }
        let allotment = wanted * normal_surplus[r] / surplus;
        let collected = state_r.extraction * state_r.harvest;
        ((allotment - collected).max(0.0) / offered[r]).min(1.0)
    })
}

/// Feeds a week of state grain to those who live on it (`need`, by region) and returns the
/// share of each region's need met. Like the villages, the holders spread their stocks over
/// the `ahead` weeks to the harvest rather than feed everyone in full until they run out.
/// The government pools the grain of the regions it holds (`governed`) and the railways
/// carry at most `freight` a week of it to their towns and armies (a share of their start
/// freight, whoever is left to eat it), drawing on each region's store in proportion to
/// what it holds; what is not yet carried stays where it was collected, so a region lost
/// takes its store with it (at Brest, the grain Ukraine's villages gave up) [004:67-69]. A
/// region held by another side eats only its own grain: none crosses the front (model assumption).
fn deliver_grain(
    regions: &mut Regions,
    governed: &[bool; Region::COUNT],
    need: &[f64; Region::COUNT],
    ahead: f64,
    freight: f64,
) -> [f64; Region::COUNT] {
    let (mut stocks, mut pool_need) = (0.0, 0.0);
    for (r, state_r) in held_by_government(regions, governed) {
        stocks += state_r.state_stocks;
        pool_need += need[r];
    }
    let delivered = (stocks / ahead).min(pool_need).min(freight);
    let kept = if stocks > 0.0 {
        1.0 - delivered / stocks
    } else {
        1.0
    };
    std::array::from_fn(|r| {
        let state_r = &mut regions.list[r];
        let eaten = if governed[r] {
            state_r.state_stocks *= kept;
            delivered * need[r] / pool_need.max(DIVISOR_FLOOR)
        } else {
            let eaten = (state_r.state_stocks / ahead).min(need[r]);
            state_r.state_stocks -= eaten;
            eaten
        };
        if need[r] > 0.0 {
            eaten / need[r]
        } else {
            1.0
        }
    })
}

/// Output-weighted national industry, 1913 = 1.
pub fn national_industry(regions: &Regions, tally: &Tally) -> f64 {
    let workers: f64 = tally.regions.iter().map(|r| r.industrial_workers).sum();
    if workers <= 0.0 {
        return regions.list.iter().map(|r| r.industry).sum::<f64>() / regions.list.len() as f64;
    }
    regions
        .list
        .iter()
        .zip(tally.regions.iter())
        .map(|(r, t)| r.industry * t.industrial_workers / workers)
        .sum()
}

/// The share of the empire's fuel and raw materials a region can draw on: what the mines of
/// the regions held by the same side dig, each as far as its own workers' `labour` goes
/// (the miners leave hungry towns too) [002:193][004:67-69].
pub fn fuel_available(
    params: &Params,
    regions: &Regions,
    labour: &[f64; Region::COUNT],
    region: Region,
) -> f64 {
    let side = regions.get(region).control;
    Region::ALL
        .iter()
        .filter(|&&r| regions.get(r).control == side)
        .map(|&r| params.region(r, RegionField::Fuel) * labour[r.index()])
        .sum::<f64>()
        .min(1.0)
}

/// Industry moves toward what its scarcest input allows, each measured against the start
/// (a bottleneck, not a product: a factory short of coal is not made idler by also being
/// short of wagons): fuel and raw materials from the regions its side holds, freight on the
/// railways, and the labour of the workers still in the towns, which hunger cuts. The share
/// of the workers' normal output not made is counted as idle workers: unemployment
/// [002:193][001:147][004:113][004:95].
///
/// `industry.adjust_rate` is how fast output closes the gap to that target.
pub fn run_industry(
    params: Res<Params>,
    state: Res<State>,
    tally: Res<Tally>,
    start: Res<StartEconomy>,
    mut regions: ResMut<Regions>,
) {
    let i = &params.industry;
    let workforce = workforce(&tally, &start);
    let labour = labour(&regions, &workforce);
    for &region in Region::ALL {
        let workforce = workforce[region.index()];
        let fuel = fuel_available(&params, &regions, &labour, region);
        let state_r = regions.get_mut(region);
        // Coal and wood for the stoves come by the same trains from the same mines.
        state_r.heating = state.railways.min(fuel);
        let target = state_r.heating.min(labour[region.index()]);
        state_r.industry += i.adjust_rate * (target - state_r.industry);
        state_r.unemployment = if workforce > 0.0 {
            (1.0 - state_r.industry / workforce).clamp(0.0, 1.0)
        } else {
            0.0
        };
    }
}

/// Railway capacity: a share of what is left wears out each week a war goes on (engines and
/// track go unrepaired); it mends in peace, as fast as industry can make the rails, engines
/// and coal the repairs need, so a ruined industry leaves the railways ruined after the war
/// is over [001:147][002:193]; where grain and goods are traded freely ([`grain_traded`]),
/// also a little however little industry makes (private workshops and cooperatives patch
/// engines and track), so the two do not hold each other down for good: NEP "allowed
/// production to rise" [001:127].
///
/// `industry.railway_decay` is the weekly wear; `industry.railway_repair` the weekly share of
/// the damage mended when industry works at its pre-war level; `industry.railway_patching`
/// the weekly share mended under free trade whatever industry makes.
pub fn run_railways(
    params: Res<Params>,
    switches: Res<Switches>,
    tally: Res<Tally>,
    regions: Res<Regions>,
    mut state: ResMut<State>,
) {
    let at_war = matches!(state.war, WarPolicy::Fighting | WarPolicy::Offensive)
        || switches.civil_war_active;
    let i = &params.industry;
    state.railways = if at_war {
        state.railways * (1.0 - i.railway_decay)
    } else {
        let industry = national_industry(&regions, &tally).min(1.0);
        let patching = if grain_traded(&state) {
            i.railway_patching
        } else {
            0.0
        };
        let repair = i.railway_repair * industry + patching;
        state.railways + repair.min(1.0) * (1.0 - state.railways)
    };
}

/// Whether grain, and so goods, is traded freely: the market, or NEP's tax in kind, after
/// which the peasant may sell the rest [001:127]; not under the monopoly or requisitioning.
fn grain_traded(state: &State) -> bool {
    matches!(
        state.grain,
        GrainPolicy::FreeMarket | GrainPolicy::TaxInKind
    )
}

/// The industrial workers at work in each region's towns, as a share of its start workforce
/// (at most 1).
fn workforce(tally: &Tally, start: &StartEconomy) -> [f64; Region::COUNT] {
    std::array::from_fn(|r| {
        (tally.regions[r].industrial_workers / start.workers[r].max(1.0)).min(1.0)
    })
}

/// What each region's workers at work give, as fed: their share of the start workforce times
/// the towns' food security (hunger cuts labour).
fn labour(regions: &Regions, workforce: &[f64; Region::COUNT]) -> [f64; Region::COUNT] {
    std::array::from_fn(|r| workforce[r] * regions.list[r].food_urban)
}

/// The factories hiring from one region's villages ([`openings`]).
#[derive(Debug, Clone, Default)]
struct Openings {
    /// Each town and the jobs its factories could fill, as a share of its start workforce.
    towns: Vec<(Region, f64)>,
    /// Their sum.
    total: f64,
}

/// Where workers who went back to the villages of each region could find work again: for each
/// home region, the regions whose factories drew their workers from it (`population::home_of`)
/// and the jobs those factories could fill beyond the workers at work, as a share of their
/// start workforce: what fuel and freight allow (`heating`) above what labour gives. None
/// where grain is not traded freely (requisitioning, the monopoly): the towns cannot feed
/// newcomers [002:227][001:127].
fn openings(
    state: &State,
    regions: &Regions,
    tally: &Tally,
    start: &StartEconomy,
) -> [Openings; Region::COUNT] {
    let traded = grain_traded(state);
    let labour = labour(regions, &workforce(tally, start));
    std::array::from_fn(|home| {
        if !traded {
            return Openings::default();
        }
        let towns: Vec<(Region, f64)> = Region::ALL
            .iter()
            .filter(|&&town| home_of(town).index() == home && start.workers[town.index()] > 0.0)
            .map(|&town| {
                let open = regions.get(town).heating - labour[town.index()];
                (town, open.max(0.0))
            })
            .filter(|&(_, open)| open > 0.0)
            .collect();
        let total = towns.iter().map(|&(_, open)| open).sum();
        Openings { towns, total }
    })
}

/// The economy at the start, the yardstick for output and freight.
#[derive(Debug, Clone, bevy_ecs::prelude::Resource)]
pub struct StartEconomy {
    /// Industrial workers of each region, in agents.
    pub workers: [f64; Region::COUNT],
    /// Who lived on shipped grain ([`crate::model::RegionTally::town_need`]), in agents.
    pub town_need: f64,
}

/// Town people leave for the villages when the town has stopped feeding them (the food they
/// have come to expect, `industry.expectation_rate`), and idle workers too; those with village ties
/// most, the others as far as they can find food elsewhere (`industry.tieless_flight`);
/// famine kills where food security falls below the threshold (for townspeople, soldiers
/// and sailors the shipped grain's, for villagers the village's)
/// [002:107-111][004:97-113][003:95]. Workers in the villages go back to the factories where
/// they hire again and grain is traded freely ([`openings`]), at `industry.return_rate` a week
/// per share of the workforce the factories could take on [002:227][002:231].
pub fn hunger_and_flight(
    params: Res<Params>,
    clock: Res<Clock>,
    rng: Res<RunRng>,
    state: Res<State>,
    tally: Res<Tally>,
    start: Res<StartEconomy>,
    regions: Res<Regions>,
    communities: Res<Communities>,
    mut tolls: ResMut<Tolls>,
    workers: Option<Res<Workers>>,
    mut persons: ResMut<Persons>,
) {
    let week = HungerWeek {
        params: &params,
        step: clock.step,
        rng: &rng,
        regions: &regions,
        communities: &communities,
        openings: openings(&state, &regions, &tally, &start),
        famine_death: famine_death_chances(&params, &regions),
    };
    let deaths = count_rows(&mut persons, workers.as_deref(), |(person, status, ..)| {
        week.starve_or_flee(person, status)
    });
    tolls.famine += f64::from(deaths);
}

/// What hunger and flight read in one week.
struct HungerWeek<'a> {
    params: &'a Params,
    step: u32,
    rng: &'a RunRng,
    regions: &'a Regions,
    communities: &'a Communities,
    /// By home region: the towns hiring and their openings ([`openings`]).
    openings: [Openings; Region::COUNT],
    /// [`famine_death_chances`].
    famine_death: FamineDeathChances,
}

/// Each region's weekly chance of death by famine, for those fed from the village's stocks
/// (0) and from the towns' (1); none where there is no shortfall.
type FamineDeathChances = [[Option<f64>; 2]; Region::COUNT];

/// The weekly chance of death by famine: `famine.death_rate` times the square of the
/// shortfall of food below `famine.subsistence` (as a share of it), by region and by whom
/// it feeds ([`FamineDeathChances`]); the same for everyone so fed, so computed once a week
/// [002:107-111][004:97-113].
fn famine_death_chances(params: &Params, regions: &Regions) -> FamineDeathChances {
    let f = &params.famine;
    std::array::from_fn(|r| {
        let region = &regions.list[r];
        [region.food_rural, region.food_urban].map(|food| {
            let shortfall = ((f.subsistence - food) / f.subsistence.max(DIVISOR_FLOOR)).max(0.0);
            (shortfall > 0.0).then_some(f.death_rate * shortfall * shortfall)
        })
    })
}

impl HungerWeek<'_> {
    /// One person may die of famine or, in a town, flee to their village, or go back from the
    /// village to a factory; true if they died.
    #[inline(always)]
    fn starve_or_flee(&self, person: &mut Person, status: &mut Status) -> bool {
        let HungerWeek {
            params,
            step,
            rng,
            regions,
            communities,
            ..
        } = *self;
        if !status.role.is_alive() || status.role == Role::Jailed {
            return false;
        }
        let region = regions.get(person.region);
        let urban = communities.list[person.community as usize].is_urban();
        let fed = usize::from(fed_from_towns(urban, status.role));
        // No shortfall, no chance of death: the draw (the person's own) is skipped.
        let dies = self.famine_death[person.region.index()][fed]
            .is_some_and(|death| rng.draws(Stream::Famine, person.id, step).chance(death));
        if dies {
            status.role = Role::Dead;
            status.active = false;
            return true;
        }
        if urban && status.role == Role::Civilian {
            let i = &params.industry;
            let unemployed = if person.class.is_worker() {
                region.unemployment
            } else {
                0.0
            };
            // They leave a town that has stopped feeding them, not one short of bread for
            // a few weeks.
            let push =
                i.exodus_rate * (1.0 - region.food_expected) + i.unemployment_push * unemployed;
            let reach = i.tieless_flight + (1.0 - i.tieless_flight) * f64::from(person.village_tie);
            if rng
                .draws(Stream::Migration, person.id, step)
                .chance(push * reach)
            {
                communities.send_home(person);
                person.industrial = false;
            }
        } else if !urban && status.role == Role::Civilian && person.class.is_worker() {
            self.go_back_to_work(person);
        }
        false
    }

    /// A worker in a village goes back to a factory of a town hiring from their region, with
    /// chance `industry.return_rate` times the openings there (at most 1 in all), to a town
    /// drawn in proportion to its openings.
    fn go_back_to_work(&self, person: &mut Person) {
        let Openings { towns, total } = &self.openings[person.region.index()];
        if *total <= 0.0 {
            return;
        }
        let mut draws = self.rng.draws(Stream::Return, person.id, self.step);
        if !draws.chance(self.params.industry.return_rate * total.min(1.0)) {
            return;
        }
        let mut pick = draws.uniform() * total;
        if let Some(&(town, _)) = towns.iter().find(|&&(_, open)| {
            pick -= open;
            pick < 0.0
        }) {
            self.communities.send_to_factory(person, town);
        }
    }
}

/// Food detachments: while grain is requisitioned under Sovnarkom, convinced Bolshevik
/// workers in the towns leave for the villages with the detachments
/// (`grain.detachment_rate` a week) and come back after `grain.detachment_weeks` on
/// average, or when requisitioning ends. Away, they neither vote in their soviet nor count
/// among its members, so the towns' soviets and party are hollowed out: Petrograd gave
/// 20,000 "select" workers and refused 10,000 more for fear of "wiping out entirely the
/// party's base in the city" [004:119-123][003:97].
pub fn dispatch_food_detachments(
    params: Res<Params>,
    clock: Res<Clock>,
    rng: Res<RunRng>,
    state: Res<State>,
    tally: Res<Tally>,
    communities: Res<Communities>,
    workers: Option<Res<Workers>>,
    mut persons: ResMut<Persons>,
) {
    let g = &params.grain;
    let requisitioning =
        state.regime == Regime::Sovnarkom && state.grain == GrainPolicy::Requisition;
    let away: f64 = tally.regions.iter().map(|r| r.food_detachments).sum();
    if !requisitioning && away == 0.0 {
        return;
    }
    let back = if requisitioning {
        1.0 / g.detachment_weeks.max(1.0)
    } else {
        1.0
    };
    let dispatch = |person: &Person, status: &mut Status, allegiance: &Allegiance| {
        let leaves = requisitioning
            && status.role == Role::Civilian
            && person.class.is_worker()
            && allegiance.private == Party::Bolsheviks
            && communities.list[person.community as usize].is_urban();
        let returns = status.role == Role::FoodDetachment;
        if !leaves && !returns {
            return;
        }
        let mut draws = rng.draws(Stream::FoodDetachments, person.id, clock.step);
        if leaves && draws.chance(g.detachment_rate) {
            status.role = Role::FoodDetachment;
        } else if returns && draws.chance(back) {
            status.role = Role::Civilian;
        }
    };
    chunks_mut(&mut persons, 0, workers.as_deref()).for_each(|mut rows| {
        for (person, status, allegiance, ..) in rows.iter_mut() {
            dispatch(person, status, allegiance);
        }
    });
}

#[cfg(test)]
mod tests {
    use bevy_ecs::prelude::World;
    use bevy_ecs::system::RunSystemOnce;

    use super::*;
    use crate::model::ids::Side;

    /// A world of default parameters with these resources, the railways at `railways`.
    fn world_with(regions: Regions, tally: Tally, railways: f64, start: StartEconomy) -> World {
        let mut state = State::tsarist();
        state.railways = railways;
        let mut world = World::new();
        world.insert_resource(Switches::new(&Params::default()));
        world.insert_resource(Params::default());
        world.insert_resource(regions);
        world.insert_resource(tally);
        world.insert_resource(state);
        world.insert_resource(start);
        world
    }

    /// Moscow after two years of [`run_industry`] in a world where every region is the
    /// Soviets', with town food security `food`, railways at `railways`, and in each region
    /// `workers` industrial workers at work in the towns of the 100 there at the start.
    fn moscow_after_two_years(railways: f64, food: f64, workers: f64) -> RegionState {
        let params = Params::default();
        let mut regions = initial_regions(&params, 1000.0);
        for region in &mut regions.list {
            region.control = Side::Soviet;
            region.food_urban = food;
        }
        let (tally, start) = workers_at_work(workers);
        let mut world = world_with(regions, tally, railways, start);
        for _ in 0..104 {
            world
                .run_system_once(run_industry)
                .expect("run_industry runs");
        }
        world.resource::<Regions>().get(Region::Moscow).clone()
    }

    #[test]
    fn industry_makes_what_its_scarcest_input_allows() {
        let output =
            |railways, food, workers| moscow_after_two_years(railways, food, workers).industry;
        // Each input alone at 0.4 holds output to 0.4; hunger and broken railways together
        // do not multiply.
        assert!((output(0.4, 1.0, 100.0) - 0.4).abs() < 0.01);
        assert!((output(1.0, 0.4, 100.0) - 0.4).abs() < 0.01);
        assert!((output(0.4, 0.5, 100.0) - 0.4).abs() < 0.01);
        // Half the workers gone: half the labour, and half the miners, so half the fuel.
        assert!((output(1.0, 1.0, 50.0) - 0.5).abs() < 0.01);
    }

    #[test]
    fn the_towns_get_the_heating_fuel_the_mines_dig_and_the_railways_carry() {
        let heating =
            |railways, food, workers| moscow_after_two_years(railways, food, workers).heating;
        assert!((heating(0.3, 1.0, 100.0) - 0.3).abs() < 1e-9);
        // Hungry miners dig less: labour at 0.5 leaves half the coal.
        assert!((heating(1.0, 0.5, 100.0) - 0.5).abs() < 1e-9);
        assert!((heating(1.0, 1.0, 100.0) - 1.0).abs() < 1e-9);
    }

    /// Runs one week of [`grain_cycle`] on 1 February 1919, 29 weeks before the harvest.
    fn run_grain_cycle_on_1_february_1919(world: &mut World) {
        world.insert_resource(RunRng::new(1));
        world.insert_resource(Clock {
            step: 100,
            date: crate::date::Date::from_ymd(1919, 2, 1).expect("a valid date"),
            people_per_agent: 1000.0,
        });
        world
            .run_system_once(grain_cycle)
            .expect("grain_cycle runs");
    }

    /// Town food security after one week of [`grain_cycle`] on 1 February 1919, 29 weeks
    /// before the harvest: each region has 100 townspeople and no peasants (no procurement,
    /// no black market), `stocks` of state grain in all, railways at `railways`, and
    /// `start_need` eaters of shipped grain at the start.
    fn town_food(railways: f64, start_need: f64, stocks: f64) -> f64 {
        let params = Params::default();
        let mut regions = initial_regions(&params, 1000.0);
        for region in &mut regions.list {
            region.peasant_stocks = 0.0;
            region.state_stocks = stocks / Region::COUNT as f64;
        }
        let mut tally = Tally::new(0);
        for region in &mut tally.regions {
            region.alive = 100.0;
            region.urban = 100.0;
        }
        let start = StartEconomy {
            workers: [100.0; Region::COUNT],
            town_need: start_need,
        };
        let mut world = world_with(regions, tally, railways, start);
        run_grain_cycle_on_1_february_1919(&mut world);
        world.resource::<Regions>().get(Region::Moscow).food_urban
    }

    #[test]
    fn the_railways_carry_a_share_of_their_start_freight_whoever_is_left() {
        let plenty = 1e9;
        // Half the railways for as many eaters as at the start: half fed.
        assert!((town_food(0.5, 1000.0, plenty) - 0.5).abs() < 1e-6);
        // The same railways once half the eaters are gone: all fed.
        assert!((town_food(0.5, 2000.0, plenty) - 1.0).abs() < 1e-6);
    }

    #[test]
    fn the_state_spreads_its_stocks_over_the_weeks_to_the_harvest() {
        // Enough grain for half of the 29 weeks' needs of 1000 eaters: half rations now.
        let food = town_food(1.0, 1000.0, 1000.0 * 29.0 * 0.5);
        assert!((food - 0.5).abs() < 0.02, "{food}");
    }

    #[test]
    fn the_state_grain_stays_where_it_was_collected_until_the_trains_carry_it() {
        let mut regions = soviet_regions();
        for region in &mut regions.list {
            region.state_stocks = 0.0;
        }
        regions.get_mut(Region::Ukraine).state_stocks = 1000.0;
        let need = [10.0; Region::COUNT];
        let mut governed = [true; Region::COUNT];
        // Ten weeks to the harvest: 100 a week for the 100 who need it, all from Ukraine.
        let fed = deliver_grain(&mut regions, &governed, &need, 10.0, 1e9);
        assert!(fed.iter().all(|&f| (f - 1.0).abs() < 1e-9));
        assert!((regions.get(Region::Ukraine).state_stocks - 900.0).abs() < 1e-9);
        assert_eq!(regions.get(Region::Moscow).state_stocks, 0.0);
        // Ukraine lost: its store goes with it, and the government's towns go unfed.
        regions.get_mut(Region::Ukraine).control = Side::German;
        governed[Region::Ukraine.index()] = false;
        let fed = deliver_grain(&mut regions, &governed, &need, 9.0, 1e9);
        assert_eq!(fed[Region::Moscow.index()], 0.0);
        assert_eq!(fed[Region::Ukraine.index()], 1.0);
    }

    /// The start regions, all held by the Soviets, nothing yet taken from this harvest.
    fn soviet_regions() -> Regions {
        let mut regions = initial_regions(&Params::default(), 1000.0);
        for region in &mut regions.list {
            region.control = Side::Soviet;
            region.extraction = 0.0;
        }
        regions
    }

    #[test]
    fn the_soviets_requisition_only_where_they_hold_the_land() {
        let mut regions = soviet_regions();
        regions.get_mut(Region::Ukraine).control = Side::German;
        let mut tally = Tally::new(0);
        for region in &mut tally.regions {
            region.alive = 200.0;
            region.urban = 100.0;
            region.village = 100.0;
        }
        let start = StartEconomy {
            workers: [100.0; Region::COUNT],
            town_need: 1000.0,
        };
        let mut world = world_with(regions, tally, 1.0, start);
        {
            let mut state = world.resource_mut::<State>();
            state.regime = Regime::Sovnarkom;
            state.grain = GrainPolicy::Requisition;
        }
        run_grain_cycle_on_1_february_1919(&mut world);
        let regions = world.resource::<Regions>();
        assert!(regions.get(Region::BlackEarth).extraction > 0.0);
        // Under the occupier the villages sell on the market, and the Soviet state has taken
        // nothing they could hold against it.
        assert_eq!(regions.get(Region::Ukraine).extraction, 0.0);
        assert!(regions.get(Region::Ukraine).procurement > 0.0);
    }

    #[test]
    fn the_razverstka_allots_the_quota_by_normal_surplus_and_stops_when_it_is_met() {
        let params = Params::default();
        let mut regions = soviet_regions();
        for region in &mut regions.list {
            region.harvest = 100_000.0;
            region.rural_agents = 100.0;
        }
        let need = [10.0; Region::COUNT];
        let offered = [1e6; Region::COUNT];
        let governed = [true; Region::COUNT];
        let shares =
            |regions: &Regions| requisition_shares(&params, regions, &governed, &need, &offered);
        let surplus_per_head = |region| grown_per_head(&params, region) - 1.0;
        let fresh = shares(&regions);
        // The capitals grow no grain and are allotted none; the black earth is allotted more
        // than the central industrial region as its villages grow more than they eat.
        assert_eq!(fresh[Region::Petrograd.index()], 0.0);
        let ratio = fresh[Region::BlackEarth.index()] / fresh[Region::CentralIndustrial.index()];
        let expected =
            surplus_per_head(Region::BlackEarth) / surplus_per_head(Region::CentralIndustrial);
        assert!((ratio - expected).abs() < 1e-9);
        // The year's quota is the towns' and armies' need `quota_factor` times over.
        let allotted: f64 = fresh.iter().zip(offered).map(|(s, o)| s * o).sum();
        let wanted = params.grain.quota_factor * 10.0 * Region::COUNT as f64 * WEEKS_PER_YEAR;
        assert!((allotted - wanted).abs() < 1e-6 * wanted);
        // Once a region has delivered its allotment the detachments take nothing more there.
        let black_earth = regions.get_mut(Region::BlackEarth);
        black_earth.extraction = fresh[Region::BlackEarth.index()] * 1e6 / 100_000.0;
        let after = shares(&regions);
        assert!(after[Region::BlackEarth.index()].abs() < 1e-12);
        assert_eq!(
            after[Region::CentralIndustrial.index()],
            fresh[Region::CentralIndustrial.index()]
        );
    }

    #[test]
    fn only_requisitioning_and_worthless_money_confiscate() {
        let goods_dependence = 0.7;
        let unpaid = |policy, industry| uncompensated(goods_dependence, policy, industry);
        assert_eq!(unpaid(GrainPolicy::FreeMarket, 0.2), 0.0);
        assert_eq!(unpaid(GrainPolicy::TaxInKind, 0.2), 0.0);
        assert_eq!(unpaid(GrainPolicy::Requisition, 1.0), 1.0);
        assert_eq!(unpaid(GrainPolicy::Monopoly, 1.0), 0.0);
        assert!((unpaid(GrainPolicy::Monopoly, 0.0) - goods_dependence).abs() < 1e-12);
    }

    /// A tally of `at_work` industrial workers in every region, of a start workforce of 100.
    fn workers_at_work(at_work: f64) -> (Tally, StartEconomy) {
        let mut tally = Tally::new(0);
        for region in &mut tally.regions {
            region.industrial_workers = at_work;
        }
        let start = StartEconomy {
            workers: [100.0; Region::COUNT],
            town_need: 0.0,
        };
        (tally, start)
    }

    /// The railways after a year of peace from a quarter of their capacity, with every
    /// region's industry at `industry`, under the grain policy `grain`.
    fn railways_after_a_year_of_peace(industry: f64, grain: GrainPolicy) -> f64 {
        let params = Params::default();
        let mut regions = initial_regions(&params, 1000.0);
        for region in &mut regions.list {
            region.industry = industry;
        }
        let (tally, start) = workers_at_work(100.0);
        let mut world = world_with(regions, tally, 0.25, start);
        world.resource_mut::<State>().war = WarPolicy::Peace;
        world.resource_mut::<State>().grain = grain;
        for _ in 0..52 {
            world
                .run_system_once(run_railways)
                .expect("run_railways runs");
        }
        world.resource::<State>().railways
    }

    #[test]
    fn workers_go_back_only_where_grain_is_traded_and_fuel_and_freight_allow_more_work() {
        let params = Params::default();
        let mut regions = initial_regions(&params, 1000.0);
        for region in &mut regions.list {
            region.heating = 0.5;
            region.food_urban = 1.0;
        }
        let (tally, start) = workers_at_work(30.0);
        let mut state = State::tsarist();
        state.grain = GrainPolicy::Requisition;
        let closed = openings(&state, &regions, &tally, &start);
        assert!(closed.iter().all(|o| o.towns.is_empty() && o.total == 0.0));
        state.grain = GrainPolicy::TaxInKind;
        let open = openings(&state, &regions, &tally, &start);
        // The capitals hire from the villages of the central industrial region, with their
        // own factories: 0.5 of the workforce allowed, 0.3 at work.
        let central: Vec<Region> = open[Region::CentralIndustrial.index()]
            .towns
            .iter()
            .map(|&(town, open)| {
                assert!((open - 0.2).abs() < 1e-12);
                town
            })
            .collect();
        assert_eq!(
            central,
            [Region::Petrograd, Region::Moscow, Region::CentralIndustrial]
        );
        assert!(open[Region::Petrograd.index()].towns.is_empty());
    }

    #[test]
    fn the_railways_mend_as_fast_as_industry_makes_what_repairs_need() {
        let mended =
            |industry| railways_after_a_year_of_peace(industry, GrainPolicy::Requisition) - 0.25;
        // At pre-war output a year mends 1 - 0.99^52 of the damage, about 41 %.
        assert!((mended(1.0) - 0.75 * 0.407).abs() < 0.01, "{}", mended(1.0));
        // At a fifth of it, about a fifth as much.
        let ratio = mended(0.2) / mended(1.0);
        assert!((0.18..0.3).contains(&ratio), "{ratio}");
        // Under free trade workshops patch them even with no industry: 1 - 0.997^52 of the
        // damage, about 14.5 %.
        let patched = railways_after_a_year_of_peace(0.0, GrainPolicy::TaxInKind) - 0.25;
        assert!((patched - 0.75 * 0.145).abs() < 0.01, "{patched}");
        assert_eq!(
            railways_after_a_year_of_peace(0.0, GrainPolicy::Requisition),
            0.25
        );
    }

    #[test]
    fn output_short_of_the_workforce_is_unemployment() {
        let moscow = moscow_after_two_years(0.3, 1.0, 100.0);
        assert!(
            (moscow.unemployment - 0.7).abs() < 0.01,
            "{}",
            moscow.unemployment
        );
    }
}
