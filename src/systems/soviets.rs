//! Soviets, factory committees, Congresses of Soviets and the Constituent Assembly election.

use bevy_ecs::prelude::{Res, ResMut, World};

use crate::metrics::{Announcements, Family, GroupKey, Metric};
use crate::model::ids::{Class, CommunityKind, Party, Region, Role, Side, SovietElections};
use crate::model::params::{flag, Params};
use crate::model::run_state::{Affinities, Switches};
use crate::model::{
    Allegiance, CitySoviet, Clock, Communities, Outlook, Parties, Person, Regions, Seats, State,
    Status, Tally,
};
use crate::rng::RunRng;
use crate::systems::allegiance::{best_list, fed_from_towns, party_utilities, ChoiceContext};

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
    std::array::from_fn(|i| {
        if total > 0.0 {
            (seats[i] / total) as f32
        } else {
            0.0
        }
    })
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

/// A Congress of Soviets filled from every local soviet, one delegate per constituent, a
/// village's constituents counted at `soviets.peasant_vote_weight` of a town's [004:43];
/// the village soviets sit only once [`Switches::peasants_in_congress`] is on (in 1917 they
/// had a congress of their own). It is a congress of workers', soldiers' (and then
/// peasants') deputies: the towns' other residents send none [000:430]. Soviets in regions
/// held by the Whites, the Germans or the Greens send no delegates.
pub fn congress(
    communities: &Communities,
    params: &Params,
    peasants_sit: bool,
    regions: &Regions,
) -> Seats {
    combined_seats(communities.list.iter().map(|c| {
        let cut_off = matches!(
            regions.get(c.region).control,
            Side::White | Side::German | Side::Green
        );
        let weight = match c.kind {
            _ if cut_off => 0.0,
            CommunityKind::Village if peasants_sit => params.soviets.peasant_vote_weight,
            CommunityKind::Village | CommunityKind::Town => 0.0,
            CommunityKind::Factory
            | CommunityKind::Garrison
            | CommunityKind::Regiment
            | CommunityKind::Ship => 1.0,
        };
        (&c.soviet, weight * f64::from(c.members))
    }))
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
    let peace_vote = peace_vote(params, &seats);
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

/// The share of a congress's party delegates who would vote to ratify a separate peace: those
/// whose party stands for peace above `soviets.peace_vote_threshold` (as at the Fourth
/// Congress, which ratified Brest-Litovsk [004:73-75]).
pub fn peace_vote(params: &Params, seats: &Seats) -> f64 {
    let (mut aye, mut cast) = (0.0, 0.0);
    for &party in Party::ALL.iter().filter(|&&p| p != Party::None) {
        let share = f64::from(seats[party.index()]);
        cast += share;
        if params.program(party, crate::model::ids::Issue::Peace)
            > params.soviets.peace_vote_threshold
        {
            aye += share;
        }
    }
    if cast > 0.0 {
        aye / cast
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
    let mut query = world.query::<(&Person, &Status, &Outlook, &Allegiance)>();
    let params = world.resource::<Params>();
    let fixed_lists = flag(params.soviets.fixed_sr_lists);
    let tally = world.resource::<Tally>();
    let communities = world.resource::<Communities>();
    let organisation = ChoiceContext::organisation(world.resource::<Parties>());
    let program_fit = ChoiceContext::program_fit_table(params);
    let context = ChoiceContext {
        params,
        state: world.resource::<State>(),
        affinities: world.resource::<Affinities>(),
        organisation: &organisation,
        program_fit: &program_fit,
        rng: world.resource::<RunRng>(),
    };
    for (person, status, outlook, allegiance) in query.iter(world) {
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
                Party::None,
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
