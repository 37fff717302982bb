//! The fixed vocabularies of the model: classes, roles, parties, regions, sides.
//! Each id is the stable string used in scenario files and metric names.

/// Declares a small `Copy` enum with a stable string id per variant, `ALL` in declaration
/// order, and lookups both ways. Declaration order is the order of every output.
macro_rules! id_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $id:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[repr(u8)]
        pub enum $name {
            $($variant),+
        }

        impl Default for $name {
            fn default() -> Self {
                Self::ALL[0]
            }
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub const COUNT: usize = Self::ALL.len();

            /// The stable id used in scenario files and metric names.
            pub fn id(self) -> &'static str {
                match self {
                    $($name::$variant => $id),+
                }
            }

            pub fn index(self) -> usize {
                self as usize
            }

            pub fn from_id(id: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.id() == id)
            }

            /// Every id, for error messages and the schema.
            pub fn ids() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.id()).collect()
            }
        }
    };
}

id_enum! {
    /// Origin class of a person; kept for life, whatever role the person takes.
    Class {
        WorkerEstablished = "worker_established",
        WorkerMigrant = "worker_migrant",
        PeasantPoor = "peasant_poor",
        PeasantMiddle = "peasant_middle",
        PeasantKulak = "peasant_kulak",
        Cossack = "cossack",
        Intelligentsia = "intelligentsia",
        Bourgeoisie = "bourgeoisie",
        Nobility = "nobility",
    }
}

impl Class {
    pub fn is_worker(self) -> bool {
        matches!(self, Class::WorkerEstablished | Class::WorkerMigrant)
    }

    pub fn is_peasant(self) -> bool {
        matches!(
            self,
            Class::PeasantPoor | Class::PeasantMiddle | Class::PeasantKulak
        )
    }

    /// Classes that live off the land and so gain from land redistribution.
    pub fn works_land(self) -> bool {
        self.is_peasant() || self == Class::Cossack
    }

    /// Classes that own land or capital and lose from redistribution.
    pub fn is_propertied(self) -> bool {
        matches!(self, Class::Bourgeoisie | Class::Nobility)
    }
}

id_enum! {
    /// What a person is doing now.
    Role {
        Civilian = "civilian",
        Soldier = "soldier",
        Sailor = "sailor",
        RedArmy = "red_army",
        WhiteArmy = "white_army",
        FoodDetachment = "food_detachment",
        Insurgent = "insurgent",
        Jailed = "jailed",
        Dead = "dead",
    }
}

impl Role {
    pub fn is_alive(self) -> bool {
        self != Role::Dead
    }

    /// Away from home in an army or a food detachment: neither meets nor votes in the
    /// community, nor counts among its party members at home.
    pub fn is_away(self) -> bool {
        matches!(self, Role::RedArmy | Role::WhiteArmy | Role::FoodDetachment)
    }

    /// Under arms for a government: the regime's coercive force when it stays loyal.
    pub fn is_military(self) -> bool {
        matches!(
            self,
            Role::Soldier | Role::Sailor | Role::RedArmy | Role::WhiteArmy
        )
    }
}

id_enum! {
    /// A party a person can prefer; `None` is no preference.
    Party {
        Bolsheviks = "bolsheviks",
        LeftSrs = "left_srs",
        Srs = "srs",
        Mensheviks = "mensheviks",
        Kadets = "kadets",
        Anarchists = "anarchists",
        Nationalists = "nationalists",
        Monarchists = "monarchists",
        None = "none",
    }
}

impl Party {
    /// The parties of the soviets' "revolutionary democracy": the garrison follows the
    /// Soviet when its men back them.
    pub fn is_socialist(self) -> bool {
        matches!(
            self,
            Party::Bolsheviks | Party::LeftSrs | Party::Srs | Party::Mensheviks | Party::Anarchists
        )
    }
}

id_enum! {
    Region {
        Petrograd = "petrograd",
        Moscow = "moscow",
        CentralIndustrial = "central_industrial",
        NorthwestFront = "northwest_front",
        BlackEarth = "black_earth",
        Volga = "volga",
        Urals = "urals",
        Siberia = "siberia",
        Ukraine = "ukraine",
        DonKuban = "don_kuban",
    }
}

impl Region {
    /// The region's name in a sentence ("the Volga", "Ukraine").
    pub fn name(self) -> &'static str {
        match self {
            Region::Petrograd => "Petrograd",
            Region::Moscow => "Moscow",
            Region::CentralIndustrial => "the Central Industrial Region",
            Region::NorthwestFront => "the northwest (the Baltic and Belarus)",
            Region::BlackEarth => "the Black Earth",
            Region::Volga => "the Volga",
            Region::Urals => "the Urals",
            Region::Siberia => "Siberia",
            Region::Ukraine => "Ukraine",
            Region::DonKuban => "the Don and the Kuban",
        }
    }
}

id_enum! {
    /// Who controls a region.
    Side {
        Tsar = "tsar",
        Provisional = "provisional",
        Soviet = "soviet",
        White = "white",
        German = "german",
        Green = "green",
        Independent = "independent",
    }
}

id_enum! {
    /// The kind of community a person belongs to; each has one local soviet.
    CommunityKind {
        Village = "village",
        Factory = "factory",
        Garrison = "garrison",
        Regiment = "regiment",
        Ship = "ship",
        Town = "town",
    }
}

id_enum! {
    /// Who governs from the capital.
    Regime {
        Tsar = "tsar",
        Provisional = "provisional",
        Sovnarkom = "sovnarkom",
    }
}

impl Regime {
    /// The side that holds the regions this regime governs.
    pub fn side(self) -> Side {
        match self {
            Regime::Tsar => Side::Tsar,
            Regime::Provisional => Side::Provisional,
            Regime::Sovnarkom => Side::Soviet,
        }
    }
}

id_enum! {
    WarPolicy {
        Fighting = "fighting",
        Offensive = "offensive",
        Armistice = "armistice",
        Peace = "peace",
    }
}

id_enum! {
    LandPolicy {
        Landlords = "landlords",
        SeizuresTolerated = "seizures_tolerated",
        Decree = "decree",
    }
}

id_enum! {
    /// How the state gets grain from the villages.
    GrainPolicy {
        FreeMarket = "free_market",
        Monopoly = "monopoly",
        Requisition = "requisition",
        TaxInKind = "tax_in_kind",
    }
}

id_enum! {
    SovietElections {
        Free = "free",
        Managed = "managed",
    }
}

id_enum! {
    LegalStatus {
        Legal = "legal",
        Harassed = "harassed",
        Banned = "banned",
    }
}

id_enum! {
    /// What a `shock` event action multiplies: stocks and the towns' supply now, industry,
    /// railway capacity, or the region's next harvest (a weather shock).
    ShockTarget {
        FoodStocks = "food_stocks",
        Industry = "industry",
        Railways = "railways",
        Harvest = "harvest",
    }
}

id_enum! {
    /// The questions parties take a stand on and classes care about.
    Issue {
        Peace = "peace",
        Land = "land",
        Bread = "bread",
        WorkersControl = "workers_control",
        SovietPower = "soviet_power",
        ConstituentAssembly = "constituent_assembly",
        Order = "order",
        Liberty = "liberty",
    }
}

id_enum! {
    /// The per-region start-state and geography fields of the `region.<id>.<field>` table.
    RegionField {
        Population = "population",
        UrbanShare = "urban_share",
        Workers = "workers",
        CossackShare = "cossack_share",
        MinorityShare = "minority_share",
        GrainYield = "grain_yield",
        Distance = "distance",
        Fuel = "fuel",
    }
}
