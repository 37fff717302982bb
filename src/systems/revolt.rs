//! Open revolt (Epstein 2002), its repression, and the fall of a regime whose coercive force
//! defects [DESIGN 3][000:229][001:139-159].

use std::ops::Range;

use bevy_ecs::prelude::{Local, Res, ResMut};
use rayon::prelude::*;

use crate::model::ids::{
    CommunityKind, LandPolicy, LegalStatus, Party, Regime, Region, Role, Side,
};
use crate::model::params::{flag, Params};
use crate::model::{
    Clock, Communities, Community, Outlook, Person, Persons, Regions, State, Status, Tally,
    Temperament, Tolls,
};
use crate::model::{EventLog, Switches};
use crate::numeric::exp_neg;
use crate::parallel::{chunks_mut, count_rows, in_pieces, PerThread, Workers, CHUNK};
use crate::rng::{RunRng, Stream};
use crate::systems::allegiance::in_uniform;
use crate::systems::events::change_regime;
use crate::systems::{DIVISOR_FLOOR, PERCENT};

/// Police per head of the regime in power.
pub fn police(params: &Params, state: &State) -> f64 {
    match state.regime {
        Regime::Tsar => params.revolt.police_tsar,
        Regime::Provisional => params.revolt.police_provisional,
        Regime::Sovnarkom => state.cheka,
    }
}

/// The Cheka grows quickly toward what the threat calls for (`revolt.police_sovnarkom`
/// raised by rebels and White soldiers per head) and shrinks only slowly when the threat
/// recedes: its capacity outlives the threat [003:103-105][000:761][000:789].
pub fn build_cheka(params: Res<Params>, tally: Res<Tally>, mut state: ResMut<State>) {
    if state.regime != Regime::Sovnarkom {
        return;
    }
    let r = &params.repression;
    let alive = tally.alive();
    let threat = tally
        .regions
        .iter()
        .map(|t| t.active + t.white_army)
        .sum::<f64>()
        / alive;
    let target = params.revolt.police_sovnarkom * (1.0 + r.threat_response * threat);
    let rate = if target > state.cheka {
        r.cheka_growth
    } else {
        r.cheka_decay
    };
    state.cheka += rate * (target - state.cheka);
}

/// Coercive force per head in each region, from the last tally: the police and the armed
/// who are not themselves in revolt, spread over the region's people.
pub fn coercion(params: &Params, state: &State, tally: &Tally) -> [f64; Region::COUNT] {
    std::array::from_fn(|r| {
        let region = &tally.regions[r];
        let old_army = region.loyal_armed - region.red_army;
        police(params, state)
            + (params.revolt.armed_weight * old_army
                + params.revolt.red_army_weight * region.red_army)
                / region.alive.max(1.0)
    })
}

/// The arrest probability a rebel expects in each community: the coercive force per head of
/// its region against the rebels per head among its own people (the village district, the
/// factory, the regiment, the ship) at the last tally, counting oneself too, as Epstein
/// counts the rebels within an agent's vision.
pub fn arrest_by_community(
    k: f64,
    coercion: &[f64; Region::COUNT],
    tally: &Tally,
    communities: &Communities,
) -> Vec<f64> {
    communities
        .list
        .iter()
        .zip(&tally.community_active)
        .map(|(community, &active)| {
            let seen = (f64::from(active) + 1.0) / f64::from(community.members.max(1));
            arrest_probability(k, coercion[community.region.index()], seen)
        })
        .collect()
}

/// Epstein's estimated arrest probability P = 1 - exp(-k C/A) (the exponential from
/// [`exp_neg`], the same bits everywhere).
pub fn arrest_probability(k: f64, coercion: f64, activity: f64) -> f64 {
    1.0 - exp_neg(k * coercion / activity)
}

/// Grievance G = H(1 - L) ([`settled_grievance`]) plus [`anger`] at a sudden fall in
/// legitimacy.
pub fn grievance(params: &Params, outlook: &Outlook, temperament: &Temperament) -> f64 {
    settled_grievance(outlook, temperament) + anger(params, outlook)
}

/// The grievance G = H(1 - L) of Epstein's rule, with H the hardship of the person's class
/// and place as they feel it (at most 1).
pub fn settled_grievance(outlook: &Outlook, temperament: &Temperament) -> f64 {
    let felt = f64::from(outlook.hardship) * f64::from(temperament.hardship_sensitivity);
    felt.min(1.0) * (1.0 - f64::from(outlook.legitimacy))
}

/// Anger at this week's fall in legitimacy (`revolt.drop_weight` per unit): a sudden drop
/// ignites, a slow one does not. It carries people into the streets, as the bread queues did
/// in February [000:229][001:139-159]; a rising in arms needs a settled grievance, so it
/// counts only toward public defiance (see [`Rule::in_arms`]).
pub fn anger(params: &Params, outlook: &Outlook) -> f64 {
    params.revolt.drop_weight * f64::from(outlook.legitimacy_drop)
}

/// The units whose meetings decide for all their members: a factory strikes, a regiment or
/// a garrison refuses orders, a ship's crew rises together [000:229][003:113].
pub fn decides_as_unit(kind: CommunityKind) -> bool {
    matches!(
        kind,
        CommunityKind::Factory
            | CommunityKind::Garrison
            | CommunityKind::Regiment
            | CommunityKind::Ship
    )
}

const _: () = assert!(CHUNK <= 1 << 16, "a candidate's row in its chunk is a u16");

/// What one person who may act brings to this week's decisions.
#[derive(Debug, Clone, Copy, Default)]
pub struct Candidate {
    community: u32,
    /// Their row in their chunk of persons ([`CHUNK`] rows at most).
    row: u16,
    /// [`settled_grievance`].
    grievance: f32,
    /// [`anger`].
    anger: f32,
    risk_aversion: f32,
    /// Whether they can rise in arms ([`armed_villagers`]), kept only for those the armed rule
    /// could incline if they could (false for the rest: it would not matter).
    armed: bool,
    /// Whether they were inclined to each act ([`Rule::act`]) when their community last
    /// decided it: what they do where they decide alone ([`Verdict::acts`]).
    inclined: [bool; 2],
}

/// Who may act: civilians, the old army and fleet, and insurgents; not prisoners, the dead,
/// the Red and White armies or the food detachments.
fn may_act(role: Role) -> bool {
    matches!(
        role,
        Role::Civilian | Role::Soldier | Role::Sailor | Role::Insurgent
    )
}

/// What makes a candidate inclined to an act, and how a unit's meeting decides it.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Weight of the arrest risk R P against grievance.
    pub risk_weight: f64,
    /// Threshold T: inclined when G - weight R P > T.
    pub threshold: f64,
    /// Share of a unit inclined at which its meeting decides that all act.
    pub meeting_share: f64,
    /// Whether the act takes arms: only those who can take them up are inclined, and only
    /// on a settled grievance; anger at a sudden fall in legitimacy adds only to the unarmed
    /// act.
    pub in_arms: bool,
}

impl Rule {
    /// Epstein's rule for a rising in arms: G - R P > T, T at `revolt.threshold`.
    pub fn in_arms(params: &Params) -> Rule {
        Rule {
            risk_weight: 1.0,
            threshold: params.revolt.threshold,
            meeting_share: params.revolt.meeting_share,
            in_arms: true,
        }
    }

    /// Public defiance, the cheap act: T at `revolt.defiance_threshold`, the risk weighed
    /// by `revolt.defiance_risk`.
    pub fn defiance(params: &Params) -> Rule {
        let r = &params.revolt;
        Rule {
            risk_weight: r.defiance_risk,
            threshold: r.defiance_threshold,
            meeting_share: r.meeting_share,
            in_arms: false,
        }
    }

    /// Which of a candidate's two acts this rule decides: 0 in arms, 1 defiance.
    fn act(&self) -> usize {
        usize::from(!self.in_arms)
    }

    /// Whether `candidate` could be inclined to act against some arrest probability: where the
    /// risk weighs (weight ≥ 0), the fear of arrest only takes away, so whoever is not
    /// inclined with none never is (a product with a non-negative factor rounds
    /// monotonically, so this holds to the bit).
    fn may_incline(&self, candidate: &Candidate) -> bool {
        self.inclined(candidate, 0.0) || self.risk_weight.is_nan() || self.risk_weight < 0.0
    }

    /// Whether `candidate` is inclined to act against the arrest probability `arrest`:
    /// G - weight R P > T.
    fn inclined(&self, candidate: &Candidate, arrest: f64) -> bool {
        let anger = if self.in_arms { 0.0 } else { candidate.anger };
        (candidate.armed || !self.in_arms)
            && f64::from(candidate.grievance + anger)
                - self.risk_weight * f64::from(candidate.risk_aversion) * arrest
                > self.threshold
    }
}

/// The week's candidates, one piece per chunk of persons in spawn order, and how many of
/// them meet in each community. Kept from week to week, so a run does not allocate (and
/// fault in) them again every week.
#[derive(Default)]
pub struct Meetings {
    pieces: Vec<Piece>,
    /// How many candidates meet in each community.
    present: Vec<u32>,
}

/// The candidates of one chunk of persons, in spawn order, cut into runs of one community:
/// spawn order keeps most of a community together, so the runs are few, and a round of
/// decisions visits only the runs of the communities deciding.
#[derive(Default)]
struct Piece {
    candidates: Vec<Candidate>,
    /// Each run's community, and where it ends in `candidates` (it begins where the last
    /// ended).
    runs: Vec<(u32, usize)>,
}

impl Piece {
    fn clear(&mut self) {
        self.candidates.clear();
        self.runs.clear();
    }

    fn push(&mut self, candidate: Candidate) {
        self.candidates.push(candidate);
        match self.runs.last_mut() {
            Some((community, end)) if *community == candidate.community => *end += 1,
            _ => self.runs.push((candidate.community, self.candidates.len())),
        }
    }

    /// The runs: each community and its candidates.
    fn runs(&self) -> impl Iterator<Item = (usize, &[Candidate])> {
        spans(&self.runs).map(|(community, span)| (community, &self.candidates[span]))
    }

    /// The runs, to mark: each community and its candidates.
    fn runs_mut(&mut self) -> impl Iterator<Item = (usize, &mut [Candidate])> {
        let Piece { candidates, runs } = self;
        let mut rest = candidates.as_mut_slice();
        spans(runs).map(move |(community, span)| {
            let (run, tail) = std::mem::take(&mut rest).split_at_mut(span.len());
            rest = tail;
            (community, run)
        })
    }
}

/// Each run of `runs` ([`Piece::runs`]): its community, and where it lies in the piece's
/// candidates.
fn spans(runs: &[(u32, usize)]) -> impl Iterator<Item = (usize, Range<usize>)> + '_ {
    let mut start = 0;
    runs.iter().map(move |&(community, end)| {
        let span = start..end;
        start = end;
        (community as usize, span)
    })
}

impl Meetings {
    /// Counts who meets in each of `communities` communities, once the pieces are filled.
    fn count_present(&mut self, communities: usize) {
        self.present.clear();
        self.present.resize(communities, 0);
        for piece in &self.pieces {
            for (community, span) in spans(&piece.runs) {
                self.present[community] += span.len() as u32;
            }
        }
    }

    /// Marks whether each candidate of the communities `deciding` is inclined to `rule`'s act
    /// against their community's `arrest` probability, and counts the inclined in each
    /// community, per piece on the run's threads in whole numbers: exact in any order.
    fn mark_inclined(
        &mut self,
        rule: &Rule,
        arrest: &[f64],
        deciding: &[bool],
        workers: Option<&Workers>,
    ) -> Vec<u32> {
        let (act, communities) = (rule.act(), deciding.len());
        let inclined = PerThread::new(workers, || vec![0u32; communities]);
        in_pieces(self.pieces.par_iter_mut(), workers).for_each(|piece| {
            inclined.add(|sums| {
                for (community, run) in piece.runs_mut() {
                    if !deciding[community] {
                        continue;
                    }
                    for candidate in run {
                        let yes = rule.inclined(candidate, arrest[community]);
                        candidate.inclined[act] = yes;
                        sums[community] += u32::from(yes);
                    }
                }
            });
        });
        inclined
            .into_copies()
            .reduce(|mut sums, other| {
                for (sum, add) in sums.iter_mut().zip(other) {
                    *sum += add;
                }
                sums
            })
            .unwrap_or_else(|| vec![0; communities])
    }
}

/// What a community decided, which its members' acts follow ([`Verdict::acts`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Verdict {
    /// Not yet decided: no one acts.
    Undecided,
    /// Each member decided alone (against the community's arrest probability).
    Alone,
    /// The unit's meeting decided whether all its members act.
    Meeting(bool),
}

impl Verdict {
    /// Whether `member` acts under this verdict, by `rule`.
    pub fn acts(self, member: &Candidate, rule: &Rule) -> bool {
        match self {
            Verdict::Undecided => false,
            Verdict::Alone => member.inclined[rule.act()],
            Verdict::Meeting(all) => all,
        }
    }
}

/// One round of an act's decisions: every community for which `deciding` is true decides
/// against its arrest probability (`arrest`, from the region's coercion against the share
/// already acting around them). A unit's meeting decides for all its members, when
/// `rule.meeting_share` of those present are inclined; the rest decide alone. Writes the
/// verdicts of the communities that decided into `verdicts` and how many of their members
/// act into `acting`; returns whether any of those counts changed.
fn decide_round(
    communities: &Communities,
    meetings: &mut Meetings,
    arrest: &[f64],
    deciding: &[bool],
    rule: &Rule,
    workers: Option<&Workers>,
    verdicts: &mut [Verdict],
    acting: &mut [u32],
) -> bool {
    let inclined = meetings.mark_inclined(rule, arrest, deciding, workers);
    let mut changed = false;
    for (k, community) in communities.list.iter().enumerate() {
        if !deciding[k] {
            continue;
        }
        let (verdict, count) = if decides_as_unit(community.kind) {
            let present = meetings.present[k];
            let all = f64::from(inclined[k]) >= rule.meeting_share * f64::from(present.max(1));
            (Verdict::Meeting(all), if all { present } else { 0 })
        } else {
            (Verdict::Alone, inclined[k])
        };
        verdicts[k] = verdict;
        changed |= acting[k] != count;
        acting[k] = count;
    }
    changed
}

/// An act's decisions, each community's members against its arrest probability (`arrest`):
/// see [`decide_round`]. Returns each community's verdict.
pub fn decide(
    communities: &Communities,
    meetings: &mut Meetings,
    arrest: &[f64],
    rule: &Rule,
    workers: Option<&Workers>,
) -> Vec<Verdict> {
    let n = communities.list.len();
    let mut verdicts = vec![Verdict::Undecided; n];
    decide_round(
        communities,
        meetings,
        arrest,
        &vec![true; n],
        rule,
        workers,
        &mut verdicts,
        &mut vec![0; n],
    );
    verdicts
}

/// The share acting that each community's people see: their own community's, or for those in
/// the towns the whole town population of their region's (the crowd in the streets), counting
/// oneself, as Epstein counts the rebels within an agent's vision.
fn seen_acting(
    community: &Community,
    acting: u32,
    town_acting: &[f64; Region::COUNT],
    town_people: &[f64; Region::COUNT],
) -> f64 {
    if community.is_urban() {
        let r = community.region.index();
        (town_acting[r] + 1.0) / town_people[r].max(1.0)
    } else {
        (f64::from(acting) + 1.0) / f64::from(community.members.max(1))
    }
}

/// Public defiance as a cascade (Kuran, Granovetter): in each of `revolt.crisis_rounds`
/// rounds a week people see how many around them defy, the risk falls as the crowd grows, and
/// they decide again, until no community's count of those defying changes; units decide at
/// meetings. A bread queue can so become a general strike and a mutiny within days, as in
/// February [000:229][001:139-159]. Only the communities whose arrest probability moved since
/// they last decided decide again: the rest would decide as before. Returns each community's
/// verdict. Parameters: `revolt.defiance_threshold`, `revolt.defiance_risk`,
/// `revolt.crisis_rounds`, `revolt.meeting_share`, `revolt.arrest_constant`.
pub fn defiance_cascade(
    params: &Params,
    communities: &Communities,
    meetings: &mut Meetings,
    coercion: &[f64; Region::COUNT],
    tally: &Tally,
    workers: Option<&Workers>,
) -> Vec<Verdict> {
    let r = &params.revolt;
    let rule = Rule::defiance(params);
    let n = communities.list.len();
    let mut acting = tally.community_defiant.clone();
    let mut town_acting: [f64; Region::COUNT] =
        std::array::from_fn(|i| tally.regions[i].town_defiant);
    let town_people: [f64; Region::COUNT] = std::array::from_fn(|i| tally.regions[i].urban);
    let mut verdicts = vec![Verdict::Undecided; n];
    // The share acting each community last saw, and the arrest probability it last decided
    // against; none before the first round.
    let mut seen_at: Vec<Option<f64>> = vec![None; n];
    let mut decided_at: Vec<Option<f64>> = vec![None; n];
    let mut deciding = vec![false; n];
    let mut arrest = vec![0.0; n];
    for round in 0..r.crisis_rounds as u32 {
        for (k, community) in communities.list.iter().enumerate() {
            let seen = seen_acting(community, acting[k], &town_acting, &town_people);
            // The same crowd gives the same arrest probability: nothing to decide again.
            if seen_at[k] == Some(seen) {
                deciding[k] = false;
                continue;
            }
            seen_at[k] = Some(seen);
            arrest[k] =
                arrest_probability(r.arrest_constant, coercion[community.region.index()], seen);
            deciding[k] = decided_at[k] != Some(arrest[k]);
            decided_at[k] = Some(arrest[k]);
        }
        let changed = decide_round(
            communities,
            meetings,
            &arrest,
            &deciding,
            &rule,
            workers,
            &mut verdicts,
            &mut acting,
        );
        if !changed && round > 0 {
            break;
        }
        town_acting = [0.0; Region::COUNT];
        for (community, &count) in communities.list.iter().zip(&acting) {
            if community.is_urban() {
                town_acting[community.region.index()] += f64::from(count);
            }
        }
    }
    verdicts
}

/// Two kinds of action. Armed revolt is Epstein's rule: G - R P > T (`revolt.threshold`; G
/// the settled grievance), P from the region's coercive force against the armed rebels
/// among the person's own community last week, so a district that has risen emboldens its
/// people while a quiet one beside it stays quiet; ships, regiments, garrisons and factories
/// rise as units when their meeting so decides. Public defiance is the cheap act, decided in
/// a cascade ([`defiance_cascade`]); the armed defy too, and soldiers and sailors whose unit
/// defies are in armed revolt: a mutiny [000:229][003:113]. In a village, only as many rise
/// in arms as its soldiers come home can lead ([`armed_villagers`]). Active peasants under
/// Sovnarkom take up arms as insurgents [001:149][003:111-117]; insurgents who calm down go
/// home.
pub fn activate(
    params: Res<Params>,
    rng: Res<RunRng>,
    state: Res<State>,
    tally: Res<Tally>,
    communities: Res<Communities>,
    workers: Option<Res<Workers>>,
    mut regions: ResMut<Regions>,
    mut persons: ResMut<Persons>,
    mut meetings: Local<Meetings>,
) {
    let coercion = coercion(&params, &state, &tally);
    for (region, &coercion) in regions.list.iter_mut().zip(&coercion) {
        region.coercion = coercion;
        region.active_now = 0.0;
    }
    let armed_share = armed_villagers(&params, &communities, &tally);
    let rebels_in_arms = state.regime == Regime::Sovnarkom;
    // The candidates in spawn order, one piece per chunk of persons.
    let meetings = &mut *meetings;
    meetings
        .pieces
        .resize_with(persons.len().div_ceil(CHUNK), Piece::default);
    let (armed_rule, defiance_rule) = (Rule::in_arms(&params), Rule::defiance(&params));
    chunks_mut(&mut persons, 0, workers.as_deref())
        .zip(meetings.pieces.par_iter_mut())
        .for_each(|(mut rows, piece)| {
            piece.clear();
            for (row, (person, status, _, outlook, temperament)) in rows.iter_mut().enumerate() {
                if !may_act(status.role) {
                    status.active = false;
                    status.defiant = false;
                    continue;
                }
                let mut candidate = Candidate {
                    community: person.community,
                    row: row as u16,
                    grievance: settled_grievance(outlook, temperament) as f32,
                    anger: anger(&params, outlook) as f32,
                    risk_aversion: temperament.risk_aversion,
                    armed: true,
                    inclined: [false; 2],
                };
                // Whether they can take arms matters only to one whom the armed rule could
                // incline if they could, but it is worked out for all (`&`, not `&&`): whether
                // the rule could incline a person is as likely as not from one person to the
                // next, and a branch on it was mispredicted often; whether one can take arms
                // goes by community.
                candidate.armed = armed_rule.may_incline(&candidate)
                    & can_take_arms(&rng, person, status, &armed_share);
                // One who decides alone and could be inclined to neither act whatever the
                // arrest probability does neither, as deciding would find: no need to meet.
                if !candidate.armed
                    && !defiance_rule.may_incline(&candidate)
                    && !decides_as_unit(communities.list[person.community as usize].kind)
                {
                    act(person, status, false, false, rebels_in_arms);
                    continue;
                }
                piece.push(candidate);
            }
        });
    meetings.count_present(communities.list.len());
    let armed_arrest = arrest_by_community(
        params.revolt.arrest_constant,
        &coercion,
        &tally,
        &communities,
    );
    let armed = decide(
        &communities,
        meetings,
        &armed_arrest,
        &armed_rule,
        workers.as_deref(),
    );
    let defiant = defiance_cascade(
        &params,
        &communities,
        meetings,
        &coercion,
        &tally,
        workers.as_deref(),
    );
    // Each chunk counts its persons in revolt by region, in whole numbers: exact in any order.
    let active: Vec<[u32; Region::COUNT]> = chunks_mut(&mut persons, 0, workers.as_deref())
        .zip(meetings.pieces.par_iter())
        .map(|(rows, piece)| {
            let mut active = [0u32; Region::COUNT];
            // The piece holds its candidates in runs of one community: what the community
            // decided is read once a run.
            for (c, run) in piece.runs() {
                let (armed, defiant) = (armed[c], defiant[c]);
                let unit = decides_as_unit(communities.list[c].kind);
                for candidate in run {
                    let row = usize::from(candidate.row);
                    let (person, status) = (&rows.person[row], &mut rows.status[row]);
                    let active_now = armed.acts(candidate, &armed_rule);
                    let defiant = defiant.acts(candidate, &defiance_rule);
                    // Armed men who defy as a unit are a mutiny in arms.
                    let mutiny = defiant && unit && in_uniform(status.role);
                    act(
                        person,
                        status,
                        active_now || mutiny,
                        defiant || active_now,
                        rebels_in_arms,
                    );
                    active[person.region.index()] += u32::from(status.active);
                }
            }
            active
        })
        .collect();
    for chunk in active {
        for (region, count) in regions.list.iter_mut().zip(chunk) {
            region.active_now += f64::from(count);
        }
    }
}

/// Sets what a person does this week: in armed revolt (`active`) or not, defying or not.
/// Under Sovnarkom (`rebels_in_arms`) land workers in arms are insurgents; insurgents who
/// calm down go home.
fn act(person: &Person, status: &mut Status, active: bool, defiant: bool, rebels_in_arms: bool) {
    status.active = active;
    status.defiant = defiant;
    if active && rebels_in_arms && status.role == Role::Civilian && person.class.works_land() {
        status.role = Role::Insurgent;
    } else if !active && status.role == Role::Insurgent {
        status.role = Role::Civilian;
    }
}

/// The share of each community's people who can rise in arms: in a village, as far as its
/// soldiers come home from an army lead them ([`led`]), as they led the peasants' risings of
/// 1917 [000:245]: a village no one has come home to has grievances but no rifles and no one
/// who has used them. Everyone elsewhere (the towns, and the units that rise together).
pub fn armed_villagers(params: &Params, communities: &Communities, tally: &Tally) -> Vec<f64> {
    communities
        .list
        .iter()
        .zip(&tally.community_returned)
        .map(|(community, &returned)| match community.kind {
            CommunityKind::Village => {
                led(params.revolt.village_leaders, returned, community.members)
            }
            _ => 1.0,
        })
        .collect()
}

/// How fully the soldiers come home lead a village of `members`, `returned` of them: their
/// share over `leaders_needed`, at most 1; fully where none are needed [000:245].
fn led(leaders_needed: f64, returned: u32, members: u32) -> f64 {
    if leaders_needed <= 0.0 {
        return 1.0;
    }
    let share = f64::from(returned) / f64::from(members.max(1));
    (share / leaders_needed).min(1.0)
}

/// Whether `person` can rise in arms: in uniform, already an insurgent, come home from an army
/// themselves, or among the share of their village its returned soldiers lead
/// ([`armed_villagers`]; a draw fixed for life, so the same villagers follow as the share
/// grows).
fn can_take_arms(rng: &RunRng, person: &Person, status: &Status, armed_share: &[f64]) -> bool {
    let share = armed_share[person.community as usize];
    in_uniform(status.role)
        || status.role == Role::Insurgent
        || status.returned
        || share >= 1.0
        || (share > 0.0 && rng.draws(Stream::Follower, person.id, 0).uniform() < share)
}

/// Peasants who defy take the estates around their village, led by the soldiers who have come
/// home: soldiers "abandoned their posts and headed home to their native villages, where they
/// led the other peasants in mass uprisings, ... seizing the land" [000:245]. A village's
/// seized share rises to the share of its people defying, times how fully its returned
/// soldiers lead them ([`led`], `revolt.village_leaders`),
/// and stays, until the Whites bring the landlords back [001:155] (unless they concede the
/// land: `civil_war.whites_grant_land`). Land hunger counts what was seized as met (see
/// `allegiance::hardship_target`); each region's share seized ([`crate::model::RegionState::seized`]) pulls
/// its soldiers home (`war::desertion_chance`).
pub fn seize_estates(
    params: Res<Params>,
    tally: Res<Tally>,
    mut regions: ResMut<Regions>,
    mut communities: ResMut<Communities>,
) {
    let mut seized = [(0.0, 0.0); Region::COUNT];
    let whites_restore_estates = !flag(params.civil_war.whites_grant_land);
    let villages = communities.list.iter_mut().zip(
        tally
            .community_defiant
            .iter()
            .zip(&tally.community_returned),
    );
    for (community, (&defiant, &returned)) in villages {
        if community.kind != CommunityKind::Village {
            continue;
        }
        if regions.get(community.region).control == Side::White && !whites_restore_estates {
            community.seized = 0.0;
        } else {
            let members = f64::from(community.members.max(1));
            let leadership = led(params.revolt.village_leaders, returned, community.members);
            community.seized = community
                .seized
                .max(f64::from(defiant) / members * leadership);
        }
        let (land, members) = &mut seized[community.region.index()];
        *land += community.seized * f64::from(community.members);
        *members += f64::from(community.members);
    }
    for (region, (land, members)) in regions.list.iter_mut().zip(seized) {
        region.seized = if members > 0.0 { land / members } else { 0.0 };
    }
}

/// The share of the estate land seized nationally, weighted by village members.
pub fn estates_seized(regions: &Regions, tally: &Tally) -> f64 {
    let (land, members) = regions.list.iter().zip(&tally.regions).fold(
        (0.0, 0.0),
        |(land, members), (region, counts)| {
            (
                land + region.seized * counts.village,
                members + counts.village,
            )
        },
    );
    if members > 0.0 {
        land / members
    } else {
        0.0
    }
}

/// The Provisional Government's answer to the seizures: with no force to stop them, it
/// tolerates them (land policy `seizures_tolerated`) once `revolt.seizures_tolerated_share`
/// of the estate land is seized, nationally by village members. The agrarian revolution is
/// the peasants' and the deserters' doing; the government's tolerance follows it [000:245]
/// (the share is a model assumption).
pub fn tolerate_seizures(
    params: Res<Params>,
    clock: Res<Clock>,
    tally: Res<Tally>,
    regions: Res<Regions>,
    mut state: ResMut<State>,
    mut log: ResMut<EventLog>,
) {
    let tolerable = state.regime == Regime::Provisional && state.land == LandPolicy::Landlords;
    if !tolerable || estates_seized(&regions, &tally) < params.revolt.seizures_tolerated_share {
        return;
    }
    state.land = LandPolicy::SeizuresTolerated;
    log.record(
        &clock,
        "land_seizures",
        "emergent",
        "Peasants, joined by deserters, seize the estates; the government cannot stop them",
        "000:245",
    );
}

/// Whether the regime in power executes: the Tsar did; February abolished the death penalty
/// and October confirmed it; Sovnarkom restored it in 1918 ([`Switches::death_penalty`])
/// [003:105].
pub fn executes(state: &State, switches: &Switches) -> bool {
    match state.regime {
        Regime::Tsar => true,
        Regime::Provisional => false,
        Regime::Sovnarkom => switches.death_penalty,
    }
}

/// The share of a region's arrests that those who may shoot them make: under Sovnarkom the
/// Cheka's share of the region's coercive force, since the Cheka had "the power to arrest, to
/// try in secret ... and to execute" [003:105] while the Red Army's captives go to prison;
/// under the Tsar all of it (his field courts martial).
fn executing_share(state: &State, coercion: f64) -> f64 {
    match state.regime {
        Regime::Sovnarkom => (state.cheka / coercion.max(DIVISOR_FLOOR)).min(1.0),
        Regime::Tsar | Regime::Provisional => 1.0,
    }
}

/// Arrests: the coercive force of a region arrests up to `repression.arrest_rate` armed
/// rebels per member a week, so each one's chance is that capacity over this week's rebels;
/// those who may shoot them ([`executing_share`]) also take `repression.hostage_rate`
/// hostages per rebel from the rebels' community, among its civilians not in arms
/// ([`hostage_chance`]); where the regime [`executes`], `repression.lethality` of those they
/// hold are shot; the jailed come out after their term, deterred: their risk aversion grows
/// by `repression.deterrence` [000:229][000:761][003:105].
pub fn repress(
    params: Res<Params>,
    clock: Res<Clock>,
    rng: Res<RunRng>,
    state: Res<State>,
    switches: Res<Switches>,
    regions: Res<Regions>,
    tally: Res<Tally>,
    communities: Res<Communities>,
    mut tolls: ResMut<Tolls>,
    workers: Option<Res<Workers>>,
    mut persons: ResMut<Persons>,
) {
    let r = &params.repression;
    let hostages = hostage_chance(r.hostage_rate, &tally, &communities);
    let lethality = if executes(&state, &switches) {
        r.lethality
    } else {
        0.0
    };
    // True if the person was put to death.
    let repress_one = |person: &Person, status: &mut Status, temperament: &mut Temperament| {
        if status.role == Role::Jailed {
            status.jail_weeks = status.jail_weeks.saturating_sub(1);
            if status.jail_weeks == 0 {
                temperament.risk_aversion =
                    (temperament.risk_aversion + r.deterrence as f32).min(1.0);
                status.role = match status.before_jail {
                    Role::Insurgent => Role::Civilian,
                    role => role,
                };
            }
            return false;
        }
        let held = match hostages.get(person.community as usize) {
            Some(&held) if !status.active && status.role == Role::Civilian => held,
            _ => 0.0,
        };
        if !status.active && held == 0.0 {
            return false;
        }
        let region = regions.get(person.region);
        let chance = if status.active {
            let capacity =
                r.arrest_rate * region.coercion * tally.regions[person.region.index()].alive;
            (capacity / region.active_now.max(1.0)).min(1.0)
        } else {
            held * executing_share(&state, region.coercion)
        };
        let mut draws = rng.draws(Stream::Repression, person.id, clock.step);
        if !draws.chance(chance) {
            return false;
        }
        status.active = false;
        if draws.chance(lethality * executing_share(&state, region.coercion)) {
            status.role = Role::Dead;
            return true;
        }
        status.before_jail = status.role;
        status.role = Role::Jailed;
        status.jail_weeks = r.jail_weeks as u16;
        false
    };
    let deaths = count_rows(
        &mut persons,
        workers.as_deref(),
        |(person, status, _, _, temperament)| repress_one(person, status, temperament),
    );
    tolls.repression += f64::from(deaths);
}

/// Each community's chance, for one of its people not in arms, of being taken hostage this
/// week by whoever takes hostages (before their share of the coercive force): `rate` hostages
/// per armed rebel of the community at the last tally, spread over its others, at most all of
/// them [000:761]. Empty where no hostages are taken.
fn hostage_chance(rate: f64, tally: &Tally, communities: &Communities) -> Vec<f64> {
    if rate == 0.0 {
        return Vec::new();
    }
    communities
        .list
        .iter()
        .zip(&tally.community_active)
        .map(|(community, &active)| {
            let others = community.members.saturating_sub(active);
            (rate * f64::from(active) / f64::from(others.max(1))).min(1.0)
        })
        .collect()
}

/// The Tsar falls when enough of the capital's garrison refuses orders: the coercive force has
/// defected. The Provisional Government takes over in dual power with the soviets, the
/// socialist parties become legal [000:229-235][000:259][001:139-159]. The monarchy is
/// "essentially" abolished [000:235], and with it the monarchists as a party one can back:
/// "a large part of the nobility" had itself advised abdication [001:161]; those who still
/// wish for a throne choose again among the parties left (that none of the monarchist
/// right's parties outlived February is a model assumption).
pub fn regime_collapse(
    params: Res<Params>,
    clock: Res<Clock>,
    tally: Res<Tally>,
    mut state: ResMut<State>,
    mut regions: ResMut<Regions>,
    mut log: ResMut<EventLog>,
) {
    if state.regime != Regime::Tsar {
        return;
    }
    let capital = &tally.regions[Region::Petrograd.index()];
    let defected = capital.soldiers_defiant / capital.soldiers.max(1.0);
    if defected < params.revolt.defection_threshold {
        return;
    }
    change_regime(&mut state, &mut regions, Regime::Provisional);
    state.soviets = true;
    state.status = [LegalStatus::Legal; Party::COUNT];
    state.status[Party::Monarchists.index()] = LegalStatus::Harassed;
    state.exists[Party::Monarchists.index()] = false;
    state.in_government = [false; Party::COUNT];
    state.in_government[Party::Kadets.index()] = true;
    log.record(
        &clock,
        "february_revolution",
        "emergent",
        &format!(
            "{:.0}% of the Petrograd garrison refuses orders: the Tsar's regime falls; Provisional Government and soviets in dual power",
            PERCENT * defected
        ),
        "000:229-235;001:139-159",
    );
}

#[cfg(test)]
mod tests {
    use bevy_ecs::system::RunSystemOnce;

    use super::*;

    /// `candidates` in pieces of 7 (as the persons come in chunks), and who meets in each
    /// of `communities` communities.
    fn meetings_of(candidates: &[Candidate], communities: usize) -> Meetings {
        let pieces = candidates
            .chunks(7)
            .map(|chunk| {
                let mut piece = Piece::default();
                for &candidate in chunk {
                    piece.push(candidate);
                }
                piece
            })
            .collect();
        let mut meetings = Meetings {
            pieces,
            present: Vec::new(),
        };
        meetings.count_present(communities);
        meetings
    }

    /// Whether each candidate of `meetings` acts under their community's verdict, in
    /// candidate order.
    fn by_candidate(meetings: &Meetings, verdicts: &[Verdict], rule: &Rule) -> Vec<bool> {
        meetings
            .pieces
            .iter()
            .flat_map(|piece| &piece.candidates)
            .map(|c| verdicts[c.community as usize].acts(c, rule))
            .collect()
    }
    use crate::model::ids::Class;
    use crate::model::Allegiance;

    /// The role of someone jailed as `before` after their last week inside.
    fn released(before: Role) -> Role {
        let mut world = crate::systems::test_world(10, "1917-06-01");
        world.insert_resource(Communities::default());
        let person = Person {
            id: 0,
            class: Class::PeasantMiddle,
            home: Region::CentralIndustrial,
            region: Region::Petrograd,
            community: 0,
            industrial: false,
            minority: false,
            village_tie: 0.6,
        };
        let status = Status {
            role: Role::Jailed,
            jail_weeks: 1,
            before_jail: before,
            active: false,
            defiant: false,
            returned: false,
        };
        let temperament = Temperament {
            risk_aversion: 0.5,
            hardship_sensitivity: 1.0,
        };
        let mut persons = Persons::default();
        persons.push((
            person,
            status,
            Allegiance::default(),
            Outlook::default(),
            temperament,
        ));
        world.insert_resource(persons);
        world.run_system_once(repress).expect("repress runs");
        world.resource::<Persons>().status[0].role
    }

    /// Village districts of the Volga with these members, and a tally with these rebels in
    /// arms in each.
    fn districts(members: &[u32], active: &[u32]) -> (Communities, Tally) {
        use crate::model::ids::CommunityKind;
        use crate::model::Community;
        let district = |&members| {
            let mut community = Community::new(CommunityKind::Village, Region::Volga, None);
            community.members = members;
            community
        };
        let communities = Communities {
            list: members.iter().map(district).collect(),
            home_villages: Vec::new(),
            factories: Vec::new(),
        };
        let mut tally = Tally::new(members.len());
        tally.community_active = active.to_vec();
        (communities, tally)
    }

    #[test]
    fn hostages_come_from_the_communities_that_rose_and_none_where_none_are_taken() {
        let (communities, tally) = districts(&[200, 200, 10], &[0, 50, 10]);
        // 0.5 hostages per rebel: 25 of the 150 others; the chance is at most 1.
        assert_eq!(
            hostage_chance(0.5, &tally, &communities),
            vec![0.0, 25.0 / 150.0, 1.0]
        );
        assert!(hostage_chance(0.0, &tally, &communities).is_empty());
    }

    #[test]
    fn a_district_that_has_risen_expects_fewer_arrests_than_a_quiet_one_beside_it() {
        let (communities, tally) = districts(&[200, 200, 200], &[0, 50, 199]);
        let mut coercion = [0.0; Region::COUNT];
        coercion[Region::Volga.index()] = 0.01;
        let arrest = arrest_by_community(2.3, &coercion, &tally, &communities);
        // The first rebel of a quiet district of 200 faces 0.01 x 200 = 2 of coercion alone.
        assert!((arrest[0] - (1.0 - (-2.3f64 * 2.0).exp())).abs() < 2e-8);
        assert!(arrest[0] > arrest[1] && arrest[1] > arrest[2]);
        assert!(arrest[2] < 0.03, "a district all in revolt: {}", arrest[2]);
    }

    /// A unit's meeting decides for all: a factory where most are inclined strikes whole,
    /// one where a minority is stays at work; villagers decide alone.
    #[test]
    fn units_act_as_one_and_villagers_alone() {
        use crate::model::Community;
        let communities = Communities {
            list: vec![
                Community::new(CommunityKind::Factory, Region::Petrograd, None),
                Community::new(CommunityKind::Factory, Region::Petrograd, None),
                Community::new(CommunityKind::Village, Region::Volga, None),
            ],
            home_villages: Vec::new(),
            factories: Vec::new(),
        };
        let candidate = |community, grievance| Candidate {
            community,
            row: 0,
            grievance,
            anger: 0.0,
            risk_aversion: 0.0,
            armed: true,
            inclined: [false; 2],
        };
        // Three of five inclined in the first factory, two of five in the second, two of
        // five in the village.
        let candidates: Vec<Candidate> = (0..3u32)
            .flat_map(|c| {
                let inclined = if c == 0 { 3 } else { 2 };
                (0..5).map(move |i| candidate(c, if i < inclined { 0.5 } else { 0.0 }))
            })
            .collect();
        let mut meetings = meetings_of(&candidates, communities.list.len());
        let rule = Rule {
            risk_weight: 1.0,
            threshold: 0.2,
            meeting_share: 0.5,
            in_arms: true,
        };
        let verdicts = decide(&communities, &mut meetings, &[0.0; 3], &rule, None);
        let decisions = by_candidate(&meetings, &verdicts, &rule);
        assert_eq!(&decisions[0..5], &[true; 5]);
        assert_eq!(&decisions[5..10], &[false; 5]);
        assert_eq!(&decisions[10..15], &[true, true, false, false, false]);
    }

    /// Anger at a sudden fall in legitimacy brings villagers into the streets, not into arms;
    /// and only those a returned soldier leads can take up arms at all.
    #[test]
    fn anger_defies_and_only_the_led_take_up_arms() {
        use crate::model::Community;
        let communities = Communities {
            list: vec![Community::new(CommunityKind::Village, Region::Volga, None)],
            home_villages: Vec::new(),
            factories: Vec::new(),
        };
        let candidate = |grievance, anger, armed| Candidate {
            community: 0,
            row: 0,
            grievance,
            anger,
            risk_aversion: 0.0,
            armed,
            inclined: [false; 2],
        };
        // Angry but settled below the threshold; aggrieved and led; aggrieved and unled.
        let candidates = vec![
            candidate(0.1, 0.4, true),
            candidate(0.5, 0.0, true),
            candidate(0.5, 0.0, false),
        ];
        let mut meetings = meetings_of(&candidates, 1);
        let mut acting = |in_arms| {
            let rule = Rule {
                risk_weight: 1.0,
                threshold: 0.35,
                meeting_share: 0.5,
                in_arms,
            };
            let verdicts = decide(&communities, &mut meetings, &[0.0], &rule, None);
            by_candidate(&meetings, &verdicts, &rule)
        };
        assert_eq!(acting(true), vec![false, true, false]);
        assert_eq!(acting(false), vec![true, true, true]);
    }

    /// Whoever either rule inclines at some arrest probability, `may_incline` finds without
    /// one, so no one left out of the meetings would have acted (it fails if it asks at an
    /// arrest probability of 1 instead of 0); with a risk that emboldens, it leaves no one out.
    #[test]
    fn whoever_any_arrest_probability_inclines_may_be_inclined() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1921);
        let params = Params::default();
        let rules = [Rule::in_arms(&params), Rule::defiance(&params)];
        let mut inclined_somewhere = 0;
        for _ in 0..20_000 {
            let candidate = Candidate {
                community: 0,
                row: 0,
                grievance: rng.random_range(0.0..1.0),
                anger: rng.random_range(0.0..0.3),
                risk_aversion: rng.random_range(0.0..1.0),
                armed: rng.random_bool(0.5),
                inclined: [false; 2],
            };
            for rule in &rules {
                for arrest in [0.0, 1e-12, 0.05, 0.3, 0.7, 1.0] {
                    if rule.inclined(&candidate, arrest) {
                        inclined_somewhere += 1;
                        assert!(rule.may_incline(&candidate), "{candidate:?} at {arrest}");
                    }
                }
            }
        }
        assert!(inclined_somewhere > 1000, "the test reaches the inclined");
        let emboldened = Rule {
            risk_weight: -1.0,
            ..Rule::defiance(&params)
        };
        assert!(emboldened.may_incline(&Candidate::default()));
    }

    /// The cascade decides again only where a community's arrest probability moved; that
    /// must give what every community deciding every round gives, whatever the crowd.
    #[test]
    fn the_cascade_decides_as_if_every_community_decided_every_round() {
        use crate::model::Community;
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1917);
        let kinds = [
            (CommunityKind::Village, Region::Volga),
            (CommunityKind::Village, Region::Volga),
            (CommunityKind::Factory, Region::Petrograd),
            (CommunityKind::Factory, Region::Petrograd),
            (CommunityKind::Town, Region::Petrograd),
            (CommunityKind::Garrison, Region::Petrograd),
            (CommunityKind::Town, Region::Moscow),
        ];
        let mut params = Params::default();
        for trial in 0..200 {
            let mut list: Vec<Community> = kinds
                .iter()
                .map(|&(kind, region)| Community::new(kind, region, None))
                .collect();
            let candidates: Vec<Candidate> = (0..120)
                .map(|_| Candidate {
                    community: rng.random_range(0..kinds.len() as u32),
                    row: 0,
                    grievance: rng.random_range(0.0..0.6),
                    anger: rng.random_range(0.0..0.1),
                    risk_aversion: rng.random_range(0.0..1.0),
                    armed: true,
                    inclined: [false; 2],
                })
                .collect();
            for c in &candidates {
                list[c.community as usize].members += 1;
            }
            let communities = Communities {
                list,
                home_villages: Vec::new(),
                factories: Vec::new(),
            };
            let mut tally = Tally::new(kinds.len());
            for (index, community) in communities.list.iter().enumerate() {
                let defiant = rng.random_range(0..=community.members);
                tally.community_defiant[index] = defiant;
                if community.is_urban() {
                    let region = &mut tally.regions[community.region.index()];
                    region.town_defiant += f64::from(defiant);
                    region.urban += f64::from(community.members);
                }
            }
            assert!(params.set("revolt.crisis_rounds", f64::from(1 + trial % 10)));
            let coercion: [f64; Region::COUNT] =
                std::array::from_fn(|_| rng.random_range(0.0..0.3));
            let mut meetings = meetings_of(&candidates, communities.list.len());
            let rule = Rule::defiance(&params);
            // Every community decides every round, until no one changes their mind.
            let mut acting = tally.community_defiant.clone();
            let mut town: [f64; Region::COUNT] =
                std::array::from_fn(|i| tally.regions[i].town_defiant);
            let people: [f64; Region::COUNT] = std::array::from_fn(|i| tally.regions[i].urban);
            let mut expected: Vec<bool> = Vec::new();
            for _ in 0..params.revolt.crisis_rounds as u32 {
                let arrest: Vec<f64> = communities
                    .list
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let seen = seen_acting(c, acting[i], &town, &people);
                        arrest_probability(
                            params.revolt.arrest_constant,
                            coercion[c.region.index()],
                            seen,
                        )
                    })
                    .collect();
                let verdicts = decide(&communities, &mut meetings, &arrest, &rule, None);
                let next = by_candidate(&meetings, &verdicts, &rule);
                if next == expected {
                    break;
                }
                acting.fill(0);
                town = [0.0; Region::COUNT];
                for (c, &yes) in candidates.iter().zip(&next) {
                    let community = &communities.list[c.community as usize];
                    acting[c.community as usize] += u32::from(yes);
                    if community.is_urban() {
                        town[community.region.index()] += f64::from(u8::from(yes));
                    }
                }
                expected = next;
            }
            let verdicts = defiance_cascade(
                &params,
                &communities,
                &mut meetings,
                &coercion,
                &tally,
                None,
            );
            let cascade = by_candidate(&meetings, &verdicts, &rule);
            assert_eq!(cascade, expected, "trial {trial}");
        }
    }

    #[test]
    fn no_executions_where_the_death_penalty_is_abolished() {
        let mut switches = Switches::new(&Params::default());
        let mut state = State::tsarist();
        assert!(executes(&state, &switches));
        state.regime = Regime::Provisional;
        assert!(!executes(&state, &switches));
        state.regime = Regime::Sovnarkom;
        assert!(!executes(&state, &switches));
        switches.death_penalty = true;
        assert!(executes(&state, &switches));
    }

    #[test]
    fn prisoners_go_back_to_what_they_were_doing_and_insurgents_go_home() {
        assert_eq!(released(Role::Sailor), Role::Sailor);
        assert_eq!(released(Role::Soldier), Role::Soldier);
        assert_eq!(released(Role::Insurgent), Role::Civilian);
    }
}
