//! The census: one pass over persons each week that fills the [`Tally`] the rules read and
//! the recorder reports, and sets party membership.

use bevy_ecs::prelude::{Res, ResMut};

use crate::model::ids::LegalStatus;
use crate::model::ids::{Class, CommunityKind, Party, Regime, Region, Role};
use crate::model::params::{Params, PartyParams};
use crate::model::tally::RegionTally;
use crate::model::{
    Allegiance, Communities, Group, Outlook, Parties, Person, Persons, State, Status, Support,
    Tally,
};
use crate::parallel::{in_pieces, PerThread, Workers, CHUNK};
use crate::systems::DIVISOR_FLOOR;
use rayon::prelude::*;

/// The people of one class in one role in one region: the census counts each person into
/// their cell, then folds the cells into the groups ([`fold_cells`]). The counts are whole
/// numbers, so merging and folding them in any order gives the groups' counts exactly.
#[derive(Debug, Clone, Copy, Default)]
struct Cell {
    persons: u32,
    private: [u32; Party::COUNT],
    public: [u32; Party::COUNT],
    active: u32,
    defiant: u32,
}

impl Cell {
    fn add(&mut self, other: &Cell) {
        self.persons += other.persons;
        for p in 0..Party::COUNT {
            self.private[p] += other.private[p];
            self.public[p] += other.public[p];
        }
        self.active += other.active;
        self.defiant += other.defiant;
    }
}

/// The index of a person's census cell.
fn cell_index(class: Class, role: Role, region: Region) -> usize {
    (class.index() * Role::COUNT + role.index()) * Region::COUNT + region.index()
}

/// Adds each cell's counts into the four groups its people belong to, and into what the
/// cells tell of their region (who is alive, in revolt, under arms, in which army) and of the
/// Red Army and the jailed by class: whole numbers, so the same as counting person by person.
fn fold_cells(tally: &mut Tally, cells: &[Cell]) {
    for &class in Class::ALL {
        for &role in Role::ALL {
            for &region in Region::ALL {
                let cell = &cells[cell_index(class, role, region)];
                if cell.persons == 0 {
                    continue;
                }
                for group in [
                    Group::All,
                    Group::Class(class),
                    Group::Role(role),
                    Group::Region(region),
                ] {
                    let stats = &mut tally.groups[group.index()];
                    stats.persons += f64::from(cell.persons);
                    for (sum, &count) in stats.private.iter_mut().zip(&cell.private) {
                        *sum += f64::from(count);
                    }
                    for (sum, &count) in stats.public.iter_mut().zip(&cell.public) {
                        *sum += f64::from(count);
                    }
                    stats.active += f64::from(cell.active);
                    stats.defiant += f64::from(cell.defiant);
                }
                fold_cell_into_region(tally, class, role, region, cell);
            }
        }
    }
}

/// The counts of one cell that its region and class tallies take.
fn fold_cell_into_region(tally: &mut Tally, class: Class, role: Role, region: Region, cell: &Cell) {
    let (persons, active) = (f64::from(cell.persons), f64::from(cell.active));
    let counts = &mut tally.regions[region.index()];
    counts.alive += persons;
    counts.active += active;
    match role {
        Role::Soldier | Role::Sailor => {
            counts.soldiers += persons;
            counts.soldiers_defiant += f64::from(cell.defiant);
            counts.soldiers_socialist += f64::from(
                Party::ALL
                    .iter()
                    .filter(|party| party.is_socialist())
                    .map(|party| cell.public[party.index()])
                    .sum::<u32>(),
            );
            counts.soldiers_bolshevik += f64::from(cell.public[Party::Bolsheviks.index()]);
        }
        Role::RedArmy => {
            counts.red_army += persons;
            tally.red_by_class[class.index()] += persons;
        }
        Role::WhiteArmy => counts.white_army += persons,
        Role::FoodDetachment => counts.food_detachments += persons,
        Role::Insurgent => counts.insurgents += persons,
        Role::Jailed => tally.jailed_by_class[class.index()] += persons,
        _ => {}
    }
    if role.is_military() {
        counts.loyal_armed += persons - active;
    }
    if matches!(role, Role::Soldier | Role::Sailor | Role::RedArmy) {
        for (sum, &count) in counts.armed_public.iter_mut().zip(&cell.public) {
            *sum += f64::from(count);
        }
    }
}

/// What a piece of the persons adds to the census in whole numbers: exact, so pieces merge in
/// any order.
struct Counts {
    cells: Vec<Cell>,
    /// What of the regions' counts the cells do not tell (see [`fold_cells`]).
    places: [PlaceCounts; Region::COUNT],
    meetings: MeetingCounts,
}

/// Who of a region lives where and works at what, which the cells do not tell: counted in
/// integers (cheaper, person by person, than the tally's floats, and the same whole numbers).
#[derive(Debug, Clone, Copy, Default)]
struct PlaceCounts {
    urban: u32,
    village: u32,
    industrial_workers: u32,
    strikers: u32,
    workers_bolshevik: u32,
    workers_socialist: u32,
    town_defiant: u32,
}

impl PlaceCounts {
    fn add(&mut self, other: &PlaceCounts) {
        self.urban += other.urban;
        self.village += other.village;
        self.industrial_workers += other.industrial_workers;
        self.strikers += other.strikers;
        self.workers_bolshevik += other.workers_bolshevik;
        self.workers_socialist += other.workers_socialist;
        self.town_defiant += other.town_defiant;
    }

    /// The region's tally with these counts (the rest left at zero, for [`fold_cells`]).
    fn tally(&self) -> RegionTally {
        RegionTally {
            urban: f64::from(self.urban),
            village: f64::from(self.village),
            industrial_workers: f64::from(self.industrial_workers),
            strikers: f64::from(self.strikers),
            workers_bolshevik: f64::from(self.workers_bolshevik),
            workers_socialist: f64::from(self.workers_socialist),
            town_defiant: f64::from(self.town_defiant),
            ..RegionTally::default()
        }
    }
}

impl Counts {
    fn new(communities: usize) -> Counts {
        Counts {
            cells: vec![Cell::default(); Class::COUNT * Role::COUNT * Region::COUNT],
            places: [PlaceCounts::default(); Region::COUNT],
            meetings: MeetingCounts::new(communities),
        }
    }

    fn merge(mut self, other: Counts) -> Counts {
        for (cell, other) in self.cells.iter_mut().zip(&other.cells) {
            cell.add(other);
        }
        for (place, other) in self.places.iter_mut().zip(&other.places) {
            place.add(other);
        }
        self.meetings = self.meetings.merge(other.meetings);
        self
    }
}

/// The legitimacy and hardship summed over one chunk of persons, by group: not whole numbers,
/// so the chunks' sums are added in chunk order.
type Sums = [[f64; 2]; Group::COUNT];

/// Counts every living person into their groups, region and community, and their support
/// for the parties ([`Support`]), in one pass over the persons.
pub fn take_census(
    params: Res<Params>,
    mut tally: ResMut<Tally>,
    mut communities: ResMut<Communities>,
    workers: Option<Res<Workers>>,
    persons: Res<Persons>,
) {
    tally.clear();
    let Persons {
        person: persons,
        status: statuses,
        allegiance: allegiances,
        outlook: outlooks,
        ..
    } = &*persons;
    let chunks = persons.len().div_ceil(CHUNK);
    // What is not whole numbers is summed per chunk, and the chunks in order.
    let mut sums: Vec<Sums> = vec![[[0.0; 2]; Group::COUNT]; chunks];
    let mut support = vec![Support::default(); chunks];
    let n = communities.list.len();
    // A copy of the counts for each thread, not each piece: they are large (a cell for every
    // class, role and region, a meeting for every community).
    let counts = PerThread::new(workers.as_deref(), || Counts::new(n));
    let chunks = persons
        .par_chunks(CHUNK)
        .zip(statuses.par_chunks(CHUNK))
        .zip(allegiances.par_chunks(CHUNK))
        .zip(outlooks.par_chunks(CHUNK))
        .zip(sums.par_iter_mut().zip(support.par_iter_mut()));
    in_pieces(chunks, workers.as_deref()).for_each(|((((p, s), a), o), (sums, support))| {
        counts.add(|counts| {
            let people = p.iter().zip(s).zip(a).zip(o);
            for (((person, status), allegiance), outlook) in people {
                // The dead count nowhere.
                if !status.role.is_alive() {
                    continue;
                }
                count_person(
                    counts,
                    sums,
                    &communities,
                    person,
                    status,
                    allegiance,
                    outlook,
                );
                counts.meetings.count(person, status, allegiance);
                count_support(support, &params.party, person, status, allegiance);
            }
        });
    });
    let counts = counts
        .into_copies()
        .reduce(Counts::merge)
        .unwrap_or_else(|| Counts::new(n));
    let Counts {
        cells,
        places,
        meetings,
    } = counts;
    meetings.write(&mut tally, &mut communities);
    tally.regions = places.map(|place| place.tally());
    fold_cells(&mut tally, &cells);
    for chunk in &sums {
        for (stats, [legitimacy, hardship]) in tally.groups.iter_mut().zip(chunk) {
            stats.legitimacy += legitimacy;
            stats.hardship += hardship;
        }
    }
    tally.support = support.iter().fold(Support::default(), Support::plus);
    count_pool(&mut tally.support, &cells);
}

/// The town workers and intelligentsia who could join a ruling party for position: those
/// not in jail, and of them those at home by region, from the cells (whole numbers: the same
/// as counting person by person).
fn count_pool(support: &mut Support, cells: &[Cell]) {
    for class in [
        Class::WorkerEstablished,
        Class::WorkerMigrant,
        Class::Intelligentsia,
    ] {
        for &role in Role::ALL {
            if role == Role::Jailed {
                continue;
            }
            for &region in Region::ALL {
                let persons = cells[cell_index(class, role, region)].persons;
                support.pool += persons;
                if !role.is_away() {
                    support.pool_at_home[region.index()] += persons;
                }
            }
        }
    }
}

/// Counts one living person into their cell, into what of their region's counts the
/// cells do not tell ([`fold_cells`]), and their legitimacy and hardship into
/// their chunk's sums.
fn count_person(
    counts: &mut Counts,
    sums: &mut Sums,
    communities: &Communities,
    person: &Person,
    status: &Status,
    allegiance: &Allegiance,
    outlook: &Outlook,
) {
    let cell = &mut counts.cells[cell_index(person.class, status.role, person.region)];
    cell.persons += 1;
    cell.private[allegiance.private.index()] += 1;
    cell.public[allegiance.public.index()] += 1;
    cell.active += u32::from(status.active);
    cell.defiant += u32::from(status.defiant);
    for group in [
        Group::All,
        Group::Class(person.class),
        Group::Role(status.role),
        Group::Region(person.region),
    ] {
        let [legitimacy, hardship] = &mut sums[group.index()];
        *legitimacy += f64::from(outlook.legitimacy);
        *hardship += f64::from(outlook.hardship);
    }
    let community = &communities.list[person.community as usize];
    let away = status.role.is_away();
    let urban = community.is_urban() && !away;
    let place = &mut counts.places[person.region.index()];
    place.urban += u32::from(urban);
    place.village += u32::from(community.kind == CommunityKind::Village && !away);
    let at_work = person.industrial && urban;
    place.industrial_workers += u32::from(at_work);
    place.strikers += u32::from(at_work && status.defiant);
    place.workers_bolshevik += u32::from(at_work && allegiance.public == Party::Bolsheviks);
    place.workers_socialist += u32::from(at_work && allegiance.public.is_socialist());
    place.town_defiant += u32::from(urban && status.defiant);
}

/// Who meets in each community, in whole numbers: exact, so pieces merge in any order.
struct MeetingCounts {
    members: Vec<u32>,
    private: Vec<[u32; Party::COUNT]>,
    public: Vec<[u32; Party::COUNT]>,
    active: Vec<u32>,
    defiant: Vec<u32>,
    returned: Vec<u32>,
}

impl MeetingCounts {
    fn new(communities: usize) -> MeetingCounts {
        MeetingCounts {
            members: vec![0; communities],
            private: vec![[0; Party::COUNT]; communities],
            public: vec![[0; Party::COUNT]; communities],
            active: vec![0; communities],
            defiant: vec![0; communities],
            returned: vec![0; communities],
        }
    }

    /// Counts one living person into their community's meeting: those in jail or away in the
    /// armies and food detachments neither meet nor vote in their community.
    fn count(&mut self, person: &Person, status: &Status, allegiance: &Allegiance) {
        if status.role == Role::Jailed || status.role.is_away() {
            return;
        }
        let c = person.community as usize;
        self.members[c] += 1;
        self.private[c][allegiance.private.index()] += 1;
        self.public[c][allegiance.public.index()] += 1;
        self.active[c] += u32::from(status.active);
        self.defiant[c] += u32::from(status.defiant);
        self.returned[c] += u32::from(status.returned);
    }

    fn merge(mut self, other: MeetingCounts) -> MeetingCounts {
        for c in 0..self.members.len() {
            self.members[c] += other.members[c];
            for p in 0..Party::COUNT {
                self.private[c][p] += other.private[c][p];
                self.public[c][p] += other.public[c][p];
            }
            self.active[c] += other.active[c];
            self.defiant[c] += other.defiant[c];
            self.returned[c] += other.returned[c];
        }
        self
    }

    /// Sets the tally's counts by community, and each community's members, to these.
    fn write(self, tally: &mut Tally, communities: &mut Communities) {
        for (community, members) in communities.list.iter_mut().zip(self.members) {
            community.members = members;
        }
        tally.community_private = self.private;
        tally.community_public = self.public;
        tally.community_active = self.active;
        tally.community_defiant = self.defiant;
        tally.community_returned = self.returned;
    }
}

/// Counts one living person into `support`: supporters by their conviction (peasants'
/// times `party.peasant_activism`). Who could join a ruling party for position is counted
/// from the cells ([`count_pool`]).
fn count_support(
    support: &mut Support,
    p: &PartyParams,
    person: &Person,
    status: &Status,
    allegiance: &Allegiance,
) {
    let at_home = !status.role.is_away();
    let r = person.region.index();
    let weight = if person.class.is_peasant() {
        p.peasant_activism
    } else {
        1.0
    };
    let conviction = weight * f64::from(allegiance.strength);
    support.convinced[allegiance.private.index()] += conviction;
    if at_home {
        support.convinced_at_home[r][allegiance.private.index()] += conviction;
    }
}

/// Party membership: supporters join in proportion to their conviction (peasants less); a
/// harassed or banned party keeps only part of it underground, and a banned one loses
/// `party.ban_erosion` of that a week the ban lasts; once Sovnarkom rules, town
/// workers and intelligentsia join its parties for position, whatever they think, the faster
/// the longer it has lasted: a few from October, a flood once it has shown it will stay
/// (`party.careerist_wait`) [002:115][001:237][003:107][004:123].
pub fn count_members(
    params: Res<Params>,
    state: Res<State>,
    tally: Res<Tally>,
    mut parties: ResMut<Parties>,
) {
    let p = &params.party;
    let Support {
        convinced,
        convinced_at_home,
        pool,
        pool_at_home,
    } = tally.support;
    let careerist_pool = p.careerist_share * f64::from(pool);
    let pool_at_home = pool_at_home.map(|people| p.careerist_share * f64::from(people));
    let ruling: Vec<Party> = Party::ALL
        .iter()
        .copied()
        .filter(|party| state.regime == Regime::Sovnarkom && state.in_government[party.index()])
        .collect();
    if !ruling.is_empty() {
        parties.weeks_in_power += 1.0;
        let lasting = parties.weeks_in_power / (parties.weeks_in_power + p.careerist_wait);
        parties.careerists += p.careerist_rate * lasting * (careerist_pool - parties.careerists);
    }
    let careerists = parties.careerists / ruling.len().max(1) as f64;
    let pool_total: f64 = pool_at_home.iter().sum::<f64>().max(DIVISOR_FLOOR);
    for &party in Party::ALL {
        let i = party.index();
        let banned = state.status_of(party) == LegalStatus::Banned;
        parties.list[i].weeks_banned = if banned {
            parties.list[i].weeks_banned + 1.0
        } else {
            0.0
        };
        let legal = match state.status_of(party) {
            LegalStatus::Legal => 1.0,
            // Harassment goes `party.harassment` of the way from legal to banned.
            LegalStatus::Harassed => (1.0 - p.harassment) + p.harassment * p.underground_share,
            // The underground erodes the longer the ban lasts.
            LegalStatus::Banned => {
                p.underground_share * (1.0 - p.ban_erosion).powf(parties.list[i].weeks_banned)
            }
        };
        let (joined_for_position, rate) = if party == Party::None {
            (0.0, 0.0)
        } else if ruling.contains(&party) {
            (careerists, p.join_share * legal)
        } else {
            (0.0, p.join_share * legal)
        };
        parties.list[i].members = convinced[i] * rate + joined_for_position;
        // Careerists join where they live and work.
        for r in 0..Region::COUNT {
            parties.by_region[r][i] =
                convinced_at_home[r][i] * rate + joined_for_position * pool_at_home[r] / pool_total;
        }
    }
}

#[cfg(test)]
mod tests {
    use bevy_ecs::system::RunSystemOnce;

    use super::*;
    use crate::model::Community;

    /// The pool counted from the cells is the pool counted person by person: the free town
    /// workers and intelligentsia, and of them those at home, by region.
    #[test]
    fn the_pool_from_the_cells_is_the_pool_person_by_person() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1919);
        let mut world = crate::systems::test_world(0, "1917-03-01");
        let list = Region::ALL
            .iter()
            .map(|&region| Community::new(CommunityKind::Town, region, None))
            .collect();
        world.insert_resource(Communities {
            list,
            home_villages: Vec::new(),
            factories: Vec::new(),
        });
        let mut persons = Persons::default();
        let (mut pool, mut at_home) = (0, [0; Region::COUNT]);
        for id in 0..5_000 {
            let region = Region::ALL[rng.random_range(0..Region::COUNT)];
            let person = Person {
                id,
                class: Class::ALL[rng.random_range(0..Class::COUNT)],
                region,
                home: region,
                community: region.index() as u32,
                ..Person::default()
            };
            let status = Status {
                role: Role::ALL[rng.random_range(0..Role::COUNT)],
                ..Status::default()
            };
            let free = matches!(
                person.class,
                Class::WorkerEstablished | Class::WorkerMigrant | Class::Intelligentsia
            ) && status.role.is_alive()
                && status.role != Role::Jailed;
            if free {
                pool += 1;
                if !status.role.is_away() {
                    at_home[region.index()] += 1;
                }
            }
            persons.push((
                person,
                status,
                Allegiance::default(),
                Outlook::default(),
                Default::default(),
            ));
        }
        world.insert_resource(persons);
        world.insert_resource(Tally::new(Region::COUNT));
        world.run_system_once(take_census).expect("the census runs");
        let support = &world.resource::<Tally>().support;
        assert!(
            pool > 500 && at_home.iter().all(|&n| n > 0),
            "{pool} {at_home:?}"
        );
        assert_eq!((support.pool, support.pool_at_home), (pool, at_home));
    }
}
