//! The allegiance core, run for every person every week: hardship, legitimacy, party choice
//! and public stance [DESIGN 3].

use bevy_ecs::prelude::{Query, Res, ResMut};

use crate::model::ids::{
    Class, CommunityKind, Issue, LandPolicy, LegalStatus, Party, Regime, Region, RegionField, Role,
    Side, SovietElections, WarPolicy,
};
use crate::model::params::{flag, Params};
use crate::model::run_state::{Affinities, Switches};
use crate::model::Group;
use crate::model::{
    Allegiance, Clock, Communities, Outlook, Parties, Person, RegionState, Regions, State, Status,
    Tally,
};
use crate::rng::{RunRng, Stream};
use crate::systems::{share_from_stand, stand_from_share, DIVISOR_FLOOR};

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
    // Soviets that no longer elect freely are power in name only [000:481-509][003:97-107].
    if state.soviet_elections == SovietElections::Managed {
        positions[Issue::SovietPower.index()] = -1.0;
    }
    positions
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

/// How well a set of stands fits a class's interests, -1 to 1. Soldiers and sailors weigh
/// peace more [002:81].
pub fn fit(params: &Params, class: Class, role: Role, positions: &[f64; Issue::COUNT]) -> f64 {
    let mut score = 0.0;
    let mut weight = 0.0;
    for &issue in Issue::ALL {
        let mut interest = params.interest(class, issue);
        if issue == Issue::Peace && in_uniform(role) {
            interest += params.legitimacy.soldier_peace_interest;
        }
        score += interest * positions[issue.index()];
        weight += interest.abs();
    }
    if weight > 0.0 {
        score / weight
    } else {
        0.0
    }
}

/// Soldiers and sailors of the old army and fleet: peasants and workers in uniform.
fn in_uniform(role: Role) -> bool {
    matches!(role, Role::Soldier | Role::Sailor)
}

/// Whether a person eats from the state's and the market's grain (townspeople, soldiers,
/// sailors) rather than from the village's stocks.
pub fn fed_from_towns(lives_in_town: bool, role: Role) -> bool {
    lives_in_town || in_uniform(role)
}

/// Hardship target from unmet needs, 0-1: food, the war's burden, land hunger,
/// unemployment, for those who live on the towns' supplies the winter's cold where heating
/// fuel is short (`cold` is how deep into winter the week is, 0-1), and, for villagers and
/// for peasants in uniform (by their home region), the "intolerable imposts" of grain
/// confiscated, which they would have sold for what they need, added up
/// [000:229][000:203][000:183][004:113][000:205][000:761][002:109][003:115].
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
) -> f64 {
    let h = &params.hardship;
    let region = regions.get(person.region);
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
    // Under the Whites the landlords come back [001:155].
    let land_position = if region.control == Side::White {
        0.0
    } else {
        // The land stand (-1 to 1) as the share of land hunger met (0 to 1).
        share_from_stand(land_stand(params, state.land))
    };
    let land_hunger = params.interest(person.class, Issue::Land).max(0.0) * (1.0 - land_position);
    let unemployment = if person.class.is_worker() {
        region.unemployment
    } else {
        0.0
    };
    let unheated = if town_fed {
        cold * (1.0 - region.heating)
    } else {
        0.0
    };
    let in_the_village = !lives_in_town && matches!(role, Role::Civilian | Role::Insurgent);
    let imposts = if in_the_village {
        region.confiscation.min(1.0)
    } else if person.class.works_land() && in_uniform(role) {
        regions.get(person.home).confiscation.min(1.0)
    } else {
        0.0
    };
    (h.food_weight * (1.0 - food)
        + war_burden
        + h.land_weight * land_hunger
        + h.unemployment_weight * unemployment
        + h.cold_weight * unheated
        + h.imposts_weight * imposts)
        .clamp(0.0, 1.0)
}

/// What the dispersal of the Constituent Assembly costs in legitimacy (log-odds): peasants
/// far from the centres, who had no other voice in the state, lose most [004:53-55]. Zero
/// until the Assembly is dispersed ([`Switches::assembly_dispersed`]).
pub fn assembly_grievance(params: &Params, switches: &Switches, person: &Person) -> f64 {
    let l = &params.legitimacy;
    if !switches.assembly_dispersed || !person.class.is_peasant() {
        return 0.0;
    }
    l.dispersal_cost * params.region(person.home, RegionField::Distance)
}

/// What the grain policy costs a class in legitimacy (log-odds): those who work the land
/// hold against the state the share of their home region's harvest it took, and more what
/// it confiscated, paying nothing (peasants in uniform feel what is taken from their
/// villages: the Kronstadt sailors rose for the peasants' right to their land [003:115]);
/// committees of poor peasants win the poor and cost the middle peasants and kulaks
/// [002:93-105][002:99-101].
pub fn grain_grievance(params: &Params, state: &State, class: Class, region: &RegionState) -> f64 {
    let l = &params.legitimacy;
    let taken = if class.works_land() {
        l.extraction_weight * region.extraction + l.confiscation_weight * region.confiscation
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
/// any other regime and once the civil war is over.
pub fn lesser_evil(
    params: &Params,
    switches: &Switches,
    state: &State,
    class: Class,
    threat: f64,
) -> f64 {
    if state.regime != Regime::Sovnarkom || !switches.civil_war_active || !class.is_peasant() {
        return 0.0;
    }
    params.legitimacy.lesser_evil_weight * params.interest(class, Issue::Land).max(0.0) * threat
}

/// Legitimacy target, 0-1: a logistic of the regime's base legitimacy (a White government's
/// where the Whites hold the region), its fit to the class's interests, the repression of
/// one's own class, the grain grievance and the lesser evil [000:263][000:761][003:117].
pub fn legitimacy_target(
    params: &Params,
    state: &State,
    fit_to_class: f64,
    class_jailed_share: f64,
    grain_grievance: f64,
    white_held: bool,
) -> f64 {
    let l = &params.legitimacy;
    let base = match state.regime {
        _ if white_held => l.white_base,
        Regime::Tsar => l.tsar_base,
        Regime::Provisional => l.provisional_base,
        Regime::Sovnarkom if flag(params.october.in_soviets_name) => {
            l.sovnarkom_base + params.october.banner_legitimacy
        }
        Regime::Sovnarkom => l.sovnarkom_base,
    };
    let x = base + l.fit_weight * fit_to_class
        - l.repression_weight * class_jailed_share
        - grain_grievance;
    1.0 / (1.0 + (-x).exp())
}

/// Hardship and legitimacy for every living person. `legitimacy_drop` keeps this week's fall,
/// which the revolt rule adds to grievance. A new regime is judged afresh.
pub fn update_outlook(
    params: Res<Params>,
    switches: Res<Switches>,
    clock: Res<Clock>,
    mut state: ResMut<State>,
    regions: Res<Regions>,
    tally: Res<Tally>,
    communities: Res<Communities>,
    mut persons: Query<(&Person, &Status, &mut Outlook)>,
) {
    let cold = clock.cold();
    let threat = white_threat(&params, &tally);
    let jailed_share: Vec<f64> = Class::ALL
        .iter()
        .map(|&c| tally.jailed_by_class[c.index()] / tally.group(Group::Class(c)).persons.max(1.0))
        .collect();
    // The regime's stands are the same for everyone fed from the same stocks in a region.
    let positions: Vec<[[f64; Issue::COUNT]; 2]> = Region::ALL
        .iter()
        .map(|&r| {
            let region = regions.get(r);
            let white_held = region.control == Side::White;
            [region.food_rural, region.food_urban]
                .map(|food| regime_positions(&state, &params, food, white_held))
        })
        .collect();
    for (person, status, mut outlook) in &mut persons {
        if !status.role.is_alive() {
            continue;
        }
        let lives_in_town = communities.list[person.community as usize].is_urban();
        let h_target = hardship_target(
            &params,
            person,
            status.role,
            lives_in_town,
            &state,
            &regions,
            cold,
        );
        let hardship = f64::from(outlook.hardship);
        outlook.hardship = (hardship + params.hardship.adjust_rate * (h_target - hardship)) as f32;
        let region = regions.get(person.region);
        let white_held = region.control == Side::White;
        let town_fed = usize::from(fed_from_towns(lives_in_town, status.role));
        let fit_to_class = fit(
            &params,
            person.class,
            status.role,
            &positions[person.region.index()][town_fed],
        );
        let grievance = if white_held {
            0.0
        } else {
            grain_grievance(&params, &state, person.class, regions.get(person.home))
                + assembly_grievance(&params, &switches, person)
                - lesser_evil(&params, &switches, &state, person.class, threat)
        };
        let l_target = legitimacy_target(
            &params,
            &state,
            fit_to_class,
            jailed_share[person.class.index()],
            grievance,
            white_held,
        );
        let legitimacy = f64::from(outlook.legitimacy);
        // A new regime is judged afresh, not by the old one's record.
        let rate = if state.regime_changed {
            1.0
        } else {
            params.legitimacy.adjust_rate
        };
        let updated = legitimacy + rate * (l_target - legitimacy);
        outlook.legitimacy_drop = (legitimacy - updated).max(0.0) as f32;
        outlook.legitimacy = updated as f32;
    }
    state.regime_changed = false;
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
    /// sailors (1): the same for everyone of a class within a week.
    pub program_fit: &'a [[[f64; Party::COUNT]; 2]; Class::COUNT],
}

impl ChoiceContext<'_> {
    /// The program-fit table of a week.
    pub fn program_fit_table(params: &Params) -> [[[f64; Party::COUNT]; 2]; Class::COUNT] {
        std::array::from_fn(|c| {
            [Role::Civilian, Role::Soldier].map(|role| {
                std::array::from_fn(|p| {
                    fit(params, Class::ALL[c], role, &params.stands(Party::ALL[p]))
                })
            })
        })
    }
}

/// The utility of each party to one person: program fit to the class's interests, the
/// community's shares, the party's organisation, the coalition penalty (times the person's
/// distrust of the government), the class's standing attachment to the party, inertia,
/// national appeal and the risk of a banned party [002:63][000:241][000:263-279][001:189].
pub fn party_utilities(
    context: &ChoiceContext,
    person: &Person,
    role: Role,
    legitimacy: f64,
    current: Party,
    community_shares: &[f64; Party::COUNT],
) -> [f64; Party::COUNT] {
    let ChoiceContext {
        params,
        state,
        affinities,
        organisation,
        program_fit,
    } = *context;
    let fits = &program_fit[person.class.index()][usize::from(in_uniform(role))];
    let a = &params.allegiance;
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
            let mut u = a.fit_weight * fits[i] + a.organisation_weight * organisation[i];
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
            + a.affinity_weight * affinities.get(person.class, party);
        if party == current {
            u += a.inertia;
        }
        utilities[i] = u;
    }
    utilities
}

/// Samples a party from logit choice probabilities; returns it and its probability.
pub fn logit_choice(utilities: &[f64; Party::COUNT], temperature: f64, u: f64) -> (Party, f64) {
    let max = utilities.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let weights: [f64; Party::COUNT] =
        std::array::from_fn(|i| ((utilities[i] - max) / temperature).exp());
    let total: f64 = weights.iter().sum();
    let mut acc = 0.0;
    for &party in Party::ALL {
        let p = weights[party.index()] / total;
        acc += p;
        if u < acc {
            return (party, p);
        }
    }
    (Party::None, weights[Party::None.index()] / total)
}

/// Whether a person says in public what they think: yes for a legal party; for a harassed
/// or banned one only if their conviction beats the risk (Kuran) [000:269][000:146].
pub fn public_stance(params: &Params, state: &State, private: Party, strength: f64) -> Party {
    let risk = match state.status_of(private) {
        LegalStatus::Legal => return private,
        LegalStatus::Harassed => params.stance.harassed_risk,
        LegalStatus::Banned => params.stance.banned_risk,
    };
    if strength > risk {
        private
    } else {
        Party::None
    }
}

/// Weekly party choice: a share of people reconsider (more among migrant workers, soldiers
/// and sailors; fewer in villages far from the centres, where news is slow [000:241]);
/// everyone then sets their public stance.
pub fn choose_party(
    params: Res<Params>,
    affinities: Res<Affinities>,
    state: Res<State>,
    clock: Res<Clock>,
    rng: Res<RunRng>,
    parties: Res<Parties>,
    tally: Res<Tally>,
    communities: Res<Communities>,
    mut persons: Query<(&Person, &Status, &Outlook, &mut Allegiance)>,
) {
    let total_members: f64 = parties.list.iter().map(|p| p.members).sum();
    let organisation: [f64; Party::COUNT] =
        std::array::from_fn(|i| parties.list[i].members / total_members.max(1.0));
    let first_step = clock.step == 0;
    let program_fit = ChoiceContext::program_fit_table(&params);
    let context = ChoiceContext {
        params: &params,
        state: &state,
        affinities: &affinities,
        organisation: &organisation,
        program_fit: &program_fit,
    };
    for (person, status, outlook, mut allegiance) in &mut persons {
        if !status.role.is_alive() {
            continue;
        }
        let mut draws = rng.draws(Stream::PartyChoice, person.id, clock.step);
        let volatile = person.class == Class::WorkerMigrant || in_uniform(status.role);
        let a = &params.allegiance;
        let mut rate = a.reconsider_rate * if volatile { a.volatile_multiplier } else { 1.0 };
        if communities.list[person.community as usize].kind == CommunityKind::Village {
            rate *= 1.0 - a.news_distance * params.region(person.region, RegionField::Distance);
        }
        let must_choose = first_step || !available(&state, allegiance.private);
        if must_choose || draws.chance(rate) {
            let counts = &tally.community_private[person.community as usize];
            let members = communities.list[person.community as usize].members.max(1) as f64;
            let shares: [f64; Party::COUNT] =
                std::array::from_fn(|i| f64::from(counts[i]) / members);
            let utilities = party_utilities(
                &context,
                person,
                status.role,
                f64::from(outlook.legitimacy),
                allegiance.private,
                &shares,
            );
            let (party, probability) =
                logit_choice(&utilities, params.allegiance.temperature, draws.uniform());
            allegiance.private = party;
            allegiance.strength = probability as f32;
        }
        allegiance.public = public_stance(
            &params,
            &state,
            allegiance.private,
            f64::from(allegiance.strength),
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
    /// deep into winter.
    fn hardship(
        class: Class,
        role: Role,
        lives_in_town: bool,
        heating: f64,
        confiscation: f64,
        cold: f64,
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
            )
        };
        assert!((worker(0.25, 1.0) - worker(1.0, 1.0) - 0.75 * weight).abs() < 1e-9);
        assert_eq!(worker(0.25, 0.0), worker(1.0, 0.0));
        // Sailors live on the towns' supplies; villagers cut their own wood.
        let sailor =
            |heating| hardship(Class::PeasantMiddle, Role::Sailor, false, heating, 0.0, 1.0);
        assert!(sailor(0.25) > sailor(1.0));
        let villager = |heating| {
            hardship(
                Class::PeasantMiddle,
                Role::Civilian,
                false,
                heating,
                0.0,
                1.0,
            )
        };
        assert_eq!(villager(0.25), villager(1.0));
    }

    /// The "intolerable imposts" weigh on the villagers and on the peasants in uniform, who
    /// demanded their villages' right to their own land [003:115], not on the towns.
    #[test]
    fn villages_and_peasants_in_uniform_feel_the_grain_confiscated() {
        let weight = Params::default().hardship.imposts_weight;
        let felt = |class, role, lives_in_town| {
            hardship(class, role, lives_in_town, 1.0, 1.0, 0.0)
                - hardship(class, role, lives_in_town, 1.0, 0.0, 0.0)
        };
        assert!((felt(Class::PeasantMiddle, Role::Civilian, false) - weight).abs() < 1e-9);
        assert!((felt(Class::PeasantPoor, Role::Sailor, false) - weight).abs() < 1e-9);
        assert_eq!(felt(Class::WorkerEstablished, Role::Sailor, false), 0.0);
        assert_eq!(felt(Class::WorkerEstablished, Role::Civilian, true), 0.0);
    }
}
