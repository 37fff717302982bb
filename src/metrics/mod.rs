//! The metric registry: every metric of the output contract (DESIGN 5) defined once, in
//! `registry.rs`, with the groups it is measured for, its unit and a line saying what it is.
//! Metric and group names are typed here ([`Metric`], [`GroupKey`]) and parsed once, so a
//! misspelled name in a scenario condition, a sweep file, a target or an outcome is found
//! before anything runs. `Metrics` holds a run's measured rows; `stat.rs` is the one language
//! (value at a date, extremes and means in a window, first crossings) that sweeps, compare and
//! validate read runs with.

mod stat;
mod store;

pub use stat::{Reading, Stat, Window, STATS};
pub use store::{Announcements, Metrics, Row};

use std::fmt;

use crate::model::ids::{Class, GrainPolicy, Party, Regime, Region, Role, Side};
use crate::model::CitySoviet;

/// The highest congress number a group `congress.<n>` may name.
pub const MAX_CONGRESS: u32 = 20;

/// What a metric family is indexed by: `support.private.<party>` has one metric per party.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Index {
    /// A single metric.
    None,
    /// Every party, `none` included.
    Party,
    /// Every party a person can belong to (`none` excluded).
    Member,
    Class,
    Regime,
    Side,
    /// Every grain policy.
    GrainPolicy,
}

impl Index {
    /// The ids of the vocabulary, in output order.
    pub fn ids(self) -> Vec<&'static str> {
        match self {
            Index::None => vec![""],
            Index::Party => Party::ids(),
            Index::Member => Party::ALL
                .iter()
                .filter(|&&p| p != Party::None)
                .map(|p| p.id())
                .collect(),
            Index::Class => Class::ids(),
            Index::Regime => Regime::ids(),
            Index::Side => Side::ids(),
            Index::GrainPolicy => GrainPolicy::ids(),
        }
    }

    /// How a family's names are written, e.g. `<party>`.
    fn placeholder(self) -> &'static str {
        match self {
            Index::None => "",
            Index::Party => "<party>",
            Index::Member => "<party but none>",
            Index::Class => "<class>",
            Index::Regime => "<regime>",
            Index::Side => "<side>",
            Index::GrainPolicy => "<grain policy>",
        }
    }
}

/// What a metric's values are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A count of people (agents times `people_per_agent`).
    People,
    /// A share or mean, 0-1 (output per 1913 for industry).
    Share,
    /// A count of things (risings).
    Count,
    /// 1 or 0.
    Flag,
    /// A date (a day number when reduced to a value).
    Date,
    /// Weeks between two dates.
    Weeks,
    /// The difference of two shares (0-1), read in percentage points.
    Points,
}

impl Unit {
    pub const ALL: [Unit; 7] = [
        Unit::People,
        Unit::Share,
        Unit::Count,
        Unit::Flag,
        Unit::Date,
        Unit::Weeks,
        Unit::Points,
    ];

    /// The unit of a name, as `compare.json` stores it.
    pub fn from_name(name: &str) -> Option<Unit> {
        Unit::ALL.into_iter().find(|unit| unit.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Unit::People => "people",
            Unit::Share => "share",
            Unit::Count => "count",
            Unit::Flag => "flag",
            Unit::Date => "date",
            Unit::Weeks => "weeks",
            Unit::Points => "points",
        }
    }
}

/// When a metric is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cadence {
    Weekly,
    /// Weekly once the soviets exist.
    FromSoviets,
    /// When an event's action announces it (a congress convenes, an election is held).
    AtEvent,
}

impl Cadence {
    pub fn name(self) -> &'static str {
        match self {
            Cadence::Weekly => "weekly",
            Cadence::FromSoviets => "weekly once the soviets exist",
            Cadence::AtEvent => "at its event",
        }
    }
}

/// A set of groups a metric can be measured for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupSet {
    All,
    Classes,
    Roles,
    Regions,
    CitySoviets,
    Congresses,
    PetrogradSoviet,
    PetrogradRegion,
}

impl GroupSet {
    fn contains(self, group: GroupKey) -> bool {
        matches!(
            (self, group),
            (GroupSet::All, GroupKey::All)
                | (GroupSet::Classes, GroupKey::Class(_))
                | (GroupSet::Roles, GroupKey::Role(_))
                | (GroupSet::Regions, GroupKey::Region(_))
                | (GroupSet::CitySoviets, GroupKey::Soviet(_))
                | (GroupSet::Congresses, GroupKey::Congress(_))
                | (
                    GroupSet::PetrogradSoviet,
                    GroupKey::Soviet(CitySoviet::Petrograd)
                )
                | (
                    GroupSet::PetrogradRegion,
                    GroupKey::Region(Region::Petrograd)
                )
        )
    }

    /// How the set is written in docs and messages.
    pub fn pattern(self) -> String {
        match self {
            GroupSet::All => "all".to_string(),
            GroupSet::Classes => "class.<class>".to_string(),
            GroupSet::Roles => "role.<role>".to_string(),
            GroupSet::Regions => "region.<region>".to_string(),
            GroupSet::CitySoviets => "soviet.<petrograd|moscow|kronstadt>".to_string(),
            GroupSet::Congresses => format!("congress.<1-{MAX_CONGRESS}>"),
            GroupSet::PetrogradSoviet => "soviet.petrograd".to_string(),
            GroupSet::PetrogradRegion => "region.petrograd".to_string(),
        }
    }

    /// Every group of the set (congresses: every number allowed).
    fn members(self) -> Vec<GroupKey> {
        match self {
            GroupSet::All => vec![GroupKey::All],
            GroupSet::Classes => Class::ALL.iter().map(|&c| GroupKey::Class(c)).collect(),
            GroupSet::Roles => Role::ALL.iter().map(|&r| GroupKey::Role(r)).collect(),
            GroupSet::Regions => Region::ALL.iter().map(|&r| GroupKey::Region(r)).collect(),
            GroupSet::CitySoviets => CitySoviet::ALL.into_iter().map(GroupKey::Soviet).collect(),
            GroupSet::Congresses => (1..=MAX_CONGRESS).map(GroupKey::Congress).collect(),
            GroupSet::PetrogradSoviet => vec![GroupKey::Soviet(CitySoviet::Petrograd)],
            GroupSet::PetrogradRegion => vec![GroupKey::Region(Region::Petrograd)],
        }
    }
}

/// The sets that together hold every group.
const GROUP_SETS: [GroupSet; 6] = [
    GroupSet::All,
    GroupSet::Classes,
    GroupSet::Roles,
    GroupSet::Regions,
    GroupSet::CitySoviets,
    GroupSet::Congresses,
];

/// One family of the registry.
#[derive(Debug)]
pub struct FamilySpec {
    pub family: Family,
    /// The name, or the name's stem before `.<id>` for an indexed family.
    pub name: &'static str,
    pub index: Index,
    pub groups: &'static [GroupSet],
    pub unit: Unit,
    pub cadence: Cadence,
    pub doc: &'static str,
}

impl FamilySpec {
    /// How the family's names are written: `support.private.<party>`.
    pub fn pattern(&self) -> String {
        match self.index {
            Index::None => self.name.to_string(),
            index => format!("{}.{}", self.name, index.placeholder()),
        }
    }

    /// The groups, as written in docs and messages.
    pub fn group_patterns(&self) -> Vec<String> {
        self.groups.iter().map(|g| g.pattern()).collect()
    }

    pub fn has_group(&self, group: GroupKey) -> bool {
        self.groups.iter().any(|set| set.contains(group))
    }
}

/// Declares the `Family` enum and the `FAMILIES` table from the registry's lines.
macro_rules! metric_registry {
    ($($family:ident = $name:literal, $index:ident, [$($group:ident),+], $unit:ident, $cadence:ident, $doc:literal;)+) => {
        /// A metric family: one metric, or one per id of its [`Index`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Family {
            $($family),+
        }

        /// Every family, in declaration order (`Family as usize` indexes it).
        pub const FAMILIES: &[FamilySpec] = &[$(FamilySpec {
            family: Family::$family,
            name: $name,
            index: Index::$index,
            groups: &[$(GroupSet::$group),+],
            unit: Unit::$unit,
            cadence: Cadence::$cadence,
            doc: $doc,
        }),+];
    };
}

include!("registry.rs");

impl Family {
    pub fn spec(self) -> &'static FamilySpec {
        &FAMILIES[self as usize]
    }
}

/// One metric: a family and, for an indexed family, the position of its id in the family's
/// vocabulary (`Index::ids`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Metric {
    pub family: Family,
    index: u8,
}

impl Metric {
    /// The single metric of an unindexed family.
    pub const fn of(family: Family) -> Metric {
        Metric { family, index: 0 }
    }

    /// A party's metric of a family indexed by party (or by member party: `none` has none).
    pub fn party(family: Family, party: Party) -> Metric {
        let index = match family.spec().index {
            Index::Member => Index::Member
                .ids()
                .iter()
                .position(|&id| id == party.id())
                .expect("`none` is not a member party"),
            _ => party.index(),
        };
        Metric {
            family,
            index: index as u8,
        }
    }

    pub fn class(family: Family, class: Class) -> Metric {
        Metric {
            family,
            index: class.index() as u8,
        }
    }

    pub fn regime(family: Family, regime: Regime) -> Metric {
        Metric {
            family,
            index: regime.index() as u8,
        }
    }

    pub fn grain_policy(family: Family, policy: GrainPolicy) -> Metric {
        Metric {
            family,
            index: policy.index() as u8,
        }
    }

    pub fn side(family: Family, side: Side) -> Metric {
        Metric {
            family,
            index: side.index() as u8,
        }
    }

    pub fn spec(self) -> &'static FamilySpec {
        self.family.spec()
    }

    /// Every metric of the registry, in declaration order.
    pub fn all() -> impl Iterator<Item = Metric> {
        FAMILIES.iter().flat_map(|spec| {
            (0..spec.index.ids().len()).map(move |index| Metric {
                family: spec.family,
                index: index as u8,
            })
        })
    }

    /// The metric of a name, if the registry has one.
    pub fn parse(name: &str) -> Option<Metric> {
        FAMILIES.iter().find_map(|spec| {
            let index = match spec.index {
                Index::None => (name == spec.name).then_some(0)?,
                vocabulary => {
                    let id = name.strip_prefix(spec.name)?.strip_prefix('.')?;
                    vocabulary.ids().iter().position(|&v| v == id)?
                }
            };
            Some(Metric {
                family: spec.family,
                index: index as u8,
            })
        })
    }

    /// Whether the metric is measured for `group`.
    pub fn has_group(self, group: GroupKey) -> bool {
        self.spec().has_group(group)
    }
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let spec = self.spec();
        match spec.index {
            Index::None => f.write_str(spec.name),
            index => write!(f, "{}.{}", spec.name, index.ids()[usize::from(self.index)]),
        }
    }
}

/// A group a metric is measured for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GroupKey {
    All,
    Class(Class),
    Role(Role),
    Region(Region),
    Soviet(CitySoviet),
    Congress(u32),
}

impl GroupKey {
    /// Every group any metric is measured for, in output order.
    pub fn all() -> impl Iterator<Item = GroupKey> {
        GROUP_SETS.into_iter().flat_map(GroupSet::members)
    }

    /// The group of a name, if it is one.
    pub fn parse(name: &str) -> Option<GroupKey> {
        if name == "all" {
            return Some(GroupKey::All);
        }
        let (kind, id) = name.split_once('.')?;
        match kind {
            "class" => Class::from_id(id).map(GroupKey::Class),
            "role" => Role::from_id(id).map(GroupKey::Role),
            "region" => Region::from_id(id).map(GroupKey::Region),
            "soviet" => CitySoviet::ALL
                .into_iter()
                .find(|c| c.id() == id)
                .map(GroupKey::Soviet),
            "congress" => id
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=MAX_CONGRESS).contains(n) && !id.starts_with('0'))
                .map(GroupKey::Congress),
            _ => None,
        }
    }
}

impl From<crate::model::Group> for GroupKey {
    fn from(group: crate::model::Group) -> GroupKey {
        use crate::model::Group;
        match group {
            Group::All => GroupKey::All,
            Group::Class(c) => GroupKey::Class(c),
            Group::Role(r) => GroupKey::Role(r),
            Group::Region(r) => GroupKey::Region(r),
        }
    }
}

impl fmt::Display for GroupKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GroupKey::All => f.write_str("all"),
            GroupKey::Class(c) => write!(f, "class.{}", c.id()),
            GroupKey::Role(r) => write!(f, "role.{}", r.id()),
            GroupKey::Region(r) => write!(f, "region.{}", r.id()),
            GroupKey::Soviet(c) => write!(f, "soviet.{}", c.id()),
            GroupKey::Congress(n) => write!(f, "congress.{n}"),
        }
    }
}

/// Why a (metric, group) pair is not in the registry, with what would be valid.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MetricError {
    #[error("unknown metric `{found}`")]
    UnknownMetric {
        found: String,
        /// The nearest registered name, for a likely typo.
        suggestion: Option<String>,
    },
    #[error("`{found}` is not a group")]
    UnknownGroup {
        found: String,
        suggestion: Option<String>,
    },
    #[error("metric `{metric}` is not measured for group `{group}`")]
    NotMeasuredFor {
        metric: String,
        group: String,
        suggestion: Option<String>,
    },
}

impl MetricError {
    /// The nearest valid name, if any.
    pub fn suggestion(&self) -> Option<&str> {
        match self {
            MetricError::UnknownMetric { suggestion, .. }
            | MetricError::UnknownGroup { suggestion, .. }
            | MetricError::NotMeasuredFor { suggestion, .. } => suggestion.as_deref(),
        }
    }

    /// What would be valid, for messages: the metric patterns, or the metric's groups.
    pub fn valid(&self) -> Vec<String> {
        match self {
            MetricError::UnknownMetric { .. } => FAMILIES.iter().map(|s| s.pattern()).collect(),
            MetricError::UnknownGroup { .. } => GROUP_SETS.iter().map(|s| s.pattern()).collect(),
            MetricError::NotMeasuredFor { metric, .. } => Metric::parse(metric)
                .map(|m| m.spec().group_patterns())
                .unwrap_or_default(),
        }
    }
}

/// Parses a metric name against the registry, with the nearest name when it is unknown.
pub fn resolve_metric(metric: &str) -> Result<Metric, MetricError> {
    Metric::parse(metric).ok_or_else(|| {
        let names: Vec<String> = Metric::all().map(|m| m.to_string()).collect();
        MetricError::UnknownMetric {
            found: metric.to_string(),
            suggestion: crate::scenario::nearest(metric, names.iter().map(String::as_str)),
        }
    })
}

/// Parses and checks a (metric, group) pair against the registry.
pub fn resolve(metric: &str, group: &str) -> Result<(Metric, GroupKey), MetricError> {
    let parsed = resolve_metric(metric)?;
    let groups_of = || -> Vec<String> {
        parsed
            .spec()
            .groups
            .iter()
            .flat_map(|set| set.members())
            .map(|g| g.to_string())
            .collect()
    };
    let Some(key) = GroupKey::parse(group) else {
        let names = groups_of();
        return Err(MetricError::UnknownGroup {
            found: group.to_string(),
            suggestion: crate::scenario::nearest(group, names.iter().map(String::as_str)),
        });
    };
    if !parsed.has_group(key) {
        let names = groups_of();
        return Err(MetricError::NotMeasuredFor {
            metric: metric.to_string(),
            group: group.to_string(),
            suggestion: crate::scenario::nearest(group, names.iter().map(String::as_str)),
        });
    }
    Ok((parsed, key))
}

/// The registry as `revsim list metrics` prints it: one family a line, with its groups, unit,
/// when it is measured and what it is.
pub fn listing() -> String {
    let mut text = String::from(
        "Metrics of timeseries.csv (name, groups, unit, when, what it is); counts are people:\n",
    );
    for spec in FAMILIES {
        text.push_str(&format!(
            "  {:<36} {:<44} {:<7} {:<30} {}\n",
            spec.pattern(),
            spec.group_patterns().join(", "),
            spec.unit.name(),
            spec.cadence.name(),
            spec.doc
        ));
    }
    text
}

/// The registry as the table in ARCHITECTURE.md ("## Metrics"), which a test keeps equal to it.
pub fn markdown_table() -> String {
    let mut text =
        String::from("| metric | groups | unit | measured | what it is |\n|---|---|---|---|---|\n");
    for spec in FAMILIES {
        text.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            spec.pattern(),
            spec.group_patterns().join(", "),
            spec.unit.name(),
            spec.cadence.name(),
            spec.doc.replace('|', "\\|")
        ));
    }
    text
}

/// The registry as a CSV file (`metrics.csv` of a sweep's folder): one family a line, with its
/// groups, unit, when it is measured and what it is, so the outputs say their units.
pub fn metadata_csv() -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut rows = vec![[
        "metric".to_string(),
        "groups".to_string(),
        "unit".to_string(),
        "measured".to_string(),
        "doc".to_string(),
    ]];
    for spec in FAMILIES {
        rows.push([
            spec.pattern(),
            spec.group_patterns().join("; "),
            spec.unit.name().to_string(),
            spec.cadence.name().to_string(),
            spec.doc.to_string(),
        ]);
    }
    for row in rows {
        // Writing to memory cannot fail.
        let _ = writer.write_record(&row);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// A (metric, group) pair written in the code (a validation target, a compare outcome, a
/// plot): a name the registry does not know is a bug, found by the tests that read every
/// target and outcome.
pub fn known(metric: &str, group: &str) -> (Metric, GroupKey) {
    resolve(metric, group).unwrap_or_else(|error| panic!("{metric} of {group}: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_metadata_csv_lists_every_family_with_its_unit() {
        let text = metadata_csv();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), FAMILIES.len());
        for (row, spec) in rows.iter().zip(FAMILIES) {
            assert_eq!(&row[0], spec.pattern());
            assert_eq!(&row[2], spec.unit.name());
            assert_eq!(&row[4], spec.doc);
        }
    }

    #[test]
    fn every_metric_name_parses_back_to_itself() {
        for metric in Metric::all() {
            assert_eq!(Metric::parse(&metric.to_string()), Some(metric), "{metric}");
        }
    }

    #[test]
    fn names_and_groups_are_checked_with_suggestions() {
        assert!(resolve("soviet.share.bolsheviks", "soviet.petrograd").is_ok());
        let error = resolve("soviet.share.bolshevik", "all").unwrap_err();
        assert_eq!(error.suggestion(), Some("soviet.share.bolsheviks"));
        let error = resolve("legitimacy", "class.peasant_midle").unwrap_err();
        assert_eq!(error.suggestion(), Some("class.peasant_middle"));
        let error = resolve("soviet.executive.share.bolsheviks", "soviet.moscow").unwrap_err();
        assert!(
            matches!(error, MetricError::NotMeasuredFor { .. }),
            "{error}"
        );
        assert_eq!(error.valid(), vec!["soviet.petrograd"]);
        assert!(resolve("congress.share.bolsheviks", "congress.2").is_ok());
        assert!(resolve("congress.share.bolsheviks", "congress.02").is_err());
        assert!(
            resolve("members.none", "all").is_err(),
            "no members of no party"
        );
    }
}
