//! The census: one pass over persons each week that fills the [`Tally`] the rules read and
//! the recorder reports, and sets party membership.

use bevy_ecs::prelude::{Res, ResMut};

use crate::model::ids::LegalStatus;
use crate::model::ids::{Class, CommunityKind, Party, Regime, Region, Role};
use crate::model::params::{Params, PartyParams};
use crate::model::tally::RegionTally;
use crate::model::{
    Allegiance, Communities, Community, Group, Outlook, Parties, Person, Persons, State, Status,
    Support, Tally,
};
use crate::parallel::{in_pieces, PerThread, Workers, CHUNK};
use crate::systems::DIVISOR_FLOOR;
use rayon::prelude::*;

/// The people of one class in one role in one region: the census counts each person into
/// their cell, then folds the cells into the groups ([`fold_cells`]) and the parties' support
/// ([`support_from_cells`]). Everything is counted in whole numbers, the shares and strengths
/// in [`Fixed`] units, so merging and folding them in any order gives the same sums.
#[derive(Debug, Clone, Copy, Default)]
struct Cell {
    persons: u32,
    private: [u32; Party::COUNT],
    public: [u32; Party::COUNT],
    active: u32,
    defiant: u32,
    legitimacy: Fixed,
    hardship: Fixed,
    /// The strength of conviction of those who prefer each party.
    strength: [Fixed; Party::COUNT],
}

impl Cell {
    fn add(&mut self, other: &Cell) {
        self.persons += other.persons;
        for p in 0..Party::COUNT {
            self.private[p] += other.private[p];
            self.public[p] += other.public[p];
            self.strength[p] += other.strength[p];
        }
        self.active += other.active;
        self.defiant += other.defiant;
        self.legitimacy += other.legitimacy;
        self.hardship += other.hardship;
    }

    /// Those who say in public they back a socialist party.
    fn socialist_public(&self) -> u32 {
        Party::ALL
            .iter()
            .filter(|party| party.is_socialist())
            .map(|party| self.public[party.index()])
            .sum()
    }
}

/// A share (0-1) in whole units of 2^-32, so that sums of shares are exact in any order (a
/// person's share is cut to the unit below, 2^-32 at most; sums hold for up to 2^31 persons).
type Fixed = i64;

/// The units of [`Fixed`] in 1.
const FIXED_ONE: f64 = (1u64 << 32) as f64;

/// `share` in [`Fixed`] units.
fn fixed(share: f32) -> Fixed {
    debug_assert!(share.is_finite(), "a share in the census is {share}");
    (f64::from(share) * FIXED_ONE) as Fixed
}

/// A sum in [`Fixed`] units as a number.
fn unfixed(sum: Fixed) -> f64 {
    sum as f64 / FIXED_ONE
}

/// The index of the census cell of a class in a role in a region.
fn cell_index(class: Class, role: Role, region: Region) -> usize {
    (class.index() * Role::COUNT + role.index()) * Region::COUNT + region.index()
}

/// The census cells, one for each class, role and region.
const CELLS: usize = Class::COUNT * Role::COUNT * Region::COUNT;

/// Where the people of a cell live and work, as far as their region's counts ask
/// ([`PlaceCounts`]): a person is counted into their cell in their place, so that the regions'
/// counts come from the cells ([`by_place`]) instead of from more counting person by person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Neither a town nor a village: a regiment, a ship.
    Elsewhere,
    Village,
    /// A town, a garrison or a factory, not as an industrial worker.
    Town,
    /// A town or a factory, as an industrial worker.
    Works,
}

impl Place {
    const ALL: [Place; 4] = [Place::Elsewhere, Place::Village, Place::Town, Place::Works];

    fn of(person: &Person, community: &Community) -> Place {
        if community.is_urban() {
            if person.industrial {
                Place::Works
            } else {
                Place::Town
            }
        } else if community.kind == CommunityKind::Village {
            Place::Village
        } else {
            Place::Elsewhere
        }
    }

    fn is_urban(self) -> bool {
        matches!(self, Place::Town | Place::Works)
    }
}

/// The index of a person's cell in their place ([`Counts::cells`]).
fn placed_cell_index(class: Class, role: Role, region: Region, place: Place) -> usize {
    cell_index(class, role, region) * Place::ALL.len() + place as usize
}

/// The class, role and region of every cell, in cell order ([`cell_index`]).
fn cell_keys() -> impl Iterator<Item = (Class, Role, Region)> {
    Class::ALL.iter().flat_map(|&class| {
        Role::ALL
            .iter()
            .flat_map(move |&role| Region::ALL.iter().map(move |&region| (class, role, region)))
    })
}

/// Every cell with its class, role and region, in cell order.
fn keyed_cells(cells: &[Cell]) -> impl Iterator<Item = (Class, Role, Region, &Cell)> {
    cell_keys()
        .zip(cells)
        .map(|((class, role, region), cell)| (class, role, region, cell))
}

/// Adds each cell's counts and the sums of its people's legitimacy and hardship into the four
/// groups its people belong to, and into what the cells tell of their region (who is alive,
/// in revolt, under arms, in which army) and of the Red Army and the jailed by class: whole
/// numbers, so the same as counting person by person.
fn fold_cells(tally: &mut Tally, cells: &[Cell]) {
    let mut shares = [[0 as Fixed; 2]; Group::COUNT];
    for (class, role, region, cell) in keyed_cells(cells) {
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
            let [legitimacy, hardship] = &mut shares[group.index()];
            *legitimacy += cell.legitimacy;
            *hardship += cell.hardship;
        }
        fold_cell_into_region(tally, class, role, region, cell);
    }
    for (stats, [legitimacy, hardship]) in tally.groups.iter_mut().zip(shares) {
        stats.legitimacy = unfixed(legitimacy);
        stats.hardship = unfixed(hardship);
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
            counts.soldiers_socialist += f64::from(cell.socialist_public());
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
    /// A cell for each class, role and region in each [`Place`] ([`placed_cell_index`]).
    cells: Vec<Cell>,
    meetings: MeetingCounts,
}

/// Who of a region lives where and works at what, which the groups do not tell: the cells'
/// counts by [`Place`] ([`by_place`]), in whole numbers.
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
    /// Counts the people of a cell in `place` who are at home (not away in an army or a
    /// detachment): in town, in a village, at work in industry, and of them those defying, and
    /// those who say they are Bolsheviks or socialists.
    fn count(&mut self, place: Place, cell: &Cell) {
        match place {
            Place::Village => self.village += cell.persons,
            Place::Works => {
                self.industrial_workers += cell.persons;
                self.strikers += cell.defiant;
                self.workers_bolshevik += cell.public[Party::Bolsheviks.index()];
                self.workers_socialist += cell.socialist_public();
            }
            Place::Town | Place::Elsewhere => {}
        }
        if place.is_urban() {
            self.urban += cell.persons;
            self.town_defiant += cell.defiant;
        }
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
            cells: vec![Cell::default(); CELLS * Place::ALL.len()],
            meetings: MeetingCounts::new(communities),
        }
    }

    fn merge(mut self, other: Counts) -> Counts {
        for (cell, other) in self.cells.iter_mut().zip(&other.cells) {
            cell.add(other);
        }
        self.meetings = self.meetings.merge(other.meetings);
        self
    }
}

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
    let n = communities.list.len();
    // A copy of the counts for each thread, not each piece: they are large (a cell for every
    // class, role and region, a meeting for every community).
    let counts = PerThread::new(workers.as_deref(), || Counts::new(n));
    let chunks = persons
        .par_chunks(CHUNK)
        .zip(statuses.par_chunks(CHUNK))
        .zip(allegiances.par_chunks(CHUNK))
        .zip(outlooks.par_chunks(CHUNK));
    in_pieces(chunks, workers.as_deref()).for_each(|(((p, s), a), o)| {
        counts.add(|counts| {
            let people = p.iter().zip(s).zip(a).zip(o);
            for (((person, status), allegiance), outlook) in people {
                // The dead count nowhere.
                if !status.role.is_alive() {
                    continue;
                }
                count_person(counts, &communities, person, status, allegiance, outlook);
                counts.meetings.count(person, status, allegiance);
            }
        });
    });
    let counts = counts
        .into_copies()
        .reduce(Counts::merge)
        .unwrap_or_else(|| Counts::new(n));
    let Counts {
        cells: placed,
        meetings,
    } = counts;
    meetings.write(&mut tally, &mut communities);
    let (cells, places) = by_place(&placed);
    tally.regions = places.map(|place| place.tally());
    fold_cells(&mut tally, &cells);
    tally.support = support_from_cells(&params.party, &cells);
}

/// The cells of each class, role and region, their places added together, and their
/// region's [`PlaceCounts`] from the places of those at home.
fn by_place(placed: &[Cell]) -> (Vec<Cell>, [PlaceCounts; Region::COUNT]) {
    let mut cells = vec![Cell::default(); CELLS];
    let mut places = [PlaceCounts::default(); Region::COUNT];
    for ((class, role, region), cell) in cell_keys().zip(&mut cells) {
        for place in Place::ALL {
            let counted = &placed[placed_cell_index(class, role, region, place)];
            if counted.persons == 0 {
                continue;
            }
            cell.add(counted);
            if !role.is_away() {
                places[region.index()].count(place, counted);
            }
        }
    }
    (cells, places)
}

/// The parties' support from the cells: each party's supporters by their conviction
/// (peasants' times `party.peasant_activism`), overall and at home by region, summed exactly
/// and weighed once; and the town workers and intelligentsia who could join a ruling party
/// for position: those not in jail, and of them those at home by region.
fn support_from_cells(p: &PartyParams, cells: &[Cell]) -> Support {
    // By whether the cell's people are peasants (1) or not (0).
    let mut convinced = [[0 as Fixed; Party::COUNT]; 2];
    let mut at_home = [[[0 as Fixed; Party::COUNT]; 2]; Region::COUNT];
    let mut support = Support::default();
    for (class, role, region, cell) in keyed_cells(cells) {
        let peasants = usize::from(class.is_peasant());
        let home = !role.is_away();
        for (party, &strength) in cell.strength.iter().enumerate() {
            convinced[peasants][party] += strength;
            if home {
                at_home[region.index()][peasants][party] += strength;
            }
        }
        let may_join = matches!(
            class,
            Class::WorkerEstablished | Class::WorkerMigrant | Class::Intelligentsia
        );
        if may_join && role != Role::Jailed {
            support.pool += cell.persons;
            if home {
                support.pool_at_home[region.index()] += cell.persons;
            }
        }
    }
    let activism = p.peasant_activism;
    support.convinced = weigh(activism, convinced);
    support.convinced_at_home = at_home.map(|sums| weigh(activism, sums));
    support
}

/// Conviction by party from the exact sums of strength of those who are not peasants and of
/// those who are, peasants' times `activism`.
fn weigh(activism: f64, [others, peasants]: [[Fixed; Party::COUNT]; 2]) -> [f64; Party::COUNT] {
    std::array::from_fn(|party| unfixed(others[party]) + activism * unfixed(peasants[party]))
}

/// Counts one living person into their cell in their [`Place`], with their legitimacy,
/// hardship and strength of conviction.
fn count_person(
    counts: &mut Counts,
    communities: &Communities,
    person: &Person,
    status: &Status,
    allegiance: &Allegiance,
    outlook: &Outlook,
) {
    let community = &communities.list[person.community as usize];
    let place = Place::of(person, community);
    let cell =
        &mut counts.cells[placed_cell_index(person.class, status.role, person.region, place)];
    cell.persons += 1;
    cell.private[allegiance.private.index()] += 1;
    cell.public[allegiance.public.index()] += 1;
    cell.active += u32::from(status.active);
    cell.defiant += u32::from(status.defiant);
    cell.legitimacy += fixed(outlook.legitimacy);
    cell.hardship += fixed(outlook.hardship);
    cell.strength[allegiance.private.index()] += fixed(allegiance.strength);
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

    /// The community of each kind in `region` in [`census_of`]'s world.
    fn community_of(region: Region, kind: CommunityKind) -> u32 {
        (region.index() * CommunityKind::COUNT + kind.index()) as u32
    }

    /// A world of a community of every kind in every region ([`community_of`]) and `persons`
    /// (in the given order), its census taken.
    fn census_of(persons: &[(Person, Status, Allegiance, Outlook)]) -> Tally {
        let mut world = crate::systems::test_world(0, "1917-03-01");
        let list = Region::ALL
            .iter()
            .flat_map(|&region| {
                CommunityKind::ALL
                    .iter()
                    .map(move |&kind| Community::new(kind, region, None))
            })
            .collect();
        world.insert_resource(Communities {
            list,
            home_villages: Vec::new(),
            factories: Vec::new(),
        });
        let mut table = Persons::default();
        for &(person, status, allegiance, outlook) in persons {
            table.push((person, status, allegiance, outlook, Default::default()));
        }
        world.insert_resource(table);
        world.insert_resource(Tally::new(Region::COUNT));
        world.run_system_once(take_census).expect("the census runs");
        world
            .remove_resource::<Tally>()
            .expect("the tally is there")
    }

    /// `n` persons of random class, role, region, community, party and acts.
    fn random_persons(n: u32, seed: u64) -> Vec<(Person, Status, Allegiance, Outlook)> {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        (0..n)
            .map(|id| {
                let region = Region::ALL[rng.random_range(0..Region::COUNT)];
                let person = Person {
                    id,
                    class: Class::ALL[rng.random_range(0..Class::COUNT)],
                    region,
                    home: region,
                    community: community_of(
                        region,
                        CommunityKind::ALL[rng.random_range(0..CommunityKind::COUNT)],
                    ),
                    industrial: rng.random(),
                    ..Person::default()
                };
                let status = Status {
                    role: Role::ALL[rng.random_range(0..Role::COUNT)],
                    active: rng.random(),
                    defiant: rng.random(),
                    ..Status::default()
                };
                // Shares of every magnitude, so that float sums depend on their order.
                let [strength, legitimacy, hardship] =
                    [(); 3].map(|()| rng.random::<f32>() * 10f32.powi(-rng.random_range(0..8)));
                let allegiance = Allegiance {
                    private: Party::ALL[rng.random_range(0..Party::COUNT)],
                    public: Party::ALL[rng.random_range(0..Party::COUNT)],
                    strength,
                    ..Allegiance::default()
                };
                let outlook = Outlook {
                    legitimacy,
                    hardship,
                    legitimacy_drop: 0.0,
                };
                (person, status, allegiance, outlook)
            })
            .collect()
    }

    /// The census's sums of legitimacy, hardship and conviction are the same bits whatever
    /// the order of the persons (the same sums in floats are not), and within 2^-32 a person
    /// of the sums worked out person by person.
    #[test]
    fn the_census_sums_do_not_depend_on_the_order_of_the_persons() {
        let persons = random_persons(5_000, 1918);
        let reversed: Vec<_> = persons.iter().rev().copied().collect();
        let float_sum = |persons: &[(Person, Status, Allegiance, Outlook)]| {
            persons
                .iter()
                .filter(|(_, status, ..)| status.role.is_alive())
                .map(|(.., outlook)| f64::from(outlook.hardship))
                .sum::<f64>()
        };
        assert_ne!(
            float_sum(&persons),
            float_sum(&reversed),
            "the data are order-blind"
        );
        let (forward, backward) = (census_of(&persons), census_of(&reversed));
        let all = Group::All.index();
        for (a, b) in forward.groups.iter().zip(&backward.groups) {
            assert_eq!(a.legitimacy.to_bits(), b.legitimacy.to_bits());
            assert_eq!(a.hardship.to_bits(), b.hardship.to_bits());
        }
        for (a, b) in forward
            .support
            .convinced
            .iter()
            .zip(&backward.support.convinced)
        {
            assert_eq!(a.to_bits(), b.to_bits());
        }
        let alive = forward.groups[all].persons;
        assert!(alive > 4_000.0, "{alive}");
        let tolerance = alive / FIXED_ONE;
        assert!((forward.groups[all].hardship - float_sum(&persons)).abs() <= tolerance);
        let activism = Params::default().party.peasant_activism;
        let convinced = persons
            .iter()
            .filter(|(_, status, ..)| status.role.is_alive())
            .map(|(person, _, allegiance, _)| {
                let weight = if person.class.is_peasant() {
                    activism
                } else {
                    1.0
                };
                weight * f64::from(allegiance.strength)
            })
            .sum::<f64>();
        let counted: f64 = forward.support.convinced.iter().sum();
        assert!(
            (counted - convinced).abs() <= 2.0 * tolerance,
            "{counted} {convinced}"
        );
    }

    /// The pool counted from the cells is the pool counted person by person: the free town
    /// workers and intelligentsia, and of them those at home, by region.
    #[test]
    fn the_pool_from_the_cells_is_the_pool_person_by_person() {
        let persons = random_persons(5_000, 1919);
        let (mut pool, mut at_home) = (0, [0; Region::COUNT]);
        for (person, status, ..) in &persons {
            let free = matches!(
                person.class,
                Class::WorkerEstablished | Class::WorkerMigrant | Class::Intelligentsia
            ) && status.role.is_alive()
                && status.role != Role::Jailed;
            if free {
                pool += 1;
                if !status.role.is_away() {
                    at_home[person.region.index()] += 1;
                }
            }
        }
        let support = census_of(&persons).support;
        assert!(
            pool > 500 && at_home.iter().all(|&n| n > 0),
            "{pool} {at_home:?}"
        );
        assert_eq!((support.pool, support.pool_at_home), (pool, at_home));
    }

    /// The regions' counts of where people live and work, from the cells by place, are those
    /// of counting person by person: the living at home (not away in an army or a
    /// detachment) in a town, a garrison or a factory, in a village, at work in industry in
    /// town, and of these the defiant and those speaking for the Bolsheviks and the socialists.
    #[test]
    fn the_regions_counts_by_place_are_those_person_by_person() {
        let persons = random_persons(5_000, 1920);
        let mut expected = [[0.0; 7]; Region::COUNT];
        for (person, status, allegiance, _) in &persons {
            if !status.role.is_alive() || status.role.is_away() {
                continue;
            }
            let kind = CommunityKind::ALL[person.community as usize % CommunityKind::COUNT];
            let urban = matches!(
                kind,
                CommunityKind::Factory | CommunityKind::Town | CommunityKind::Garrison
            );
            let at_work = urban && person.industrial;
            let counts = &mut expected[person.region.index()];
            for (count, counted) in counts.iter_mut().zip([
                urban,
                kind == CommunityKind::Village,
                at_work,
                at_work && status.defiant,
                at_work && allegiance.public == Party::Bolsheviks,
                at_work && allegiance.public.is_socialist(),
                urban && status.defiant,
            ]) {
                *count += f64::from(u8::from(counted));
            }
        }
        let tally = census_of(&persons);
        for (region, expected) in tally.regions.iter().zip(expected) {
            let counted = [
                region.urban,
                region.village,
                region.industrial_workers,
                region.strikers,
                region.workers_bolshevik,
                region.workers_socialist,
                region.town_defiant,
            ];
            assert_eq!(counted, expected);
            assert!(expected.iter().all(|&count| count > 0.0), "{expected:?}");
        }
    }
}
