//! The allegiance core, run for every person every week: hardship, legitimacy, party choice
//! and public stance [DESIGN 3].

use bevy_ecs::prelude::{Res, ResMut};
use bevy_ecs::system::SystemParam;

use crate::model::ids::{
    Class, CommunityKind, Issue, LandPolicy, LegalStatus, Party, Regime, Region, RegionField, Role,
    Side, SovietElections, WarPolicy,
};
use crate::model::params::{flag, Params};
use crate::model::run_state::{Affinities, Switches};
use crate::model::Group;
use crate::model::{
    Allegiance, Clock, Communities, Concerns, Coup, Leanings, Outlook, Parties, Person, Persons,
    RegionState, Regions, State, Status, Tally,
};
use crate::numeric::{exp_neg, logistic, reduce_in_halves};
use crate::parallel::{chunks_mut, Rows, Workers};
use crate::rng::{RunRng, Stream};
use crate::systems::economy::{goods_to_buy, national_industry};
use crate::systems::{share_from_stand, stand_from_share, DIVISOR_FLOOR};
use rayon::prelude::*;

/// The stands the state takes, as the people judge them: peace, land, bread and soviet power
/// by what is delivered; the rest by the program of the parties in government
/// [002:63][000:217-223].
pub fn regime_positions(
    state: &State,
    params: &Params,
    food_security: f64,
    white_held: bool,
) -> [f64; Issue::COUNT] {
    if white_held {
        return white_positions(params, food_security);
    }
    let mut positions = [0.0; Issue::COUNT];
    let governing: Vec<Party> = Party::ALL
        .iter()
        .copied()
        .filter(|p| state.in_government[p.index()])
        .collect();
    for &issue in Issue::ALL {
        let sum: f64 = governing.iter().map(|&p| params.program(p, issue)).sum();
        positions[issue.index()] = sum / governing.len().max(1) as f64;
    }
    positions[Issue::Peace.index()] = match state.war {
        WarPolicy::Fighting | WarPolicy::Offensive => -1.0,
        WarPolicy::Armistice => params.legitimacy.armistice_stand,
        WarPolicy::Peace => 1.0,
    };
    positions[Issue::Land.index()] = land_stand(params, state.land);
    positions[Issue::Bread.index()] = stand_from_share(food_security);
    // Soviets that no longer elect freely are power in name only [000:481-509][003:97-107];
    // a government whose own commander marched on them stands against them
    // (`coup.government_complicit`) [000:269][000:271].
    let marched_on_soviets =
        state.coup == Coup::Collapsed(state.regime) && flag(params.coup.government_complicit);
    if state.soviet_elections == SovietElections::Managed || marched_on_soviets {
        positions[Issue::SovietPower.index()] = -1.0;
    }
    positions[Issue::Liberty.index()] = liberty(state);
    positions
}

/// The political liberty a regime delivers, -1 to 1: the mean of whether soviets are elected
/// freely (-1 where there are none, or their elections are managed) and how free the
/// socialist parties outside the government are (legal 1, harassed 0, banned -1): what
/// Kronstadt demanded, "new elections to the soviets, freedom of the press and free speech"
/// [003:113][003:103-107].
pub fn liberty(state: &State) -> f64 {
    let soviets = if state.soviets && state.soviet_elections == SovietElections::Free {
        1.0
    } else {
        -1.0
    };
    let opposition: Vec<f64> = Party::ALL
        .iter()
        .filter(|p| p.is_socialist() && state.exists[p.index()] && !state.in_government[p.index()])
        .map(|&p| match state.status_of(p) {
            LegalStatus::Legal => 1.0,
            LegalStatus::Harassed => 0.0,
            LegalStatus::Banned => -1.0,
        })
        .collect();
    let parties = if opposition.is_empty() {
        1.0
    } else {
        opposition.iter().sum::<f64>() / opposition.len() as f64
    };
    0.5 * (soviets + parties)
}

/// The regime's record as people judge it: `legitimacy.memory_weight` of each stand is judged
/// against what they have come to expect of it (a shortfall weighing `legitimacy.loss_aversion`
/// times a gain), the rest on its own, so what was delivered long ago comes to be taken for
/// granted and broken promises weigh more than kept ones [000:146][000:217-223].
pub fn judged_positions(
    params: &Params,
    delivered: &[f64; Issue::COUNT],
    expected: &[f64; Issue::COUNT],
) -> [f64; Issue::COUNT] {
    let l = &params.legitimacy;
    std::array::from_fn(|i| {
        let surprise = delivered[i] - expected[i];
        let felt = if surprise < 0.0 {
            l.loss_aversion * surprise
        } else {
            surprise
        };
        (1.0 - l.memory_weight) * delivered[i] + l.memory_weight * felt
    })
}

/// What a new government is expected to deliver: its parties' promises, the mean of their
/// programs, where they promise more than is delivered now.
pub fn promises(
    params: &Params,
    state: &State,
    delivered: &[f64; Issue::COUNT],
) -> [f64; Issue::COUNT] {
    let governing: Vec<Party> = Party::ALL
        .iter()
        .copied()
        .filter(|p| state.in_government[p.index()])
        .collect();
    std::array::from_fn(|i| {
        let issue = Issue::ALL[i];
        let promised = governing
            .iter()
            .map(|&p| params.program(p, issue))
            .sum::<f64>()
            / governing.len().max(1) as f64;
        promised.max(delivered[i])
    })
}

/// The stands of a White government as the people under it judge them: the program of the
/// parties of order, war, no soviets, and the landlords back [001:155][002:85-87].
pub fn white_positions(params: &Params, food_security: f64) -> [f64; Issue::COUNT] {
    let mut positions: [f64; Issue::COUNT] = std::array::from_fn(|k| {
        let issue = Issue::ALL[k];
        // The mean of the two programs.
        0.5 * (params.program(Party::Kadets, issue) + params.program(Party::Monarchists, issue))
    });
    positions[Issue::Peace.index()] = -1.0;
    positions[Issue::Land.index()] = -1.0;
    positions[Issue::SovietPower.index()] = -1.0;
    positions[Issue::Bread.index()] = stand_from_share(food_security);
    positions
}

/// The stand a land policy takes, -1 (the landlords keep the land) to 1 (the decree gives it
/// to the peasants); tolerated seizures in between, at `legitimacy.seizures_stand` (a model
/// assumption). Parameters: `legitimacy.seizures_stand`.
pub fn land_stand(params: &Params, land: LandPolicy) -> f64 {
    match land {
        LandPolicy::Landlords => -1.0,
        LandPolicy::SeizuresTolerated => params.legitimacy.seizures_stand,
        LandPolicy::Decree => 1.0,
    }
}

/// How well a set of stands fits a class's interests, -1 to 1 for the class, and how a
/// person's own concerns move that. Soldiers and sailors weigh peace more [002:81]; sailors
/// weigh political liberty more [003:113].
pub fn fit(params: &Params, class: Class, role: Role, positions: &[f64; Issue::COUNT]) -> ClassFit {
    weighted_fit(params, class, role, |interest, i| {
        (interest * positions[i], positions[i])
    })
}

/// How well the regime's record fits a class's interests, -1 to 1, with memory: on an issue
/// where what is delivered serves the class, the record as judged against what it has come
/// to expect (taken for granted, or a promise broken); on one where it harms the class, the
/// worse of the two, since what was taken is not forgotten ([`judged_positions`])
/// [000:146][000:217-223].
pub fn record_fit(
    params: &Params,
    class: Class,
    role: Role,
    delivered: &[f64; Issue::COUNT],
    judged: &[f64; Issue::COUNT],
) -> ClassFit {
    weighted_fit(params, class, role, |interest, i| {
        let now = interest * delivered[i];
        let remembered = interest * judged[i];
        if now > 0.0 || remembered <= now {
            (remembered, judged[i])
        } else {
            (now, delivered[i])
        }
    })
}

/// A fit as a class sees it, and how much each of a person's own [`Concerns`] (one standard
/// deviation of interest in the issue more than their class's) moves it:
/// `allegiance.interest_spread` times the stand on the issue, over the class's total weight of
/// interest, so that people of one class judge the same stands differently (model
/// assumption). To first order: the class's weights normalise everyone's fit, and where the
/// record is judged against expectations ([`record_fit`]) the class's interest decides which
/// of the delivered and the expected stands counts. Hardship (land hunger) and the lesser evil
/// stay the class's.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ClassFit {
    /// The fit to the class's own interests, -1 to 1.
    pub class: f64,
    /// How much one standard deviation of a person's own interest in each issue moves it.
    pub per_concern: [f64; Issue::COUNT],
}

impl ClassFit {
    /// The fit to a person whose concerns are `deviations` ([`Concerns::deviations`]), -1 to 1.
    /// The person's own terms are added in halves ([`reduce_in_halves`]: three additions deep
    /// where one after another would be a chain of eight): it is worked out for every person
    /// every week and for every party they weigh.
    pub fn to(&self, deviations: &[f64; Issue::COUNT]) -> f64 {
        let terms: [f64; Issue::COUNT] =
            std::array::from_fn(|i| deviations[i] * self.per_concern[i]);
        (self.class + reduce_in_halves(terms, |a, b| a + b)).clamp(-1.0, 1.0)
    }
}

/// A value for every class in every role and region, on either side of one yes-or-no about
/// a person's place (fed from the towns' stocks or the village's; living in town or not):
/// what is the same for everyone of such a cell in a week, so computed once per cell.
pub struct Cells<T> {
    values: Vec<T>,
}

impl<T> Cells<T> {
    /// The value of every cell.
    pub fn new(value: impl Fn(Class, Role, Region, bool) -> T) -> Cells<T> {
        let mut values = Vec::with_capacity(Class::COUNT * Role::COUNT * Region::COUNT * 2);
        for &class in Class::ALL {
            for &role in Role::ALL {
                for &region in Region::ALL {
                    for side in [false, true] {
                        values.push(value(class, role, region, side));
                    }
                }
            }
        }
        Cells { values }
    }

    /// The value for a person of `class` in `role` in `region`, on `side`.
    pub fn get(&self, class: Class, role: Role, region: Region, side: bool) -> &T {
        let cell = (class.index() * Role::COUNT + role.index()) * Region::COUNT + region.index();
        &self.values[cell * 2 + usize::from(side)]
    }
}

/// The [`record_fit`] of every class in every role and region, fed from the towns' stocks
/// (true) or the village's, in one week.
pub type RecordFits = Cells<ClassFit>;

impl RecordFits {
    /// The fits of the regime's record as `state` holds it this week.
    pub fn this_week(params: &Params, state: &State) -> RecordFits {
        Cells::new(|class, role, region, town_fed| {
            let (r, fed) = (region.index(), usize::from(town_fed));
            record_fit(
                params,
                class,
                role,
                &state.delivered[r][fed],
                &state.judged[r][fed],
            )
        })
    }
}

/// How much a class (in a role) wants an issue won. Soldiers and sailors weigh peace more
/// [002:81]; sailors weigh political liberty more [003:113].
fn interest_of(params: &Params, class: Class, role: Role, issue: Issue) -> f64 {
    let mut interest = params.interest(class, issue);
    if issue == Issue::Peace && in_uniform(role) {
        interest += params.legitimacy.soldier_peace_interest;
    }
    if issue == Issue::Liberty && role == Role::Sailor {
        interest += params.legitimacy.sailor_liberty_interest;
    }
    interest
}

/// The interest-weighted mean of `value(interest, issue index)` over the issues, where
/// `value` gives the class's value and the stand that a person's own interest in the issue
/// would multiply ([`ClassFit`]).
fn weighted_fit(
    params: &Params,
    class: Class,
    role: Role,
    value: impl Fn(f64, usize) -> (f64, f64),
) -> ClassFit {
    let mut score = 0.0;
    let mut weight = 0.0;
    let mut stands = [0.0; Issue::COUNT];
    for &issue in Issue::ALL {
        let interest = interest_of(params, class, role, issue);
        let (valued, stand) = value(interest, issue.index());
        score += valued;
        stands[issue.index()] = stand;
        weight += interest.abs();
    }
    if weight > 0.0 {
        let spread = params.allegiance.interest_spread;
        ClassFit {
            class: score / weight,
            per_concern: stands.map(|stand| spread * stand / weight),
        }
    } else {
        ClassFit::default()
    }
}

/// Soldiers and sailors of the old army and fleet: peasants and workers in uniform.
pub fn in_uniform(role: Role) -> bool {
    matches!(role, Role::Soldier | Role::Sailor)
}

/// Whether a person eats from the state's and the market's grain (townspeople, soldiers,
/// sailors) rather than from the village's stocks.
pub fn fed_from_towns(lives_in_town: bool, role: Role) -> bool {
    lives_in_town || in_uniform(role)
}

/// Hardship target from unmet needs, 0-1: food, the war's burden, land hunger,
/// unemployment, the winter's cold (`cold` is how deep into winter the week is, 0-1): for
/// those who live on the towns' supplies where heating fuel is short, for villagers as far as
/// the factories no longer make the kerosene, cloth and boots they would buy (`goods_lacking`,
/// 1 - [`goods_to_buy`], national): "the majority of the peasants feel only too bitterly the
/// cold and hunger and intolerable imposts" [002:109], paid for grain in "varicolored pieces of
/// paper" [002:95] (the goods are the model's reading); and, for villagers and
/// for peasants in uniform (by their home region), the "intolerable imposts" of grain
/// confiscated, which they would have sold for what they need, added up
/// [000:229][000:203][000:183][004:113][000:205][000:761][002:109][003:113].
/// Prisoners are judged by the
/// same needs: as in Epstein (2002), jail leaves grievance as it was, so the released do not
/// rise again merely for having been jailed.
pub fn hardship_target(
    params: &Params,
    person: &Person,
    role: Role,
    lives_in_town: bool,
    state: &State,
    regions: &Regions,
    cold: f64,
    goods_lacking: f64,
    seized: f64,
) -> f64 {
    let place = regions.get(person.region);
    let cell = HardshipCell::new(
        params,
        person.class,
        role,
        lives_in_town,
        state,
        place,
        cold,
        goods_lacking,
    );
    cell.target(params, seized, regions.get(person.home))
}

/// The terms of [`hardship_target`] that are the same for everyone of a class in a role and
/// region, in town or not, in one week, weighted and added up once, so that a person's target
/// adds to them only their own: land hunger (their village's seizures) and the imposts of their
/// home region where those are theirs.
#[derive(Debug, Clone, Copy)]
pub struct HardshipCell {
    /// Food unmet, the war's burden, unemployment, the cold in town and the goods lacking in
    /// the village, and the imposts where they are the cell's.
    settled: f64,
    /// The class's land interest (at least 0).
    land_interest: f64,
    /// The share of land hunger the land stand meets; none where the Whites hold the region
    /// and the landlords are back [001:155].
    land_met: Option<f64>,
    /// Whether the imposts are the home region's (peasants in uniform).
    imposts_from_home: bool,
}

impl HardshipCell {
    /// The cell's terms (see [`hardship_target`]).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        params: &Params,
        class: Class,
        role: Role,
        lives_in_town: bool,
        state: &State,
        region: &RegionState,
        cold: f64,
        goods_lacking: f64,
    ) -> HardshipCell {
        let h = &params.hardship;
        let town_fed = fed_from_towns(lives_in_town, role);
        let food = if town_fed {
            region.food_urban
        } else {
            region.food_rural
        };
        let at_war = matches!(state.war, WarPolicy::Fighting | WarPolicy::Offensive);
        let war_burden = match role {
            Role::Soldier | Role::Sailor if at_war => h.war_weight,
            Role::RedArmy | Role::WhiteArmy | Role::FoodDetachment => h.war_weight,
            _ if at_war => h.home_war_weight,
            _ => 0.0,
        };
        // The land stand (-1 to 1) as the share of land hunger met (0 to 1).
        let land_met = (region.control != Side::White)
            .then(|| share_from_stand(land_stand(params, state.land)));
        let unemployment = if class.is_worker() {
            region.unemployment
        } else {
            0.0
        };
        let in_the_village = !lives_in_town && matches!(role, Role::Civilian | Role::Insurgent);
        let unheated = if town_fed {
            cold * (1.0 - region.heating)
        } else {
            0.0
        };
        let without_goods = if in_the_village {
            cold * goods_lacking
        } else {
            0.0
        };
        let imposts = if in_the_village {
            Some(region.confiscation.min(1.0))
        } else if class.works_land() && in_uniform(role) {
            None
        } else {
            Some(0.0)
        };
        HardshipCell {
            settled: h.food_weight * (1.0 - food)
                + war_burden
                + h.unemployment_weight * unemployment
                + h.cold_weight * unheated
                + h.village_cold_weight * without_goods
                + imposts.map_or(0.0, |imposts| h.imposts_weight * imposts),
            land_interest: params.interest(class, Issue::Land).max(0.0),
            land_met,
            imposts_from_home: imposts.is_none(),
        }
    }

    /// The target of a person of the cell whose village has `seized` of its estates (what
    /// it has taken for itself meets land hunger too), from `home` (the imposts of peasants
    /// in uniform).
    pub fn target(&self, params: &Params, seized: f64, home: &RegionState) -> f64 {
        let h = &params.hardship;
        let land_position = self.land_met.map_or(0.0, |met| met.max(seized));
        let land_hunger = self.land_interest * (1.0 - land_position);
        let home_imposts = if self.imposts_from_home {
            h.imposts_weight * home.confiscation.min(1.0)
        } else {
            0.0
        };
        (self.settled + h.land_weight * land_hunger + home_imposts).clamp(0.0, 1.0)
    }
}

/// The [`HardshipCell`] of every class in every role and region, living in town (true) or
/// not, in one week.
pub type HardshipCells = Cells<HardshipCell>;

impl HardshipCells {
    /// The cells of this week's world, `cold` deep into winter, with the villages lacking
    /// `goods_lacking` of the goods they buy.
    pub fn this_week(
        params: &Params,
        state: &State,
        regions: &Regions,
        cold: f64,
        goods_lacking: f64,
    ) -> HardshipCells {
        Cells::new(|class, role, region, in_town| {
            HardshipCell::new(
                params,
                class,
                role,
                in_town,
                state,
                regions.get(region),
                cold,
                goods_lacking,
            )
        })
    }
}

/// What the dispersal of the Constituent Assembly costs in legitimacy (log-odds): peasants
/// far from the centres, who had no other voice in the state, lose most [004:53-55]. Zero
/// until the Assembly is dispersed ([`Switches::assembly_dispersed`]).
pub fn assembly_grievance(params: &Params, switches: &Switches, class: Class, home: Region) -> f64 {
    let l = &params.legitimacy;
    if !switches.assembly_dispersed || !class.is_peasant() {
        return 0.0;
    }
    l.dispersal_cost * params.region(home, RegionField::Distance)
}

/// What the grain policy costs a class in legitimacy (log-odds): those who work the land
/// hold against the state the share of their home region's harvest it took, and more what
/// it confiscated, paying nothing (peasants in uniform feel what is taken from their
/// villages: the Kronstadt sailors rose for the peasants' right to their land [003:113]);
/// committees of poor peasants win the poor and cost the middle peasants and kulaks
/// [002:93-105][002:99-101].
pub fn grain_grievance(params: &Params, state: &State, class: Class, region: &RegionState) -> f64 {
    let l = &params.legitimacy;
    let taken = if class.works_land() {
        l.extraction_weight * region.extraction
            + l.confiscation_weight * region.confiscation_under_policy
    } else {
        0.0
    };
    let committees = match class {
        _ if !state.poor_committees => 0.0,
        Class::PeasantPoor => -l.poor_committee_weight,
        Class::PeasantMiddle | Class::PeasantKulak => l.poor_committee_weight,
        _ => 0.0,
    };
    taken + committees
}

/// How much the White armies threaten to bring the landlords back, 0-1: their soldiers per
/// head over `legitimacy.white_threat_scale`, at most 1. A beaten remnant is little threat,
/// so the threat fades as the Whites do, not all at once when the war ends.
pub fn white_threat(params: &Params, tally: &Tally) -> f64 {
    (tally.whites_per_head() / params.legitimacy.white_threat_scale.max(DIVISOR_FLOOR)).min(1.0)
}

/// What Sovnarkom gains (log-odds) among the peasants, who took the land, while the White
/// armies could bring the landlords back: the lesser evil [003:117][001:155]. Their land
/// interest times `legitimacy.lesser_evil_weight` times the [`white_threat`]; zero under
/// any other regime, once the civil war is over, and where the Whites leave the peasants the
/// land (`civil_war.whites_grant_land`).
pub fn lesser_evil(
    params: &Params,
    switches: &Switches,
    state: &State,
    class: Class,
    threat: f64,
) -> f64 {
    let landlords_return = !flag(params.civil_war.whites_grant_land);
    if state.regime != Regime::Sovnarkom
        || !switches.civil_war_active
        || !class.is_peasant()
        || !landlords_return
    {
        return 0.0;
    }
    params.legitimacy.lesser_evil_weight * params.interest(class, Issue::Land).max(0.0) * threat
}

/// What the repression of the party a person privately prefers costs the regime in their
/// eyes (log-odds): `legitimacy.party_repression_weight` while it is banned, half of it while
/// harassed [003:105][000:753].
pub fn party_repression(params: &Params, state: &State, private: Party) -> f64 {
    let weight = params.legitimacy.party_repression_weight;
    match state.status_of(private) {
        _ if private == Party::None => 0.0,
        LegalStatus::Legal => 0.0,
        LegalStatus::Harassed => 0.5 * weight,
        LegalStatus::Banned => weight,
    }
}

/// The base legitimacy (log-odds) of whoever governs a person: a White government's where the
/// Whites hold the region (`white_held`); else the regime's, Sovnarkom's with what is left of
/// the soviets' banner ([`State::banner`]) [000:263][003:117].
pub fn legitimacy_base(params: &Params, state: &State, white_held: bool) -> f64 {
    let l = &params.legitimacy;
    match state.regime {
        _ if white_held => l.white_base,
        Regime::Tsar => l.tsar_base,
        Regime::Provisional => l.provisional_base,
        Regime::Sovnarkom if flag(params.october.in_soviets_name) => {
            l.sovnarkom_base + params.october.banner_legitimacy * state.banner
        }
        Regime::Sovnarkom => l.sovnarkom_base,
    }
}

/// Legitimacy target as log-odds (the target, 0-1, is its [`logistic`]): the base
/// legitimacy ([`legitimacy_base`]), the regime's record judged against what the person
/// wants ([`ClassFit`]), the repression of one's own class, the grain grievance and the
/// lesser evil [000:263][000:761][003:117].
pub fn legitimacy_log_odds(
    params: &Params,
    base: f64,
    fit_to_person: f64,
    class_jailed_share: f64,
    grain_grievance: f64,
) -> f64 {
    let l = &params.legitimacy;
    // The fit added last: it is the end of the longest chain of a person's terms.
    (base - l.repression_weight * class_jailed_share - grain_grievance)
        + l.fit_weight * fit_to_person
}

/// The banner fades while soviet elections are managed: `october.banner_fade` of what is left
/// of it a week [003:107][000:146].
pub fn fade_banner(params: &Params, state: &mut State) {
    if state.soviet_elections == SovietElections::Managed {
        state.banner *= 1.0 - params.october.banner_fade;
    }
}

/// What people expect of the regime follows what it delivers, `legitimacy.expectation_rate`
/// of the gap a week; a new regime is expected to keep its parties' [`promises`], and parties
/// that join a government raise what is expected to theirs [000:263][000:271].
pub fn update_expectations(
    params: &Params,
    state: &mut State,
    delivered: &[[[f64; Issue::COUNT]; 2]],
    regime_changed: bool,
) {
    let government_changed = std::mem::take(&mut state.government_changed);
    for (r, by_fed) in delivered.iter().enumerate() {
        for (fed, delivered) in by_fed.iter().enumerate() {
            let expected = state.expected[r][fed];
            let next = if regime_changed {
                promises(params, state, delivered)
            } else if government_changed {
                let promised = promises(params, state, delivered);
                std::array::from_fn(|i| expected[i].max(promised[i]))
            } else {
                std::array::from_fn(|i| {
                    expected[i] + params.legitimacy.expectation_rate * (delivered[i] - expected[i])
                })
            };
            state.expected[r][fed] = next;
        }
    }
}

/// Whether the outlook moves toward its targets week by week, or is set at them (the start
/// state, consistent with the world it starts in: no jump in the first week).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pace {
    Weekly,
    Settle,
}

/// What the outlook rules read and write, the persons apart.
#[derive(SystemParam)]
pub struct OutlookWorld<'w> {
    params: Res<'w, Params>,
    switches: Res<'w, Switches>,
    clock: Res<'w, Clock>,
    state: ResMut<'w, State>,
    regions: Res<'w, Regions>,
    tally: Res<'w, Tally>,
    communities: Res<'w, Communities>,
    workers: Option<Res<'w, Workers>>,
}

/// What party choice reads beside the outlook's world.
#[derive(SystemParam)]
pub struct ChoiceWorld<'w> {
    affinities: Res<'w, Affinities>,
    rng: Res<'w, RunRng>,
    parties: Res<'w, Parties>,
}

/// The weekly outlook and party choice, in one pass over the persons (each person's choice
/// reads only their own new outlook and last week's tally): every living person's hardship
/// and legitimacy move toward their targets ([`OutlookWeek::renew`]; `legitimacy_drop` keeps
/// this week's fall, which the revolt rule adds to grievance; a new regime is judged afresh),
/// then they may reconsider their party and set their public stance
/// ([`ChoiceWeek::choose`]).
pub fn update_outlook_and_choose(
    mut world: OutlookWorld,
    choice: ChoiceWorld,
    mut persons: ResMut<Persons>,
) {
    let workers = world.workers.as_deref().copied();
    let outlook = outlook_week(Pace::Weekly, &mut world);
    let organisation = ChoiceContext::organisation(&choice.parties);
    let program_fit = ChoiceContext::program_fit_table(outlook.params);
    let context = ChoiceContext {
        params: outlook.params,
        state: outlook.state,
        affinities: &choice.affinities,
        organisation: &organisation,
        program_fit: &program_fit,
        record_fits: &outlook.record_fits,
        rng: &choice.rng,
    };
    let party = ChoiceWeek {
        context,
        first_step: outlook.step == 0,
        step: outlook.step,
        tally: outlook.tally,
        communities: outlook.communities,
        regions: outlook.regions,
        reconsider: reconsider_hazards(outlook.params),
    };
    chunks_mut(&mut persons, 0, workers.as_ref()).for_each_init(Vec::new, |targets, mut rows| {
        outlook.renew_chunk(&mut rows, targets, |person, status, allegiance, mind| {
            party.choose(person, status, mind, allegiance);
        });
    });
}

/// The start state: every person's hardship and legitimacy set at what the world they start
/// in gives them, and their expectations at what the regime delivers, so the first week
/// brings no jump (model assumption). Run once, before the first week.
pub fn settle_outlook(mut world: OutlookWorld, mut persons: ResMut<Persons>) {
    let workers = world.workers.as_deref().copied();
    let week = outlook_week(Pace::Settle, &mut world);
    chunks_mut(&mut persons, 0, workers.as_ref()).for_each_init(Vec::new, |targets, mut rows| {
        week.renew_chunk(&mut rows, targets, |_, _, _, _| {});
    });
}

/// Moves the regime's record on a week (or settles it, at the start) and gathers what every
/// person's outlook reads this week.
fn outlook_week<'a>(pace: Pace, world: &'a mut OutlookWorld) -> OutlookWeek<'a> {
    let OutlookWorld {
        params,
        switches,
        clock,
        state,
        regions,
        tally,
        communities,
        ..
    } = world;
    let (params, switches, regions, tally, communities) =
        (&**params, &**switches, &**regions, &**tally, &**communities);
    let cold = clock.cold();
    let goods_lacking = 1.0
        - goods_to_buy(
            params.grain.goods_dependence,
            national_industry(regions, tally),
        );
    let threat = white_threat(params, tally);
    let jailed_share: [f64; Class::COUNT] = std::array::from_fn(|c| {
        tally.jailed_by_class[c] / tally.group(Group::Class(Class::ALL[c])).persons.max(1.0)
    });
    // The regime's stands are the same for everyone fed from the same stocks in a region.
    let delivered: Vec<[[f64; Issue::COUNT]; 2]> = Region::ALL
        .iter()
        .map(|&r| {
            let region = regions.get(r);
            let white_held = region.control == Side::White;
            [region.food_rural, region.food_urban]
                .map(|food| regime_positions(state, params, food, white_held))
        })
        .collect();
    let regime_changed = state.regime_changed;
    state.regime_changed = false;
    match pace {
        Pace::Settle => {
            for (r, by_fed) in delivered.iter().enumerate() {
                state.expected[r] = *by_fed;
            }
        }
        Pace::Weekly => {
            update_expectations(params, state, &delivered, regime_changed);
            fade_banner(params, state);
        }
    }
    for (r, by_fed) in delivered.iter().enumerate() {
        let expected = state.expected[r];
        state.delivered[r] = *by_fed;
        state.judged[r] = [0, 1].map(|fed| judged_positions(params, &by_fed[fed], &expected[fed]));
    }
    let state: &State = state;
    // The grievances of a class from its home region, of each party's supporters, and the
    // lesser evil, each the same for all of them this week.
    let home_grievance = std::array::from_fn(|c| {
        std::array::from_fn(|h| {
            let (class, home) = (Class::ALL[c], Region::ALL[h]);
            grain_grievance(params, state, class, regions.get(home))
                + assembly_grievance(params, switches, class, home)
        })
    });
    OutlookWeek {
        params,
        state,
        regions,
        tally,
        communities,
        step: clock.step,
        hardship_cells: HardshipCells::this_week(params, state, regions, cold, goods_lacking),
        jailed_share,
        base: [false, true].map(|white_held| legitimacy_base(params, state, white_held)),
        record_fits: RecordFits::this_week(params, state),
        home_grievance,
        repression: std::array::from_fn(|p| party_repression(params, state, Party::ALL[p])),
        lesser_evil: std::array::from_fn(|c| {
            lesser_evil(params, switches, state, Class::ALL[c], threat)
        }),
        // A new regime is judged afresh, not by the old one's record.
        rates: match pace {
            Pace::Settle => (1.0, 1.0),
            Pace::Weekly if regime_changed => (params.hardship.adjust_rate, 1.0),
            Pace::Weekly => (params.hardship.adjust_rate, params.legitimacy.adjust_rate),
        },
        pace,
        regime_changed,
    }
}

/// What every person's outlook reads in one week.
struct OutlookWeek<'a> {
    params: &'a Params,
    state: &'a State,
    regions: &'a Regions,
    tally: &'a Tally,
    communities: &'a Communities,
    step: u32,
    /// The terms of [`hardship_target`] by cell.
    hardship_cells: HardshipCells,
    /// The share of each class in jail.
    jailed_share: [f64; Class::COUNT],
    /// [`legitimacy_base`] where the Whites do not hold the region (0) and where they do (1).
    base: [f64; 2],
    record_fits: RecordFits,
    /// [`grain_grievance`] plus [`assembly_grievance`], by class and home region.
    home_grievance: [[f64; Region::COUNT]; Class::COUNT],
    /// [`party_repression`] by the party privately preferred.
    repression: [f64; Party::COUNT],
    /// [`lesser_evil`] by class.
    lesser_evil: [f64; Class::COUNT],
    /// How far hardship and legitimacy move toward their targets this week.
    rates: (f64, f64),
    pace: Pace,
    regime_changed: bool,
}

impl OutlookWeek<'_> {
    /// What one person's hardship and legitimacy move toward this week, the legitimacy as
    /// log-odds (before [`logistic`]); none for the dead.
    #[inline(always)]
    fn targets(
        &self,
        person: &Person,
        status: &Status,
        allegiance: &Allegiance,
    ) -> Option<Targets> {
        let OutlookWeek {
            params,
            regions,
            communities,
            ref hardship_cells,
            ref jailed_share,
            ref base,
            ref record_fits,
            ref home_grievance,
            ref repression,
            ref lesser_evil,
            ..
        } = *self;
        if !status.role.is_alive() {
            return None;
        }
        let community = &communities.list[person.community as usize];
        let lives_in_town = community.is_urban();
        let hardship = hardship_cells
            .get(person.class, status.role, person.region, lives_in_town)
            .target(params, community.seized, regions.get(person.home));
        let region = regions.get(person.region);
        let white_held = region.control == Side::White;
        let town_fed = fed_from_towns(lives_in_town, status.role);
        let fit_to_person = record_fits
            .get(person.class, status.role, person.region, town_fed)
            .to(&allegiance.concerns.deviations());
        let c = person.class.index();
        let grievance = if white_held {
            0.0
        } else {
            home_grievance[c][person.home.index()] + repression[allegiance.private.index()]
                - lesser_evil[c]
        };
        let legitimacy_odds = legitimacy_log_odds(
            params,
            base[usize::from(white_held)],
            fit_to_person,
            jailed_share[c],
            grievance,
        );
        Some(Targets {
            hardship,
            legitimacy: legitimacy_odds,
        })
    }

    /// Moves one living person's hardship and legitimacy toward `targets` (the legitimacy's
    /// now a share, 0-1).
    #[inline(always)]
    fn renew(&self, targets: &Targets, outlook: &mut Outlook) {
        let hardship = f64::from(outlook.hardship);
        let legitimacy = f64::from(outlook.legitimacy);
        let (h_rate, l_rate) = self.rates;
        outlook.hardship = (hardship + h_rate * (targets.hardship - hardship)) as f32;
        let updated = legitimacy + l_rate * (targets.legitimacy - legitimacy);
        // A new regime judged afresh is not a fall: nothing the regime did ignites.
        outlook.legitimacy_drop = match self.pace {
            Pace::Weekly if !self.regime_changed => (legitimacy - updated).max(0.0) as f32,
            _ => 0.0,
        };
        outlook.legitimacy = updated as f32;
    }

    /// Moves the hardship and legitimacy of every living person of a chunk toward their
    /// targets, then calls `then` on each person's row. The targets are worked out first
    /// and their logistics taken in a loop of their own: each is a chain of dependent steps
    /// (a table look-up, a division), and apart from the rest of a person's week the
    /// processor runs the chains of many persons at once.
    fn renew_chunk(
        &self,
        rows: &mut Rows,
        targets: &mut Vec<Option<Targets>>,
        mut then: impl FnMut(&Person, &Status, &mut Allegiance, &Outlook),
    ) {
        targets.clear();
        targets.extend(
            rows.iter_mut()
                .map(|(person, status, allegiance, ..)| self.targets(person, status, allegiance)),
        );
        for target in targets.iter_mut().flatten() {
            target.legitimacy = logistic(target.legitimacy);
        }
        for ((person, status, allegiance, outlook, _), target) in
            rows.iter_mut().zip(targets.iter())
        {
            if let Some(target) = target {
                self.renew(target, outlook);
            }
            then(person, status, allegiance, outlook);
        }
    }
}

/// A living person's hardship and legitimacy targets this week.
struct Targets {
    hardship: f64,
    /// As log-odds from [`OutlookWeek::targets`]; [`OutlookWeek::renew_chunk`] turns it into
    /// the share (0-1) before [`OutlookWeek::renew`] reads it.
    legitimacy: f64,
}

/// The parties a person can choose now: those that exist as parties.
fn available(state: &State, party: Party) -> bool {
    state.exists[party.index()]
}

/// What every person's party choice shares this week.
#[derive(Clone, Copy)]
pub struct ChoiceContext<'a> {
    pub params: &'a Params,
    pub state: &'a State,
    /// Each class's standing attachment to each party.
    pub affinities: &'a Affinities,
    /// Each party's share of all party members: its agitators present.
    pub organisation: &'a [f64; Party::COUNT],
    /// How each party's program fits each class, for civilians (0) and for soldiers and
    /// sailors (1): the same for everyone of a class within a week, before their own concerns.
    pub program_fit: &'a ProgramFits,
    /// How the government's record fits each person's cell this week.
    pub record_fits: &'a RecordFits,
    /// The run's random keys, from which each person's own [`leaning`]s come.
    pub rng: &'a RunRng,
}

/// How each party's program fits each class, for civilians (0) and for soldiers and sailors
/// (1), by party.
pub type ProgramFits = [[[ClassFit; Party::COUNT]; 2]; Class::COUNT];

/// A person's own interest in each issue beyond their class's, fixed for life: a standard
/// normal for each issue, in issue order from one sequence keyed by their id ([`ClassFit`])
/// [000:241][002:63].
pub fn draw_concerns(rng: &RunRng, person: u32) -> Concerns {
    let mut draws = rng.draws(Stream::Concern, person, 0);
    Concerns::from_normals(|| draws.normal())
}

/// A person's own attachments to the parties beyond their class's, fixed for life: a standard
/// normal for each party, in party order from one sequence keyed by their id. People of one
/// class differ: skilled workers only "tended" to the Mensheviks [000:241][002:63].
pub fn draw_leanings(rng: &RunRng, person: u32) -> Leanings {
    let mut draws = rng.draws(Stream::Leaning, person, 0);
    Leanings::from_normals(|| draws.normal())
}

impl ChoiceContext<'_> {
    /// Each party's share of all party members: its agitators present.
    pub fn organisation(parties: &Parties) -> [f64; Party::COUNT] {
        let total: f64 = parties.list.iter().map(|p| p.members).sum();
        std::array::from_fn(|i| parties.list[i].members / total.max(1.0))
    }

    /// The program-fit table of a week.
    pub fn program_fit_table(params: &Params) -> ProgramFits {
        std::array::from_fn(|c| {
            [Role::Civilian, Role::Soldier].map(|role| {
                std::array::from_fn(|p| {
                    fit(params, Class::ALL[c], role, &params.stands(Party::ALL[p]))
                })
            })
        })
    }
}

/// The utility of each party to one person: program fit to the person's interests (their
/// class's and their own [`Concerns`]; for a
/// party in government, the government's record as the person judges it, not its program:
/// the coalition's socialists share the blame for the war [000:263-279]), the community's
/// shares, the party's organisation, the coalition penalty (times the person's
/// distrust of the government), the class's standing attachment to the party and the
/// person's own leanings ([`draw_leanings`]) times `allegiance.idiosyncrasy`, inertia toward
/// the party they back now, national appeal and the risk of a banned party
/// [002:63][000:241][000:263-279][001:189].
pub fn party_utilities(
    context: &ChoiceContext,
    person: &Person,
    role: Role,
    town_fed: bool,
    legitimacy: f64,
    allegiance: &Allegiance,
    community_shares: &[f64; Party::COUNT],
) -> [f64; Party::COUNT] {
    let ChoiceContext {
        params,
        state,
        affinities,
        organisation,
        program_fit,
        record_fits,
        ..
    } = *context;
    let Allegiance {
        private: current,
        leanings,
        concerns,
        ..
    } = allegiance;
    let fits = &program_fit[person.class.index()][usize::from(in_uniform(role))];
    let a = &params.allegiance;
    let record = record_fits.get(person.class, role, person.region, town_fed);
    let concerns = concerns.deviations();
    let mut utilities = [f64::NEG_INFINITY; Party::COUNT];
    for &party in Party::ALL {
        // National parties speak only to their nations [000:251].
        if !available(state, party) || (party == Party::Nationalists && !person.minority) {
            continue;
        }
        let i = party.index();
        let mut u = if party == Party::None {
            let committees = state.soviets && in_uniform(role);
            a.apathy
                - if committees {
                    a.soldier_politicisation
                } else {
                    0.0
                }
        } else {
            let judged_by = if state.in_government[i] {
                record
            } else {
                &fits[i]
            }
            .to(&concerns);
            let mut u = a.fit_weight * judged_by + a.organisation_weight * organisation[i];
            if state.in_government[i] {
                u -= a.government_penalty * (1.0 - legitimacy);
            }
            u -= match state.status[i] {
                LegalStatus::Legal => 0.0,
                LegalStatus::Harassed => params.party.harassment * a.banned_penalty,
                LegalStatus::Banned => a.banned_penalty,
            };
            if party == Party::Nationalists && person.minority {
                u += a.national_weight;
            }
            u
        };
        u += a.social_weight * community_shares[i]
            + a.affinity_weight * affinities.get(person.class, party)
            + a.idiosyncrasy * leanings.toward(party);
        if party == *current {
            u += a.inertia;
        }
        utilities[i] = u;
    }
    utilities
}

/// The list a person with no party of their own votes for on a secret ballot: the party
/// whose utility to them is highest (ties to the first in declaration order).
pub fn best_list(utilities: &[f64; Party::COUNT]) -> Party {
    Party::ALL
        .iter()
        .copied()
        .filter(|&p| p != Party::None && utilities[p.index()] > f64::NEG_INFINITY)
        .fold(None, |best: Option<Party>, p| match best {
            Some(b) if utilities[b.index()] >= utilities[p.index()] => Some(b),
            _ => Some(p),
        })
        .unwrap_or(Party::None)
}

/// Samples a party from logit choice probabilities; returns it and its probability. The
/// weights come from [`exp_neg`], the same bits everywhere.
pub fn logit_choice(utilities: &[f64; Party::COUNT], temperature: f64, u: f64) -> (Party, f64) {
    let max = utilities.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let coldness = 1.0 / temperature;
    let weights: [f64; Party::COUNT] =
        std::array::from_fn(|i| exp_neg((max - utilities[i]) * coldness));
    let total: f64 = weights.iter().sum();
    let per_weight = 1.0 / total;
    let mut acc = 0.0;
    for &party in Party::ALL {
        let p = weights[party.index()] * per_weight;
        acc += p;
        if u < acc {
            return (party, p);
        }
    }
    (Party::None, weights[Party::None.index()] * per_weight)
}

/// Whether a person says in public what they think (Kuran's preference falsification): yes
/// for a legal party; for a harassed or banned one only if their conviction beats the risk
/// they see, which grows with the coercive force per head around them (in proportion, the
/// base risk at `stance.coercion_scale`) and falls with the share of their community already speaking
/// for the party (`speaking`, 0-1), each person seeing it times their own `threshold` (drawn
/// around 1, spread `stance.threshold_spread`; both asked for only when the party is
/// persecuted), so that under
/// terror few speak and once many speak, more dare [000:269][003:105] (the cascade: Kuran; model
/// assumption).
pub fn public_stance(
    params: &Params,
    state: &State,
    private: Party,
    strength: f64,
    coercion: f64,
    speaking: impl FnOnce() -> f64,
    threshold: impl FnOnce() -> f64,
) -> Party {
    let s = &params.stance;
    let base = match state.status_of(private) {
        LegalStatus::Legal => return private,
        LegalStatus::Harassed => s.harassed_risk,
        LegalStatus::Banned => s.banned_risk,
    };
    let pressure = coercion / s.coercion_scale;
    let risk = base * pressure * (1.0 - speaking()) * threshold();
    if strength > risk {
        private
    } else {
        Party::None
    }
}

/// How much more or less than others a person fears speaking out: a factor drawn evenly
/// between 1 - `stance.threshold_spread` and 1 + it, fixed for life.
pub fn stance_threshold(params: &Params, rng: &RunRng, person: u32) -> f64 {
    let u = rng.draws(Stream::Stance, person, 0).uniform();
    1.0 + params.stance.threshold_spread * stand_from_share(u)
}

/// A class's standing attachment to the parties in government wears down with the class's
/// distrust of the government: `allegiance.government_wear` times (1 - the class's mean
/// legitimacy) a week, so the coalition discredits its parties for good, not only while it
/// lasts [000:263][000:271].
pub fn wear_down_governing_parties(
    params: Res<Params>,
    state: Res<State>,
    tally: Res<Tally>,
    mut affinities: ResMut<Affinities>,
) {
    for &class in Class::ALL {
        let stats = tally.group(Group::Class(class));
        if stats.persons <= 0.0 {
            continue;
        }
        let distrust = 1.0 - stats.legitimacy / stats.persons;
        for &party in Party::ALL {
            if party != Party::None && state.in_government[party.index()] {
                let worn =
                    affinities.get(class, party) - params.allegiance.government_wear * distrust;
                affinities.set(class, party, worn);
            }
        }
    }
}

/// What every person's party choice reads in one week.
struct ChoiceWeek<'a> {
    context: ChoiceContext<'a>,
    first_step: bool,
    step: u32,
    tally: &'a Tally,
    communities: &'a Communities,
    regions: &'a Regions,
    /// [`reconsider_hazards`].
    reconsider: ReconsiderHazards,
}

/// The weekly hazard that a person reconsiders their party, by region, volatile or not and
/// in a village or not.
type ReconsiderHazards = [[[f32; 2]; 2]; Region::COUNT];

/// The weekly chance that a person reconsiders their party: `allegiance.reconsider_rate`,
/// times `allegiance.volatile_multiplier` for migrant workers, soldiers and sailors, and in a
/// village less `allegiance.news_distance` times the region's distance from the centres,
/// where news is slow [000:241]; the same for everyone of a region, volatile or not, in a
/// village or not, so computed once a week.
fn reconsider_rate(params: &Params, region: Region, volatile: bool, village: bool) -> f64 {
    let a = &params.allegiance;
    let mut rate = a.reconsider_rate * if volatile { a.volatile_multiplier } else { 1.0 };
    if village {
        rate *= 1.0 - a.news_distance * params.region(region, RegionField::Distance);
    }
    rate
}

/// The weekly chance of [`reconsider_rate`] as a hazard, -ln(1 - chance): a person whose
/// exponential draw (mean 1) is used up by the weeks' hazards reconsiders, which is a chance
/// of exactly [`reconsider_rate`] each week, with no draw a week for those who do not.
fn reconsider_hazards(params: &Params) -> ReconsiderHazards {
    std::array::from_fn(|r| {
        [false, true].map(|volatile| {
            [false, true].map(|village| {
                let rate = reconsider_rate(params, Region::ALL[r], volatile, village);
                -(-rate.clamp(0.0, 1.0)).ln_1p() as f32
            })
        })
    })
}

/// Takes a week's `hazard` from what a person has left before they reconsider (`left`):
/// whether it is used up, so that they reconsider this week.
fn uses_up(left: &mut f32, hazard: f32) -> bool {
    *left -= hazard;
    *left <= 0.0
}

impl ChoiceWeek<'_> {
    /// One living person may reconsider their party (a share of people a week:
    /// [`reconsider_rate`], as the hazard that uses up their exponential draw:
    /// [`reconsider_hazards`]), then sets their public stance.
    #[inline(always)]
    fn choose(
        &self,
        person: &Person,
        status: &Status,
        outlook: &Outlook,
        allegiance: &mut Allegiance,
    ) {
        let ChoiceWeek {
            context,
            first_step,
            step,
            tally,
            communities,
            regions,
            ref reconsider,
        } = *self;
        let ChoiceContext {
            params, state, rng, ..
        } = context;
        if !status.role.is_alive() {
            return;
        }
        let c = person.community as usize;
        let community = &communities.list[c];
        let volatile = person.class == Class::WorkerMigrant || in_uniform(status.role);
        let village = community.kind == CommunityKind::Village;
        let hazard = reconsider[person.region.index()][usize::from(volatile)][usize::from(village)];
        let reconsiders = uses_up(&mut allegiance.reconsider_in, hazard);
        let must_choose = first_step || !available(state, allegiance.private);
        if must_choose || reconsiders {
            let mut draws = rng.draws(Stream::PartyChoice, person.id, step);
            let counts = &tally.community_private[c];
            let members = f64::from(community.members.max(1));
            let shares: [f64; Party::COUNT] =
                std::array::from_fn(|i| f64::from(counts[i]) / members);
            let lives_in_town = community.is_urban();
            let utilities = party_utilities(
                &context,
                person,
                status.role,
                fed_from_towns(lives_in_town, status.role),
                f64::from(outlook.legitimacy),
                allegiance,
                &shares,
            );
            let (party, probability) =
                logit_choice(&utilities, params.allegiance.temperature, draws.uniform());
            allegiance.private = party;
            allegiance.strength = probability as f32;
            allegiance.reconsider_in = draws.exponential() as f32;
        }
        let private = allegiance.private;
        let speaking = || {
            let speaking = f64::from(tally.community_public[c][private.index()])
                / f64::from(community.members.max(1));
            speaking.min(1.0)
        };
        allegiance.public = public_stance(
            params,
            state,
            private,
            f64::from(allegiance.strength),
            regions.get(person.region).coercion,
            speaking,
            || stance_threshold(params, rng, person.id),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ids::Region;
    use crate::systems::economy::initial_regions;

    fn person(class: Class, region: Region) -> Person {
        Person {
            id: 0,
            class,
            home: region,
            region,
            community: 0,
            industrial: false,
            minority: false,
            village_tie: 0.0,
        }
    }

    /// Hardship target of a person at peace and with the land decreed, in Petrograd if they
    /// live in town and in the Volga if not, where the towns get `heating` of their fuel and
    /// the state has confiscated `confiscation` of a normal year's surplus, in a week `cold`
    /// deep into winter, when the villages lack `goods_lacking` of the factory goods they buy.
    fn hardship(
        class: Class,
        role: Role,
        lives_in_town: bool,
        heating: f64,
        confiscation: f64,
        cold: f64,
        goods_lacking: f64,
    ) -> f64 {
        let params = Params::default();
        let mut regions = initial_regions(&params, 1000.0);
        for region in &mut regions.list {
            region.heating = heating;
            region.confiscation = confiscation;
        }
        let mut state = State::tsarist();
        state.war = WarPolicy::Peace;
        state.land = LandPolicy::Decree;
        let region = if lives_in_town {
            Region::Petrograd
        } else {
            Region::Volga
        };
        hardship_target(
            &params,
            &person(class, region),
            role,
            lives_in_town,
            &state,
            &regions,
            cold,
            goods_lacking,
            0.0,
        )
    }

    #[test]
    fn the_cold_bites_only_those_the_towns_heat_and_only_in_winter() {
        let weight = Params::default().hardship.cold_weight;
        let worker = |heating, cold| {
            hardship(
                Class::WorkerEstablished,
                Role::Civilian,
                true,
                heating,
                0.0,
                cold,
                0.0,
            )
        };
        assert!((worker(0.25, 1.0) - worker(1.0, 1.0) - 0.75 * weight).abs() < 1e-9);
        assert_eq!(worker(0.25, 0.0), worker(1.0, 0.0));
        // Sailors live on the towns' supplies; villagers cut their own wood (what they lack
        // is the factories' goods: see the next test).
        let sailor = |heating| {
            hardship(
                Class::PeasantMiddle,
                Role::Sailor,
                false,
                heating,
                0.0,
                1.0,
                0.0,
            )
        };
        assert!(sailor(0.25) > sailor(1.0));
        let villager = |heating| {
            hardship(
                Class::PeasantMiddle,
                Role::Civilian,
                false,
                heating,
                0.0,
                1.0,
                0.0,
            )
        };
        assert_eq!(villager(0.25), villager(1.0));
    }

    /// Villagers feel the winter as far as the factories no longer make the goods they would
    /// buy [002:109], whatever reaches the towns' stoves; not in summer.
    #[test]
    fn a_villager_feels_the_winter_as_far_as_goods_are_lacking() {
        let villager = |cold, goods_lacking| {
            hardship(
                Class::PeasantMiddle,
                Role::Civilian,
                false,
                1.0,
                0.0,
                cold,
                goods_lacking,
            )
        };
        let weight = Params::default().hardship.village_cold_weight;
        assert!((villager(1.0, 0.5) - villager(1.0, 0.0) - 0.5 * weight).abs() < 1e-9);
        assert_eq!(villager(0.0, 0.5), villager(0.0, 0.0));
    }

    /// The "intolerable imposts" weigh on the villagers and on the peasants in uniform, who
    /// demanded their villages' right to their own land [003:113], not on the towns.
    #[test]
    fn villages_and_peasants_in_uniform_feel_the_grain_confiscated() {
        let weight = Params::default().hardship.imposts_weight;
        let felt = |class, role, lives_in_town| {
            hardship(class, role, lives_in_town, 1.0, 1.0, 0.0, 0.0)
                - hardship(class, role, lives_in_town, 1.0, 0.0, 0.0, 0.0)
        };
        assert!((felt(Class::PeasantMiddle, Role::Civilian, false) - weight).abs() < 1e-9);
        assert!((felt(Class::PeasantPoor, Role::Sailor, false) - weight).abs() < 1e-9);
        assert_eq!(felt(Class::WorkerEstablished, Role::Sailor, false), 0.0);
        assert_eq!(felt(Class::WorkerEstablished, Role::Civilian, true), 0.0);
    }

    /// Each week the share of people who reconsider is the weekly chance of
    /// `allegiance.reconsider_rate` (times its multipliers): the hazard of every cell uses up
    /// the exponential draws of that share of 100,000 persons a week, over ten weeks (within
    /// four standard errors; a hazard equal to the chance itself, not -ln(1 - chance), gives
    /// 7.7 % for 8 % and fails).
    #[test]
    fn the_hazard_uses_up_the_weekly_chance() {
        let params = Params::default();
        let rng = RunRng::new(11);
        let hazards = reconsider_hazards(&params);
        for (r, region) in [(0, Region::ALL[0]), (5, Region::ALL[5])] {
            for volatile in [false, true] {
                for village in [false, true] {
                    let rate = reconsider_rate(&params, region, volatile, village);
                    let hazard = hazards[r][usize::from(volatile)][usize::from(village)];
                    let persons = 100_000u32;
                    let mut left = vec![0.0f32; persons as usize];
                    for week in 0..11u32 {
                        let mut reconsidered = 0u32;
                        for (id, left) in (0..persons).zip(left.iter_mut()) {
                            if uses_up(left, hazard) {
                                reconsidered += 1;
                                *left =
                                    rng.draws(Stream::PartyChoice, id, week).exponential() as f32;
                            }
                        }
                        if week == 0 {
                            assert_eq!(reconsidered, persons, "everyone chooses at first");
                            continue;
                        }
                        let share = f64::from(reconsidered) / f64::from(persons);
                        let error = (rate * (1.0 - rate) / f64::from(persons)).sqrt();
                        assert!(
                            (share - rate).abs() < 4.0 * error,
                            "{region:?} volatile {volatile} village {village} week {week}: \
                             {share} against {rate}"
                        );
                    }
                }
            }
        }
    }
}
