//! Soviets, factory committees, Congresses of Soviets and the Constituent Assembly election.

use bevy_ecs::prelude::{Res, ResMut, World};

use crate::metrics::{Announcements, Family, GroupKey, Metric};
use crate::model::ids::{Class, CommunityKind, Party, Region, Role, Side, SovietElections};
use crate::model::params::{flag, Params};
use crate::model::run_state::{Affinities, Switches};
use crate::model::{
    CitySoviet, Clock, Communities, Parties, Persons, Regions, Seats, State, Tally,
};
use crate::rng::RunRng;
use crate::systems::allegiance::{
    best_list, fed_from_towns, party_utilities, ChoiceContext, RecordFits,
};

/// Seats from the stances expressed in a community. Under managed elections only the
/// governing parties stand ("the Bolshevik Party took command of the soviets, eliminating the
/// other parties"), the voters of the others abstain, and where no one stands for them their
/// appointees fill the seats: the soviets become "mere shells" of the party
/// [003:103-107][000:146].
pub fn seats_from_stances(counts: &[u32; Party::COUNT], state: &State) -> Seats {
    let counted = |p: Party| {
        p != Party::None
            && (state.soviet_elections == SovietElections::Free || state.in_government[p.index()])
    };
    let total: u32 = Party::ALL
        .iter()
        .filter(|&&p| counted(p))
        .map(|p| counts[p.index()])
        .sum();
    let mut seats = [0.0; Party::COUNT];
    if total == 0 {
        if state.soviet_elections == SovietElections::Managed {
            let governing = state.in_government.iter().filter(|&&g| g).count();
            for &party in Party::ALL {
                if state.in_government[party.index()] {
                    seats[party.index()] = 1.0 / governing as f32;
                }
            }
        }
        return seats;
    }
    for &party in Party::ALL {
        if counted(party) {
            seats[party.index()] = counts[party.index()] as f32 / total as f32;
        }
    }
    seats
}

/// Local soviets are re-elected every `soviets.election_interval` weeks and factory
/// committees every `soviets.factory_committee_interval` weeks, staggered by community, so
/// composition follows the mood with a lag; committees move first [000:237][000:707]. A
/// soviet that has lost more than `1 - soviets.quorum` of its founding members is hollowed
/// out and holds no more elections [003:97-107][004:97-123].
pub fn elect_soviets(
    params: Res<Params>,
    clock: Res<Clock>,
    state: Res<State>,
    tally: Res<Tally>,
    mut communities: ResMut<Communities>,
) {
    if !state.soviets {
        return;
    }
    let soviet_interval = params.soviets.election_interval.max(1.0) as u32;
    let committee_interval = params.soviets.factory_committee_interval.max(1.0) as u32;
    for (index, community) in communities.list.iter_mut().enumerate() {
        let counts = &tally.community_public[index];
        let turn = clock.step + index as u32;
        if !community.soviet_elected {
            community.founding_members = community.members;
        }
        // A soviet whose constituents have gone to the army, the food detachments or the
        // villages no longer meets to re-elect: its old deputies and executive carry on.
        let quorate = community.vitality() >= params.soviets.quorum;
        if !community.soviet_elected || (quorate && turn.is_multiple_of(soviet_interval)) {
            community.soviet = seats_from_stances(counts, &state);
            community.soviet_elected = true;
        }
        if community.kind == CommunityKind::Factory && turn.is_multiple_of(committee_interval) {
            community.factory_committee = seats_from_stances(counts, &state);
        }
    }
}

/// Member-weighted seats of a set of soviets (e.g. a city soviet made of its factories' and
/// regiments' deputies).
pub fn combined_seats<'a>(communities: impl Iterator<Item = (&'a Seats, f64)>) -> Seats {
    let mut seats = [0.0f64; Party::COUNT];
    let mut total = 0.0;
    for (body, weight) in communities {
        if body.iter().sum::<f32>() <= 0.0 {
            continue;
        }
        for (sum, &share) in seats.iter_mut().zip(body.iter()) {
            *sum += weight * f64::from(share);
        }
        total += weight;
    }
    shares(&seats, total)
}

/// A soviet's executive committee, appointed by party quota rather than elected: every party
/// with at least `soviets.executive_quota` of the seats sends the same number of members, so
/// small parties of the intelligentsia weigh as much as mass parties [000:430][000:199].
pub fn executive_committee(seats: &Seats, params: &Params) -> Seats {
    let quota = params.soviets.executive_quota as f32;
    let seated =
        |p: &Party| *p != Party::None && seats[p.index()] >= quota && seats[p.index()] > 0.0;
    let parties = Party::ALL.iter().filter(|p| seated(p)).count();
    std::array::from_fn(|i| {
        if parties > 0 && seated(&Party::ALL[i]) {
            1.0 / parties as f32
        } else {
            0.0
        }
    })
}

/// Weighted sums of seats as shares of `total` (none when it is empty).
fn shares(sums: &[f64; Party::COUNT], total: f64) -> Seats {
    std::array::from_fn(|i| {
        if total > 0.0 {
            (sums[i] / total) as f32
        } else {
            0.0
        }
    })
}

/// A city soviet: its communities' soviets weighted by members.
pub fn city_soviet(communities: &Communities, city: CitySoviet) -> Seats {
    combined_seats(
        communities
            .list
            .iter()
            .filter(|c| c.city == Some(city))
            .map(|c| (&c.soviet, f64::from(c.members))),
    )
}

/// A Congress of Soviets, filled layer by layer. Each region's local soviets meet in a
/// regional (uezd and guberniya) congress, one delegate per constituent, a village's
/// constituents counted at `soviets.peasant_vote_weight` of a town's [004:43]; the village
/// soviets sit only once [`Switches::peasants_in_congress`] is on (in 1917 they had a congress
/// of their own). It is a congress of workers', soldiers' (and then peasants') deputies: the
/// towns' other residents send none [000:430]. Each regional congress elects its delegation,
/// the size of its constituency, in proportion to its seats, except that the largest party
/// takes `soviets.slate_premium` of it on top: a majority elects the next layer, so the
/// largest party gains at each step up the hierarchy [000:199][000:430] (the size of the gain
/// is a model assumption). Soviets in regions held by the Whites, the Germans or the Greens,
/// or seceded, send no delegates.
pub fn congress(
    communities: &Communities,
    params: &Params,
    peasants_sit: bool,
    regions: &Regions,
) -> Seats {
    // One pass: each region's congress, its constituents' seats weighted and summed.
    let mut sums = [[0.0f64; Party::COUNT]; Region::COUNT];
    let mut constituents = [0.0f64; Region::COUNT];
    for c in &communities.list {
        let cut_off = matches!(
            regions.get(c.region).control,
            Side::White | Side::German | Side::Green | Side::Independent
        );
        if cut_off || c.soviet.iter().sum::<f32>() <= 0.0 {
            continue;
        }
        let weight = match c.kind {
            CommunityKind::Village if peasants_sit => params.soviets.peasant_vote_weight,
            CommunityKind::Village | CommunityKind::Town => 0.0,
            CommunityKind::Factory
            | CommunityKind::Garrison
            | CommunityKind::Regiment
            | CommunityKind::Ship => 1.0,
        } * f64::from(c.members);
        let region = c.region.index();
        for (sum, &share) in sums[region].iter_mut().zip(c.soviet.iter()) {
            *sum += weight * f64::from(share);
        }
        constituents[region] += weight;
    }
    // Each regional congress elects its delegation; the largest party takes the premium.
    let premium = params.soviets.slate_premium;
    let mut delegates = [0.0f64; Party::COUNT];
    let mut total = 0.0;
    for (sums, &delegation) in sums.iter().zip(&constituents) {
        if delegation <= 0.0 {
            continue;
        }
        let seats = shares(sums, delegation);
        let largest = largest_party(&seats);
        for (i, sum) in delegates.iter_mut().enumerate() {
            let slate = f64::from(u8::from(Some(i) == largest));
            *sum += delegation * ((1.0 - premium) * f64::from(seats[i]) + premium * slate);
        }
        total += delegation;
    }
    shares(&delegates, total)
}

/// The index of the party with the most seats (the first of equals), if any has seats.
fn largest_party(seats: &Seats) -> Option<usize> {
    Party::ALL
        .iter()
        .filter(|&&p| p != Party::None && seats[p.index()] > 0.0)
        .max_by(|a, b| {
            seats[a.index()]
                .total_cmp(&seats[b.index()])
                .then(b.index().cmp(&a.index()))
        })
        .map(|p| p.index())
}

/// What is left of the old army: soldiers and sailors in service as a share of those of
/// March 1917 (`army.front_millions`, `army.garrison_millions`, `army.sailors_thousands`).
pub fn old_army_left(params: &Params, tally: &Tally, people_per_agent: f64) -> f64 {
    let a = &params.army;
    let start = (a.front_millions + a.garrison_millions) * 1e6 + a.sailors_thousands * 1e3;
    let now: f64 = tally.regions.iter().map(|r| r.soldiers).sum::<f64>() * people_per_agent;
    if start > 0.0 {
        now / start
    } else {
        0.0
    }
}

/// Convenes Congress number `number` and announces its composition.
pub fn convene_congress(world: &mut World, number: u32) {
    let params = world.resource::<Params>();
    let communities = world.resource::<Communities>();
    let peasants_sit = world.resource::<Switches>().peasants_in_congress;
    let seats = congress(
        communities,
        params,
        peasants_sit,
        world.resource::<Regions>(),
    );
    let old_army = old_army_left(
        params,
        world.resource::<Tally>(),
        world.resource::<Clock>().people_per_agent,
    );
    let peace_vote = peace_vote(params, &seats, old_army);
    // While the peasants' soviets meet apart, their congress convenes alongside.
    let peasants = (!peasants_sit).then(|| peasant_congress(communities));
    let mut announcements = world.resource_mut::<Announcements>();
    let group = GroupKey::Congress(number);
    let mut announce = |family: Family, seats: &Seats| {
        for &party in Party::ALL {
            announcements.push(
                Metric::party(family, party),
                group,
                f64::from(seats[party.index()]),
            );
        }
    };
    announce(Family::CongressShare, &seats);
    if let Some(peasant_seats) = peasants {
        announce(Family::PeasantCongressShare, &peasant_seats);
    }
    announcements.push(Metric::of(Family::CongressVotePeace), group, peace_vote);
}

/// The Congress of Peasants' Soviets of 1917: the village soviets, one delegate per
/// constituent (model assumption).
pub fn peasant_congress(communities: &Communities) -> Seats {
    combined_seats(
        communities
            .list
            .iter()
            .filter(|c| c.kind == CommunityKind::Village)
            .map(|c| (&c.soviet, f64::from(c.members))),
    )
}

/// A party's line on a separate peace on the enemy's terms, as its own congress would decide
/// it: for, when the party stands for peace above `soviets.peace_vote_threshold` and the old
/// army is down to `soviets.old_army_gone` of its strength, so that there is no army to fight
/// a revolutionary war with. Lenin had "only one argument. But it was decisive: 'The old
/// army does not exist'", and carried the Seventh Party Congress 30 to 12 [004:65][004:75];
/// the soldiers "are voting with their feet" [002:81].
pub fn accepts_peace_terms(params: &Params, party: Party, old_army_left: f64) -> bool {
    params.program(party, crate::model::ids::Issue::Peace) > params.soviets.peace_vote_threshold
        && old_army_left <= params.soviets.old_army_gone
}

/// The share of the votes cast at a congress for ratifying a separate peace. A party's
/// delegates vote its line ([`accepts_peace_terms`]); where the line is for the peace, those who
/// share the view of the soviets that sent them, which was for war ("only two large soviets
/// ... in favour of peace") [004:73], abstain rather than break the party's decision: the
/// minorities "defer without abandoning their ideas" [004:77]. `soviets.party_discipline` of
/// them vote for it. So a separate peace passes only where a disciplined party that accepts it
/// holds enough of the congress, as at the Fourth Congress, which ratified Brest-Litovsk 748
/// to 261 [004:75].
pub fn peace_vote(params: &Params, seats: &Seats, old_army_left: f64) -> f64 {
    let (mut aye, mut nay) = (0.0, 0.0);
    for &party in Party::ALL.iter().filter(|&&p| p != Party::None) {
        let share = f64::from(seats[party.index()]);
        if accepts_peace_terms(params, party, old_army_left) {
            aye += share * params.soviets.party_discipline;
        } else {
            nay += share;
        }
    }
    if aye + nay > 0.0 {
        aye / (aye + nay)
    } else {
        0.0
    }
}

/// The Constituent Assembly election: a secret ballot of private preferences, so banned or
/// harassed parties get their real support; those with no party of their own vote the list
/// they like best ([`best_list`]: a ballot is a choice among lists). With
/// `soviets.fixed_sr_lists`, Left SR voters can only vote the joint SR lists drawn up before
/// the split [001:169][004:35-55].
pub fn constituent_election(world: &mut World) {
    let mut national = [0.0; Party::COUNT];
    let mut by_region = [[0.0; Party::COUNT]; Region::COUNT];
    let mut by_class = [[0.0; Party::COUNT]; Class::COUNT];
    let params = world.resource::<Params>();
    let fixed_lists = flag(params.soviets.fixed_sr_lists);
    let tally = world.resource::<Tally>();
    let communities = world.resource::<Communities>();
    let organisation = ChoiceContext::organisation(world.resource::<Parties>());
    let program_fit = ChoiceContext::program_fit_table(params);
    let state = world.resource::<State>();
    let record_fits = RecordFits::this_week(params, state);
    let context = ChoiceContext {
        params,
        state,
        affinities: world.resource::<Affinities>(),
        organisation: &organisation,
        program_fit: &program_fit,
        record_fits: &record_fits,
        rng: world.resource::<RunRng>(),
    };
    let persons = world.resource::<Persons>();
    let people = persons
        .person
        .iter()
        .zip(&persons.status)
        .zip(&persons.outlook)
        .zip(&persons.allegiance);
    for (((person, status), outlook), allegiance) in people {
        if matches!(status.role, Role::Dead | Role::Jailed) {
            continue;
        }
        let mut vote = allegiance.private;
        if vote == Party::None {
            let community = person.community as usize;
            let members = f64::from(communities.list[community].members.max(1));
            let shares: [f64; Party::COUNT] =
                std::array::from_fn(|i| f64::from(tally.community_private[community][i]) / members);
            let lives_in_town = communities.list[community].is_urban();
            vote = best_list(&party_utilities(
                &context,
                person,
                status.role,
                fed_from_towns(lives_in_town, status.role),
                f64::from(outlook.legitimacy),
                allegiance,
                &shares,
            ));
        }
        if fixed_lists && vote == Party::LeftSrs {
            vote = Party::Srs;
        }
        national[vote.index()] += 1.0;
        by_region[person.region.index()][vote.index()] += 1.0;
        by_class[person.class.index()][vote.index()] += 1.0;
    }
    let mut announcements = world.resource_mut::<Announcements>();
    let mut announce = |group: GroupKey, votes: &[f64; Party::COUNT]| {
        let cast: f64 = Party::ALL
            .iter()
            .filter(|&&p| p != Party::None)
            .map(|p| votes[p.index()])
            .sum();
        for &party in Party::ALL.iter().filter(|&&p| p != Party::None) {
            let share = if cast > 0.0 {
                votes[party.index()] / cast
            } else {
                0.0
            };
            announcements.push(
                Metric::party(Family::ElectionConstituent, party),
                group,
                share,
            );
        }
    };
    announce(GroupKey::All, &national);
    for &region in Region::ALL {
        announce(GroupKey::Region(region), &by_region[region.index()]);
    }
    for &class in Class::ALL {
        announce(GroupKey::Class(class), &by_class[class.index()]);
    }
}
