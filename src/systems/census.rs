//! The census: one pass over persons each week that fills the [`Tally`] the rules read and
//! the recorder reports, and sets party membership.

use bevy_ecs::prelude::{Query, Res, ResMut};

use crate::model::ids::LegalStatus;
use crate::model::ids::{CommunityKind, Party, Role};
use crate::model::params::Params;
use crate::model::{
    Allegiance, Communities, Group, Outlook, Parties, Person, State, Status, Tally,
};

/// Counts every living person into their groups, region and community.
pub fn take_census(
    mut tally: ResMut<Tally>,
    mut communities: ResMut<Communities>,
    persons: Query<(&Person, &Status, &Allegiance, &Outlook)>,
) {
    tally.clear();
    for community in &mut communities.list {
        community.members = 0;
    }
    for (person, status, allegiance, outlook) in &persons {
        if !status.role.is_alive() {
            continue;
        }
        let active = f64::from(u8::from(status.active));
        for group in [
            Group::All,
            Group::Class(person.class),
            Group::Role(status.role),
            Group::Region(person.region),
        ] {
            let stats = &mut tally.groups[group.index()];
            stats.persons += 1.0;
            stats.private[allegiance.private.index()] += 1.0;
            stats.public[allegiance.public.index()] += 1.0;
            stats.legitimacy += f64::from(outlook.legitimacy);
            stats.hardship += f64::from(outlook.hardship);
            stats.active += active;
        }
        let community = &mut communities.list[person.community as usize];
        let urban = community.is_urban();
        let region = &mut tally.regions[person.region.index()];
        region.alive += 1.0;
        region.urban += f64::from(u8::from(urban));
        region.village += f64::from(u8::from(community.kind == CommunityKind::Village));
        region.active += active;
        let at_work = person.industrial && urban;
        region.industrial_workers += f64::from(u8::from(at_work));
        region.strikers += f64::from(u8::from(at_work)) * active;
        match status.role {
            Role::Soldier | Role::Sailor => {
                region.soldiers += 1.0;
                region.soldiers_active += active;
                region.soldiers_socialist += f64::from(u8::from(allegiance.public.is_socialist()));
            }
            Role::RedArmy => region.red_army += 1.0,
            Role::WhiteArmy => region.white_army += 1.0,
            Role::Insurgent => region.insurgents += 1.0,
            _ => {}
        }
        if status.role.is_military() && !status.active {
            region.loyal_armed += 1.0;
        }
        if status.role == Role::RedArmy {
            tally.red_by_class[person.class.index()] += 1.0;
        }
        if status.role == Role::Jailed {
            tally.jailed_by_class[person.class.index()] += 1.0;
        }
        if status.role != Role::Jailed {
            community.members += 1;
            tally.community_private[person.community as usize][allegiance.private.index()] += 1;
            tally.community_public[person.community as usize][allegiance.public.index()] += 1;
        }
    }
}

/// Party membership: supporters join in proportion to their conviction (peasants less); a
/// harassed or banned party keeps only part of it underground [002:115][001:237].
pub fn count_members(
    params: Res<Params>,
    state: Res<State>,
    mut parties: ResMut<Parties>,
    persons: Query<(&Person, &Status, &Allegiance)>,
) {
    let p = &params.party;
    let mut convinced = [0.0; Party::COUNT];
    for (person, status, allegiance) in &persons {
        if !status.role.is_alive() {
            continue;
        }
        let weight = if person.class.is_peasant() {
            p.peasant_activism
        } else {
            1.0
        };
        convinced[allegiance.private.index()] += weight * f64::from(allegiance.strength);
    }
    for &party in Party::ALL {
        let legal = match state.status_of(party) {
            LegalStatus::Legal => 1.0,
            LegalStatus::Harassed => 0.5 * (1.0 + p.underground_share),
            LegalStatus::Banned => p.underground_share,
        };
        let members = if party == Party::None {
            0.0
        } else {
            convinced[party.index()] * p.join_share * legal
        };
        parties.list[party.index()].members = members;
    }
}
