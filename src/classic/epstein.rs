//! Epstein (2002), "Modeling civil violence: An agent-based computational approach", PNAS 99
//! suppl. 3, 7243-7250: Model I (citizens and cops, no legitimacy feedback).
//!
//! Citizens have a hardship H ~ U(0,1) and a risk aversion R ~ U(0,1); the regime has a
//! legitimacy L. A citizen's grievance is G = H(1 − L); it estimates its arrest probability
//! as P = 1 − exp(−k · t(C/A)), with C the cops and A the active citizens (counting itself)
//! in its vision, and is active when G − R·P > T. A cop arrests one random active citizen in
//! its vision, who is jailed for a random term. Agents move to a random empty cell in their
//! vision. Every step activates every agent once, in a fresh random order.
//!
//! Two public implementations differ in details that matter; [`Variant`] picks one:
//!
//! | | [`Variant::Mesa`] (Mesa 3.3 `epstein_civil_violence`) | [`Variant::Netlogo`] (NetLogo `Rebellion`) |
//! |---|---|---|
//! | vision | von Neumann, radius v | disc, radius v |
//! | t(C/A) | round half to even (Python's `round`) | floor |
//! | A | 1 + active citizens in vision, oneself excluded | 1 + active citizens on the disc, oneself included (as NetLogo counts it) |
//! | jail term | uniform on 0..=J_max | uniform on 0..J_max |
//! | citizen | decides, then moves | moves, then decides |
//! | cop | arrests, then moves | moves, then arrests and steps onto the arrestee's cell |
//! | the jailed | stay on their cell and block it; their term counts down at their own activation | leave the lattice (do not block); terms count down at the end of the step |
//! | set-up | each cell a citizen, a cop or empty by the densities | exactly round(density · cells) of each, on random empty cells |
//!
//! In NetLogo a released citizen reappears on its old cell even if someone stands there, and a
//! cop steps onto the cell of a citizen it arrested for 0 steps; such agents share the cell
//! until one of them leaves (see `stacked`).
//!
//! [`Transform::Raw`] drops t (P = 1 − exp(−k·C/A)), as in the paper's formula; the Mesa
//! authors note that without rounding the paper's punctuated equilibria do not appear.
//!
//! # Why a flat lattice and not the ECS
//! The model's only question is "who is within v cells of here?", asked ~10⁸ times a run at
//! scale. A flat array of occupants per cell answers "is it empty?" in one load, and two count
//! fields (cops and active citizens seen from each cell), updated when a cop or an active
//! citizen moves or a citizen changes state, answer "how many cops and actives do I see?" in
//! two loads instead of a scan of the ~112 cells in vision. Most agents are quiet citizens,
//! whose moves change no count. Citizens are one 16-byte record each (read together at random,
//! so one cache line per activation; their traits G and R, which only the raw transform reads
//! after set-up, are kept apart). An ECS would add an indirection per lookup and a query
//! per activation, and the model has no systems to schedule: random asynchronous activation
//! is one sequential loop.
//!
//! # Randomness
//! One generator makes every draw, in a fixed order, so the same seed gives the same run on
//! every machine: SplitMix64 ([`Rng`]), a counter run through a 64-bit mixer, whose start a
//! ChaCha8 generator seeded by the run's seed draws. A draw takes a few instructions and no
//! buffer (ChaCha8's block refills and buffer checks were a tenth of a step). The model is
//! sequential by definition (each
//! agent sees the moves of those activated before it), so a run uses one thread.

use std::hint::select_unpredictable;

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::lattice::{Neighbourhood, Shape, Site};

/// Which public implementation a run follows (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Variant {
    Mesa,
    Netlogo,
}

impl Variant {
    pub fn name(self) -> &'static str {
        match self {
            Variant::Mesa => "mesa",
            Variant::Netlogo => "netlogo",
        }
    }

    /// The transform t that the implementation applies to C/A.
    pub fn default_transform(self) -> Transform {
        match self {
            Variant::Mesa => Transform::Round,
            Variant::Netlogo => Transform::Floor,
        }
    }
}

impl std::str::FromStr for Variant {
    type Err = String;
    fn from_str(text: &str) -> Result<Variant, String> {
        match text {
            "mesa" => Ok(Variant::Mesa),
            "netlogo" => Ok(Variant::Netlogo),
            _ => Err(format!(
                "unknown variant `{text}` (expected mesa or netlogo)"
            )),
        }
    }
}

/// The transform t of the cop-to-active ratio in P = 1 − exp(−k · t(C/A)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Transform {
    /// Round half to even (Python's `round`, Mesa).
    Round,
    /// Round down (NetLogo's `floor`).
    Floor,
    /// No transform: the raw ratio (the paper's formula as printed).
    Raw,
}

impl Transform {
    pub fn name(self) -> &'static str {
        match self {
            Transform::Round => "round",
            Transform::Floor => "floor",
            Transform::Raw => "raw",
        }
    }
}

impl std::str::FromStr for Transform {
    type Err = String;
    fn from_str(text: &str) -> Result<Transform, String> {
        match text {
            "round" => Ok(Transform::Round),
            "floor" => Ok(Transform::Floor),
            "raw" => Ok(Transform::Raw),
            _ => Err(format!(
                "unknown transform `{text}` (expected round, floor or raw)"
            )),
        }
    }
}

/// The parameters of one run of Model I.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Params {
    pub variant: Variant,
    pub transform: Transform,
    pub width: u32,
    pub height: u32,
    /// Share of cells holding a citizen at the start.
    pub citizen_density: f64,
    /// Share of cells holding a cop.
    pub cop_density: f64,
    /// Radius of vision v, of citizens and cops alike.
    pub vision: u32,
    /// Legitimacy L of the regime, the same for every citizen.
    pub legitimacy: f64,
    /// J_max, the longest jail term.
    pub max_jail: u32,
    /// Threshold T of G − R·P for going active.
    pub threshold: f64,
    /// k in P = 1 − exp(−k · t(C/A)).
    pub k: f64,
}

impl Params {
    /// The defaults of the issue (NetLogo's Rebellion defaults): 40 x 40, citizen density 0.7,
    /// cop density 0.04, vision 7, L 0.82, J_max 30, T 0.1, k 2.3, with the variant's transform.
    pub fn defaults(variant: Variant) -> Params {
        Params {
            variant,
            transform: variant.default_transform(),
            width: 40,
            height: 40,
            citizen_density: 0.7,
            cop_density: 0.04,
            vision: 7,
            legitimacy: 0.82,
            max_jail: 30,
            threshold: 0.1,
            k: 2.3,
        }
    }

    /// Checks every value; the error names the parameter and what would be valid.
    pub fn validate(&self) -> Result<(), ParamError> {
        let fail = |name: &'static str, message: String| Err(ParamError { name, message });
        let cells = u64::from(self.width) * u64::from(self.height);
        if self.width == 0 || self.height == 0 {
            return fail("width", "width and height must be at least 1".into());
        }
        if self.width > u32::from(u16::MAX) || self.height > u32::from(u16::MAX) {
            return fail(
                "width",
                format!(
                    "width and height must be at most {}, got {} x {}",
                    u16::MAX,
                    self.width,
                    self.height
                ),
            );
        }
        if cells > MAX_CELLS {
            return fail(
                "width",
                format!("{cells} cells is more than the {MAX_CELLS} a lattice may hold"),
            );
        }
        for (name, value) in [
            ("citizen_density", self.citizen_density),
            ("cop_density", self.cop_density),
            ("legitimacy", self.legitimacy),
        ] {
            if !(0.0..=1.0).contains(&value) {
                return fail(name, format!("must be between 0 and 1, got {value}"));
            }
        }
        if self.citizen_density + self.cop_density > 1.0 + 1e-12 {
            return fail(
                "cop_density",
                format!(
                    "citizen density + cop density must be at most 1, got {} + {}",
                    self.citizen_density, self.cop_density
                ),
            );
        }
        if !(1..=MAX_VISION).contains(&self.vision) {
            return fail(
                "vision",
                format!("must be between 1 and {MAX_VISION}, got {}", self.vision),
            );
        }
        if self.max_jail > MAX_JAIL {
            return fail(
                "max_jail",
                format!("must be at most {MAX_JAIL}, got {}", self.max_jail),
            );
        }
        if !self.threshold.is_finite() {
            return fail("threshold", "must be a finite number".into());
        }
        if !self.k.is_finite() || self.k < 0.0 {
            return fail("k", format!("must be a number >= 0, got {}", self.k));
        }
        Ok(())
    }

    /// The shape of vision of the variant.
    pub fn shape(&self) -> Shape {
        match self.variant {
            Variant::Mesa => Shape::VonNeumann,
            Variant::Netlogo => Shape::Disc,
        }
    }
}

/// The most cells a lattice may hold (agent numbers stay below 2³¹, as `occupant` keeps the
/// top bit for a flag).
pub const MAX_CELLS: u64 = (1 << 31) - 1;
/// The widest vision accepted (its neighbourhood must stay under 65,536 cells, as `near`
/// counts in 16 bits).
pub const MAX_VISION: u32 = 100;
/// The longest jail term accepted.
pub const MAX_JAIL: u32 = 1_000_000;

/// An invalid parameter value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{name}: {message}")]
pub struct ParamError {
    pub name: &'static str,
    pub message: String,
}

/// Citizens by state after a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub active: u32,
    pub quiet: u32,
    pub jailed: u32,
}

impl Counts {
    pub fn citizens(&self) -> u32 {
        self.active + self.quiet + self.jailed
    }

    /// Share of citizens active (0 with no citizens).
    pub fn active_share(&self) -> f64 {
        share(self.active, self.citizens())
    }

    pub fn quiet_share(&self) -> f64 {
        share(self.quiet, self.citizens())
    }

    pub fn jailed_share(&self) -> f64 {
        share(self.jailed, self.citizens())
    }
}

fn share(part: u32, whole: u32) -> f64 {
    if whole == 0 {
        0.0
    } else {
        f64::from(part) / f64::from(whole)
    }
}

/// No agent on the cell.
const EMPTY: u32 = u32::MAX;
/// Set in `occupant` when the agent there is an active citizen, so that a cop finds the
/// actives in vision from the lattice alone (agent numbers stay below 2³¹).
const ACTIVE_FLAG: u32 = 1 << 31;
/// One cop, in a `near` count (cops in the high 16 bits).
const COP: u32 = 1 << 16;
/// One active citizen, in a `near` count (actives in the low 16 bits).
const ACTIVE: u32 = 1;
/// Draws of a random cell in vision before listing the empty ones (at the default density
/// one draw in four finds an empty cell; 32 misses in a row happen about once in 15,000).
const TRIES: usize = 32;
/// Cells in vision drawn and looked at together (even: drawn in pairs; see
/// [`Epstein::random_empty_cell`]).
const BATCH: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Quiet,
    Active,
    Jailed,
}

/// A citizen's fixed traits: read only to set its `limit` and by the decisions of the raw
/// transform, so kept apart from [`Citizen`], whose records are read at every activation.
#[derive(Debug, Clone, Copy)]
struct Traits {
    /// G = H(1 − L).
    grievance: f64,
    /// R.
    risk: f64,
}

/// One citizen's state: read together at each activation, so kept together (16 bytes, which
/// keeps all of them in the first-level cache at 40 x 40).
#[derive(Debug, Clone, Copy)]
struct Citizen {
    /// Where it stands (jailed NetLogo citizens keep the cell they will come back to).
    site: Site,
    /// Steps of jail left.
    jail: u32,
    /// With an integer transform: active exactly when t(C/A) < `limit` (G − R·P falls as
    /// t(C/A) rises), so 0 for a citizen who can never be active (G <= T: most of them at
    /// the defaults), who then need not look around at all.
    limit: u32,
    status: Status,
}

impl Citizen {
    /// What the citizen adds to `near`: `ACTIVE` when active, else nothing.
    #[inline]
    fn contribution(&self) -> u32 {
        if self.status == Status::Active {
            ACTIVE
        } else {
            0
        }
    }
}

/// A run of Model I in progress. Agents are numbered citizens first (`0..citizens`), then
/// cops. A clone goes on exactly as the original would.
#[derive(Clone)]
pub struct Epstein {
    params: Params,
    neighbourhood: Neighbourhood,
    rng: Rng,
    citizens: Vec<Citizen>,
    /// The traits of each citizen, in the order of `citizens`.
    traits: Vec<Traits>,
    /// Where each cop stands.
    cops: Vec<Site>,
    /// The agent on each cell (with `ACTIVE_FLAG` for an active citizen), or `EMPTY`.
    occupant: Vec<u32>,
    /// What the occupants of each cell's closed neighbourhood are: cops · `COP` + active
    /// citizens · `ACTIVE`, in one word so that a citizen reads both with one count (a count
    /// field of [`Neighbourhood::field_len`] words, read by [`Neighbourhood::count`]). Each half
    /// counts at most one agent per cell, so it never exceeds the neighbourhood's size (at
    /// most 65,535 cells, see [`MAX_VISION`]).
    near: Vec<u32>,
    /// NetLogo only: free agents standing on a cell whose `occupant` is another agent. They
    /// are not in `near` but counted where seen. Almost always empty; each entry leaves as
    /// soon as it moves.
    stacked: Vec<u32>,
    /// NetLogo only: the jailed citizens, in order of arrest.
    in_jail: Vec<u32>,
    /// Activation order, reshuffled every step.
    order: Vec<u32>,
    active: u32,
    jailed: u32,
    steps_done: u32,
}

/// Agents ahead in the activation order whose memory is prefetched.
const PREFETCH: usize = 16;
/// Lattices from this many cells on prefetch (smaller ones stay in the caches).
const PREFETCH_CELLS: usize = 1 << 18;

/// Asks the processor to start loading the cache line holding `value`. Only a hint: it
/// changes no result, only how long the load that follows waits.
#[inline(always)]
fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch reads nothing into the program and cannot fault; the pointer comes
    // from a live reference anyway.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>((value as *const T).cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}

/// SplitMix64 (Steele, Lea and Flood 2014, "Fast splittable pseudorandom number
/// generators"): draw number i is a fixed 64-bit mixing function of `start + i · GAMMA`. It
/// passes BigCrush; a draw is an add, two multiplies and three shifts.
#[derive(Debug, Clone)]
struct Rng {
    counter: u64,
}

impl Rng {
    /// The odd increment of the counter (2⁶⁴ divided by the golden ratio).
    const GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;

    /// A generator whose counter starts where a ChaCha8 generator seeded by `seed` says, so
    /// that nearby seeds start far apart.
    fn new(seed: u64) -> Rng {
        Rng {
            counter: ChaCha8Rng::seed_from_u64(seed).next_u64(),
        }
    }

    /// The next 64 random bits.
    #[inline]
    fn next_u64(&mut self) -> u64 {
        self.counter = self.counter.wrapping_add(Rng::GAMMA);
        let mut z = self.counter;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// A uniform integer in `0..n` (n > 0), without bias (Lemire's multiply-and-reject on one
/// 64-bit draw; a redraw happens with probability below n / 2⁶⁴).
#[inline]
fn below(rng: &mut Rng, n: u32) -> u32 {
    debug_assert!(n > 0);
    let n = u64::from(n);
    let mut product = u128::from(rng.next_u64()) * u128::from(n);
    let mut low = product as u64;
    if low < n {
        let floor = n.wrapping_neg() % n;
        while low < floor {
            product = u128::from(rng.next_u64()) * u128::from(n);
            low = product as u64;
        }
    }
    (product >> 64) as u32
}

/// Two independent uniform integers in `0..n` (n > 0) from one 64-bit draw, without bias
/// (Lemire's multiply-and-reject on each half; a half is redrawn with probability below
/// n / 2³²).
#[inline]
fn below_pair(rng: &mut Rng, n: u32) -> [u32; 2] {
    let bits = rng.next_u64();
    let first = u64::from(bits as u32) * u64::from(n);
    let second = (bits >> 32) * u64::from(n);
    if (first as u32) < n || (second as u32) < n {
        return keep_or_redraw(rng, n, [first, second]);
    }
    [(first >> 32) as u32, (second >> 32) as u32]
}

/// The rare end of [`below_pair`]: the remainder (a division) says whether a half must be
/// redrawn, first the first. Out of line, so that the common path runs straight through.
#[cold]
#[inline(never)]
fn keep_or_redraw(rng: &mut Rng, n: u32, products: [u64; 2]) -> [u32; 2] {
    let floor = n.wrapping_neg() % n;
    products.map(|product| {
        if (product as u32) < floor {
            below(rng, n)
        } else {
            (product >> 32) as u32
        }
    })
}

/// Uniform on [0, 1) with 53 random bits.
#[inline]
fn uniform(rng: &mut Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// Fisher-Yates: puts `items` in a uniformly random order. Not inlined, so that its loop has
/// the registers to itself (inlined in [`Epstein::step`], it reloaded the generator and the
/// slice at every swap).
#[inline(never)]
fn shuffle(items: &mut [u32], rng: &mut Rng) {
    let mut local = rng.clone();
    for i in (1..items.len()).rev() {
        let j = below(&mut local, i as u32 + 1) as usize;
        items.swap(i, j);
    }
    *rng = local;
}

/// Whether t(C/A) < `limit` (never for a limit of 0), with t rounding half to even when `round` (Python's
/// `round`, exact for any counts that fit a lattice) and rounding down otherwise, in
/// integers and without dividing (a division is the slowest step of a decision).
///
/// Rounded half to even, t(C/A) <= limit − 1 when C/A < limit − ½, and at C/A = limit − ½
/// exactly when limit − 1 is even. Rounded down, t(C/A) < limit when C < limit · A.
#[inline]
fn ratio_below(round: bool, cops: u32, actives: u32, limit: u32) -> bool {
    debug_assert!(actives >= 1);
    let (c, a, l) = (u64::from(cops), u64::from(actives), u64::from(limit));
    if round {
        // A limit of 0 makes the bound 0, which no 2C is below (nor equal to, with l even).
        let (twice_c, bound) = (2 * c, (2 * l).saturating_sub(1) * a);
        twice_c < bound || (twice_c == bound && l % 2 == 1)
    } else {
        c < l * a
    }
}

impl Epstein {
    /// Sets up a run: places the agents and draws their traits from `seed`.
    pub fn new(params: &Params, seed: u64) -> Result<Epstein, ParamError> {
        params.validate()?;
        let neighbourhood =
            Neighbourhood::new(params.width, params.height, params.shape(), params.vision);
        let cells = params.width as usize * params.height as usize;
        let mut rng = Rng::new(seed);
        let citizen = |site: Site| Citizen {
            site,
            jail: 0,
            limit: 0,
            status: Status::Quiet,
        };
        let traits = |hardship: f64, risk: f64| Traits {
            grievance: hardship * (1.0 - params.legitimacy),
            risk,
        };
        let mut citizens = Vec::new();
        let mut citizen_traits = Vec::new();
        let mut cops = Vec::new();
        match params.variant {
            Variant::Mesa => {
                // Mesa: every cell in turn is a citizen, a cop or empty, by the densities.
                let cop_bound = params.citizen_density + params.cop_density;
                for cell in 0..cells {
                    let site = neighbourhood.site(cell);
                    let u = uniform(&mut rng);
                    if u < params.citizen_density {
                        let hardship = uniform(&mut rng);
                        let risk = uniform(&mut rng);
                        citizens.push(citizen(site));
                        citizen_traits.push(traits(hardship, risk));
                    } else if u < cop_bound {
                        cops.push(site);
                    }
                }
            }
            Variant::Netlogo => {
                // NetLogo: round(density · cells) cops, then citizens, each on a random empty
                // cell (NetLogo's `round` takes halves up).
                let mut empty: Vec<u32> = (0..cells as u32).collect();
                let mut take = |rng: &mut Rng| {
                    let i = below(rng, empty.len() as u32) as usize;
                    neighbourhood.site(empty.swap_remove(i) as usize)
                };
                let wanted = |density: f64| (density * cells as f64 + 0.5).floor() as usize;
                let n_cops = wanted(params.cop_density).min(cells);
                for _ in 0..n_cops {
                    cops.push(take(&mut rng));
                }
                let n_citizens = wanted(params.citizen_density).min(cells - n_cops);
                for _ in 0..n_citizens {
                    let site = take(&mut rng);
                    let risk = uniform(&mut rng);
                    let hardship = uniform(&mut rng);
                    citizens.push(citizen(site));
                    citizen_traits.push(traits(hardship, risk));
                }
            }
        }
        let agents = (citizens.len() + cops.len()) as u32;
        // P for each value n of an integer t(C/A) (C, hence n, is at most the number of cops).
        let arrest_p: Vec<f64> = (0..=cops.len())
            .map(|n| 1.0 - (-params.k * n as f64).exp())
            .collect();
        for (citizen, traits) in citizens.iter_mut().zip(&citizen_traits) {
            // The same test as `decide` makes, for every n in turn.
            let active_at = |p: f64| traits.grievance - traits.risk * p > params.threshold;
            citizen.limit = arrest_p.iter().take_while(|&&p| active_at(p)).count() as u32;
        }
        let mut model = Epstein {
            params: params.clone(),
            occupant: vec![EMPTY; cells],
            near: vec![0; neighbourhood.field_len()],
            neighbourhood,
            rng,
            citizens,
            traits: citizen_traits,
            cops,
            stacked: Vec::new(),
            in_jail: Vec::new(),
            order: (0..agents).collect(),
            active: 0,
            jailed: 0,
            steps_done: 0,
        };
        for agent in 0..agents {
            model.enter::<false>(agent, model.site_of(agent), model.contribution(agent));
        }
        Ok(model)
    }

    pub fn params(&self) -> &Params {
        &self.params
    }

    pub fn citizens(&self) -> usize {
        self.citizens.len()
    }

    pub fn cops(&self) -> usize {
        self.cops.len()
    }

    /// Citizens and cops: the agents activated each step.
    pub fn agents(&self) -> usize {
        self.order.len()
    }

    /// Steps run so far.
    pub fn steps_done(&self) -> u32 {
        self.steps_done
    }

    /// Citizens by state now.
    pub fn counts(&self) -> Counts {
        Counts {
            active: self.active,
            jailed: self.jailed,
            quiet: self.citizens.len() as u32 - self.active - self.jailed,
        }
    }

    /// Runs one step: every agent once, in a fresh random order.
    pub fn step(&mut self) {
        match self.params.variant {
            Variant::Mesa => self.activate_all::<true>(),
            Variant::Netlogo => {
                self.activate_all::<false>();
                self.count_down_jail_terms();
            }
        }
        self.steps_done += 1;
    }

    /// Activates every agent once, in a fresh random order, by the rules of Mesa (`MESA`) or
    /// NetLogo: the variant is a constant in each copy of the loop, so the checks of it and of
    /// `stacked` (empty under Mesa) drop out of the activation path.
    ///
    /// The citizens' activation path (`citizen_step` down to `random_empty_cell`, `leave` and
    /// `enter`) is inlined here (`#[inline(always)]`) so that the fields it reads are loaded
    /// once per step instead of at every call: a tenth fewer instructions than as separate
    /// calls.
    fn activate_all<const MESA: bool>(&mut self) {
        let mut order = std::mem::take(&mut self.order);
        shuffle(&mut order, &mut self.rng);
        let citizens = self.citizens.len() as u32;
        // On a lattice larger than the caches, ask for the memory of the agents activated
        // next while this one works: its record PREFETCH agents ahead, then the cells around
        // it half as far ahead (once the record has arrived).
        let ahead = if self.occupant.len() >= PREFETCH_CELLS {
            PREFETCH
        } else {
            0
        };
        for (i, &agent) in order.iter().enumerate() {
            if ahead > 0 {
                if let Some(&next) = order.get(i + ahead) {
                    if let Some(citizen) = self.citizens.get(next as usize) {
                        prefetch(citizen);
                    }
                }
                if let Some(&soon) = order.get(i + ahead / 2) {
                    let site = self.site_of(soon);
                    prefetch(&self.near[self.neighbourhood.field_index(site)]);
                    prefetch(&self.occupant[self.neighbourhood.index(site)]);
                }
            }
            if agent < citizens {
                self.citizen_step::<MESA>(agent);
            } else {
                self.cop_step::<MESA>(agent);
            }
        }
        self.order = order;
    }

    /// Activates citizen `id`: Mesa's citizen decides, then moves; NetLogo's moves, then
    /// decides. Its record is read once and handed down, with what each rule changed in it.
    #[inline(always)]
    fn citizen_step<const MESA: bool>(&mut self, id: u32) {
        let record = &mut self.citizens[id as usize];
        if record.status == Status::Jailed {
            if !MESA || record.jail > 0 {
                if MESA {
                    record.jail -= 1;
                }
                return;
            }
            // Free again: quiet until it decides, below.
            record.status = Status::Quiet;
            self.jailed -= 1;
        }
        let citizen = *record;
        if MESA {
            let status = self.decide::<MESA>(id, citizen);
            self.move_citizen::<MESA>(id, Citizen { status, ..citizen });
        } else {
            let site = self.move_citizen::<MESA>(id, citizen);
            self.decide::<MESA>(id, Citizen { site, ..citizen });
        }
    }

    /// The cops and the active citizens in the closed neighbourhood of `site` (under Mesa no
    /// cell is shared, so `stacked` is empty and not looked at).
    #[inline(always)]
    fn seen_from<const MESA: bool>(&self, site: Site) -> (u32, u32) {
        let near = self.neighbourhood.count(&self.near, site);
        let (mut cops, mut actives) = (near >> 16, near & 0xffff);
        if MESA {
            return (cops, actives);
        }
        for &agent in &self.stacked {
            if self.neighbourhood.contains(site, self.site_of(agent), true) {
                match self.contribution(agent) {
                    COP => cops += 1,
                    ACTIVE => actives += 1,
                    _ => {}
                }
            }
        }
        (cops, actives)
    }

    /// Rule A for citizen `id`, whose record is `citizen`: active when G − R·P > T, with
    /// P = 1 − exp(−k · t(C/A)). Returns its status after deciding.
    #[inline(always)]
    fn decide<const MESA: bool>(&mut self, id: u32, citizen: Citizen) -> Status {
        let was_active = citizen.status == Status::Active;
        let transform = self.params.transform;
        // A citizen whose limit is 0 stays quiet whatever it sees, but looks anyway: whether
        // it has a limit is a coin toss the processor cannot guess, and a wrong guess costs
        // more than the look.
        let (cops, seen) = self.seen_from::<MESA>(citizen.site);
        // `seen` counts the citizen itself when active; Mesa's neighbourhood leaves it out,
        // NetLogo's disc keeps it (on top of the 1 for oneself).
        let mut actives = 1 + seen;
        if was_active && MESA {
            actives -= 1;
        }
        let active = match transform {
            Transform::Round => ratio_below(true, cops, actives, citizen.limit),
            Transform::Floor => ratio_below(false, cops, actives, citizen.limit),
            Transform::Raw => {
                let p = 1.0 - (-self.params.k * (f64::from(cops) / f64::from(actives))).exp();
                let traits = self.traits[id as usize];
                traits.grievance - traits.risk * p > self.params.threshold
            }
        };
        if active == was_active {
            return citizen.status;
        }
        let status = if active {
            Status::Active
        } else {
            Status::Quiet
        };
        self.set_status(id, status);
        status
    }

    /// Rule M for citizen `id`, whose record is `citizen`. Returns where it stands after.
    #[inline(always)]
    fn move_citizen<const MESA: bool>(&mut self, id: u32, citizen: Citizen) -> Site {
        let Some(to) = self.random_empty_cell(citizen.site) else {
            return citizen.site;
        };
        let contribution = citizen.contribution();
        self.leave::<MESA>(id, citizen.site, contribution);
        self.citizens[id as usize].site = to;
        self.enter::<MESA>(id, to, contribution);
        to
    }

    /// Activates cop `agent`: Mesa's cop arrests, then moves; NetLogo's moves, then arrests
    /// and steps onto the arrestee's cell.
    fn cop_step<const MESA: bool>(&mut self, agent: u32) {
        let j = (agent - self.citizens.len() as u32) as usize;
        if MESA {
            let site = self.cops[j];
            let seen = self.seen_from::<MESA>(site).1;
            if seen > 0 {
                let suspect = self.pick_active(site, seen);
                let term = below(&mut self.rng, self.params.max_jail + 1);
                self.arrest(suspect, term);
            }
            self.move_cop::<MESA>(j);
        } else {
            self.move_cop::<MESA>(j);
            let site = self.cops[j];
            let seen = self.seen_from::<MESA>(site).1;
            if seen > 0 {
                let suspect = self.pick_active(site, seen);
                let term = if self.params.max_jail == 0 {
                    0
                } else {
                    below(&mut self.rng, self.params.max_jail)
                };
                let target = self.citizens[suspect as usize].site;
                self.arrest(suspect, term);
                // The cop steps onto the arrestee's cell.
                if target != site {
                    self.leave::<MESA>(agent, site, COP);
                    self.cops[j] = target;
                    self.enter::<MESA>(agent, target, COP);
                }
            }
        }
    }

    /// Rule M for cop number `j`.
    fn move_cop<const MESA: bool>(&mut self, j: usize) {
        let from = self.cops[j];
        if let Some(to) = self.random_empty_cell(from) {
            let agent = (self.citizens.len() + j) as u32;
            self.leave::<MESA>(agent, from, COP);
            self.cops[j] = to;
            self.enter::<MESA>(agent, to, COP);
        }
    }

    /// Jails citizen `id` (active) for `term` steps.
    fn arrest(&mut self, id: u32, term: u32) {
        self.citizens[id as usize].jail = term;
        match self.params.variant {
            // Jailed in place, even for a term of 0 (free again at its next activation).
            Variant::Mesa => self.set_status(id, Status::Jailed),
            Variant::Netlogo if term > 0 => {
                self.set_status(id, Status::Jailed);
                self.leave::<false>(id, self.citizens[id as usize].site, 0);
                self.in_jail.push(id);
            }
            Variant::Netlogo => self.set_status(id, Status::Quiet),
        }
    }

    /// Changes a citizen's status, keeping the tallies, `near` and `occupant` in step.
    fn set_status(&mut self, id: u32, status: Status) {
        let site = self.citizens[id as usize].site;
        let cell = self.neighbourhood.index(site);
        let placed = self.occupant[cell] & !ACTIVE_FLAG == id;
        let was = std::mem::replace(&mut self.citizens[id as usize].status, status);
        for (state, sign) in [(was, -1i32), (status, 1)] {
            match state {
                Status::Active => self.active = self.active.wrapping_add_signed(sign),
                Status::Jailed => self.jailed = self.jailed.wrapping_add_signed(sign),
                Status::Quiet => {}
            }
        }
        if placed && (was == Status::Active) != (status == Status::Active) {
            if status == Status::Active {
                self.neighbourhood.add(&mut self.near, site, ACTIVE);
                self.occupant[cell] = id | ACTIVE_FLAG;
            } else {
                self.neighbourhood.subtract(&mut self.near, site, ACTIVE);
                self.occupant[cell] = id;
            }
        }
    }

    /// NetLogo: terms count down at the end of each step; the released come back, quiet, to
    /// the cell they left.
    fn count_down_jail_terms(&mut self) {
        let mut in_jail = std::mem::take(&mut self.in_jail);
        in_jail.retain(|&id| {
            let citizen = &mut self.citizens[id as usize];
            citizen.jail -= 1;
            if citizen.jail > 0 {
                return true;
            }
            let site = citizen.site;
            self.set_status(id, Status::Quiet);
            self.enter::<false>(id, site, 0);
            false
        });
        self.in_jail = in_jail;
    }

    /// A uniformly random empty cell in the open neighbourhood of `centre`, if there is one:
    /// rejection sampling (each draw is uniform, so the first empty cell drawn is uniform over
    /// the empty ones), and, after [`TRIES`] misses, a draw from the list of empty cells.
    ///
    /// Cells are drawn [`BATCH`] at a time and all looked at before the first empty one is
    /// taken (the others are dropped unseen, which leaves it uniform): a branch per batch,
    /// which finds an empty cell two times in three, instead of one per cell, whose exit the
    /// processor cannot guess.
    #[inline(always)]
    fn random_empty_cell(&mut self, centre: Site) -> Option<Site> {
        let n = self.neighbourhood.len() as u32;
        if n == 0 {
            return None;
        }
        let around = self.neighbourhood.around(centre, &self.occupant);
        // A copy in a register while drawing, stored back once.
        let mut rng = self.rng.clone();
        for _ in 0..TRIES / BATCH {
            let mut drawn = [0u32; BATCH];
            for pair in drawn.chunks_exact_mut(2) {
                pair.copy_from_slice(&below_pair(&mut rng, n));
            }
            // From the last cell to the first, so that the first empty one is kept: a
            // conditional move per cell (a branch would be mispredicted one time in four),
            // and the draws stay in registers.
            let occupants = around.words(drawn);
            let mut first_empty = n;
            for k in (0..BATCH).rev() {
                first_empty = select_unpredictable(occupants[k] == EMPTY, drawn[k], first_empty);
            }
            if first_empty < n {
                self.rng = rng;
                return Some(around.site(first_empty));
            }
        }
        self.rng = rng;
        let empty: Vec<Site> = (0..n as usize)
            .map(|i| self.neighbourhood.site_at(centre, i))
            .filter(|&site| self.occupant[self.neighbourhood.index(site)] == EMPTY)
            .collect();
        if empty.is_empty() {
            return None;
        }
        Some(empty[below(&mut self.rng, empty.len() as u32) as usize])
    }

    /// A uniformly random active citizen in the closed neighbourhood of `centre`, where the
    /// caller counted `seen` of them (at least one, see [`Epstein::seen_from`]). For a Mesa
    /// cop, whose own cell holds only itself, that is its open neighbourhood.
    fn pick_active(&mut self, centre: Site, seen: u32) -> u32 {
        let mut k = below(&mut self.rng, seen);
        let mut found = None;
        let occupant = &self.occupant;
        self.neighbourhood.for_each_run(centre, |start, len| {
            if found.is_some() {
                return;
            }
            for &agent in &occupant[start..start + len] {
                if agent != EMPTY && agent & ACTIVE_FLAG != 0 {
                    if k == 0 {
                        found = Some(agent & !ACTIVE_FLAG);
                        return;
                    }
                    k -= 1;
                }
            }
        });
        if let Some(agent) = found {
            return agent;
        }
        // NetLogo: an active citizen sharing a cell (see `stacked`).
        for &agent in &self.stacked {
            if self.contribution(agent) == ACTIVE
                && self
                    .neighbourhood
                    .contains(centre, self.site_of(agent), true)
            {
                if k == 0 {
                    return agent;
                }
                k -= 1;
            }
        }
        unreachable!("counted {seen} active citizens in vision that are not there")
    }

    /// What `agent` adds to `near`: `COP`, `ACTIVE` or nothing.
    #[inline]
    fn contribution(&self, agent: u32) -> u32 {
        match self.citizens.get(agent as usize) {
            Some(citizen) => citizen.contribution(),
            None => COP,
        }
    }

    /// Takes `agent`, which adds `contribution` to `near` (see [`Epstein::contribution`]), off
    /// the cell at `site` (its own record still says `site`). The caller passes the
    /// contribution, which it knows or reads once for a move. With `MESA`, the caller knows
    /// that no cell is shared (Mesa's rules never share one), so `stacked` is not looked at.
    #[inline(always)]
    fn leave<const MESA: bool>(&mut self, agent: u32, site: Site, contribution: u32) {
        let cell = self.neighbourhood.index(site);
        debug_assert!(!MESA || self.stacked.is_empty());
        if !MESA && self.occupant[cell] & !ACTIVE_FLAG != agent {
            // A stacked agent: not in `near`.
            if let Some(i) = self.stacked.iter().position(|&other| other == agent) {
                self.stacked.remove(i);
            }
            return;
        }
        debug_assert_eq!(self.occupant[cell] & !ACTIVE_FLAG, agent);
        self.occupant[cell] = EMPTY;
        if contribution != 0 {
            self.neighbourhood
                .subtract(&mut self.near, site, contribution);
        }
        if !MESA && !self.stacked.is_empty() {
            // Someone else still stands here: they become the cell's occupant.
            let here = self
                .stacked
                .iter()
                .position(|&other| self.site_of(other) == site);
            if let Some(i) = here {
                let other = self.stacked.remove(i);
                self.enter::<MESA>(other, site, self.contribution(other));
            }
        }
    }

    /// Puts `agent`, which adds `contribution` to `near`, on the cell at `site` (its own record
    /// already says `site`): as the occupant if the cell is empty, else stacked. With `MESA`,
    /// the caller knows the cell is empty (see [`Epstein::leave`]).
    #[inline(always)]
    fn enter<const MESA: bool>(&mut self, agent: u32, site: Site, contribution: u32) {
        let cell = self.neighbourhood.index(site);
        if !MESA && self.occupant[cell] != EMPTY {
            self.stacked.push(agent);
            return;
        }
        debug_assert_eq!(self.occupant[cell], EMPTY);
        self.occupant[cell] = if contribution == ACTIVE {
            agent | ACTIVE_FLAG
        } else {
            agent
        };
        if contribution != 0 {
            self.neighbourhood.add(&mut self.near, site, contribution);
        }
    }

    #[inline]
    fn site_of(&self, agent: u32) -> Site {
        match self.citizens.get(agent as usize) {
            Some(citizen) => citizen.site,
            None => self.cops[agent as usize - self.citizens.len()],
        }
    }
}

/// The counts of a whole run: the start (step 0) and after each step.
#[derive(Debug, Clone)]
pub struct History {
    pub params: Params,
    pub seed: u64,
    pub citizens: usize,
    pub cops: usize,
    /// `counts[s]`: after step s (`counts[0]` is the start).
    pub counts: Vec<Counts>,
}

impl History {
    /// Steps run.
    pub fn steps(&self) -> u32 {
        self.counts.len().saturating_sub(1) as u32
    }

    /// Mean share of citizens active over steps 1..=last.
    pub fn mean_active_share(&self) -> f64 {
        let after_start = &self.counts[1.min(self.counts.len())..];
        if after_start.is_empty() {
            return 0.0;
        }
        after_start.iter().map(Counts::active_share).sum::<f64>() / after_start.len() as f64
    }

    /// Highest share of citizens active over steps 1..=last.
    pub fn peak_active_share(&self) -> f64 {
        self.counts
            .iter()
            .skip(1)
            .map(Counts::active_share)
            .fold(0.0, f64::max)
    }
}

/// Runs `steps` steps of Model I from `seed`, calling `progress(done, steps)` after each.
pub fn run(
    params: &Params,
    seed: u64,
    steps: u32,
    mut progress: impl FnMut(u32, u32),
) -> Result<History, ParamError> {
    let mut model = Epstein::new(params, seed)?;
    let mut counts = Vec::with_capacity(steps as usize + 1);
    counts.push(model.counts());
    for done in 1..=steps {
        model.step();
        counts.push(model.counts());
        progress(done, steps);
    }
    Ok(History {
        params: params.clone(),
        seed,
        citizens: model.citizens(),
        cops: model.cops(),
        counts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// C/A rounded half to even, with a division (Python's `round(c / a)`).
    fn round_half_even(c: u32, a: u32) -> u32 {
        let (q, r) = (c / a, c % a);
        match (2 * r).cmp(&a) {
            std::cmp::Ordering::Less => q,
            std::cmp::Ordering::Greater => q + 1,
            std::cmp::Ordering::Equal => q + (q & 1),
        }
    }

    #[test]
    fn rounding_matches_python() {
        // Python: round(0.5) == 0, round(1.5) == 2, round(2.5) == 2, round(7/3) == 2.
        assert_eq!(round_half_even(1, 2), 0);
        assert_eq!(round_half_even(3, 2), 2);
        assert_eq!(round_half_even(5, 2), 2);
        assert_eq!(round_half_even(7, 3), 2);
        assert_eq!(round_half_even(5, 3), 2);
        assert_eq!(round_half_even(4, 3), 1);
        assert_eq!(round_half_even(0, 1), 0);
        assert_eq!(round_half_even(1, 4), 0);
        assert_eq!(round_half_even(3, 4), 1);
    }

    #[test]
    fn ratio_below_matches_rounding_and_dividing() {
        for c in 0..150 {
            for a in 1..40 {
                for limit in 0..40 {
                    assert_eq!(
                        ratio_below(true, c, a, limit),
                        round_half_even(c, a) < limit,
                        "round({c}/{a}) < {limit}"
                    );
                    assert_eq!(ratio_below(false, c, a, limit), c / a < limit);
                }
            }
        }
    }

    #[test]
    fn below_is_in_range_and_covers_it() {
        let mut rng = Rng::new(3);
        let mut seen = [0u32; 7];
        for _ in 0..7000 {
            seen[below(&mut rng, 7) as usize] += 1;
        }
        assert!(seen.iter().all(|&n| n > 850 && n < 1150), "{seen:?}");
    }

    /// Recounts the count fields and occupancy from scratch and compares.
    fn check_invariants(model: &Epstein) {
        let mut near = vec![0; model.neighbourhood.field_len()];
        let mut active = 0;
        let mut jailed = 0;
        for citizen in &model.citizens {
            match citizen.status {
                Status::Active => active += 1,
                Status::Jailed => jailed += 1,
                Status::Quiet => {}
            }
        }
        for (cell, &agent) in model.occupant.iter().enumerate() {
            if agent != EMPTY {
                let agent = agent & !ACTIVE_FLAG;
                assert_eq!(model.neighbourhood.index(model.site_of(agent)), cell);
                let contribution = model.contribution(agent);
                assert_eq!(
                    model.occupant[cell] & ACTIVE_FLAG != 0,
                    contribution == ACTIVE
                );
                if contribution != 0 {
                    model
                        .neighbourhood
                        .add(&mut near, model.site_of(agent), contribution);
                }
            }
        }
        assert_eq!(near, model.near);
        assert_eq!((active, jailed), (model.active, model.jailed));
        // Every agent on the lattice is the occupant of its cell or stacked there.
        let mut on_lattice = 0;
        for agent in 0..model.agents() as u32 {
            let off = (agent as usize) < model.citizens.len()
                && model.citizens[agent as usize].status == Status::Jailed
                && model.params.variant == Variant::Netlogo;
            if off {
                continue;
            }
            on_lattice += 1;
            let cell = model.neighbourhood.index(model.site_of(agent));
            assert!(
                model.occupant[cell] & !ACTIVE_FLAG == agent || model.stacked.contains(&agent),
                "agent {agent} lost"
            );
        }
        let occupied = model.occupant.iter().filter(|&&a| a != EMPTY).count();
        assert_eq!(occupied + model.stacked.len(), on_lattice);
    }

    #[test]
    fn count_fields_stay_exact() {
        // A jail term of 0 makes NetLogo cops share cells with the citizens they arrest.
        for (variant, max_jail) in [
            (Variant::Mesa, 5),
            (Variant::Netlogo, 5),
            (Variant::Netlogo, 0),
        ] {
            let params = Params {
                width: 20,
                height: 15,
                legitimacy: 0.5,
                cop_density: 0.1,
                max_jail,
                vision: 3,
                ..Params::defaults(variant)
            };
            let mut model = Epstein::new(&params, 11).unwrap();
            check_invariants(&model);
            let mut shared = 0;
            for _ in 0..60 {
                model.step();
                check_invariants(&model);
                shared += model.stacked.len();
            }
            if max_jail == 0 {
                assert!(shared > 0, "no cell was ever shared");
            }
            assert!(model.steps_done() == 60);
        }
    }

    #[test]
    fn netlogo_sets_up_exact_counts() {
        let model = Epstein::new(&Params::defaults(Variant::Netlogo), 1).unwrap();
        assert_eq!(model.citizens(), 1120);
        assert_eq!(model.cops(), 64);
    }
}
