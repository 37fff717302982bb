//! The one registry of rule parameters: name, default, valid range, kind, one-line doc and
//! sources. Scenario files set them by dotted name under `[params]`; the systems read them
//! from the typed [`Params`] resource. Nothing else in the code holds a tunable number.

use std::sync::OnceLock;

use bevy_ecs::prelude::Resource;

use super::ids::{Class, Issue, Party, Region, RegionField};

/// What values a parameter takes. All are stored as `f64`; a flag is 0 or 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    Real,
    Integer,
    Flag,
}

/// One entry of the registry.
#[derive(Debug, Clone)]
pub struct ParamSpec {
    pub name: String,
    pub kind: ParamKind,
    pub default: f64,
    pub min: f64,
    pub max: f64,
    pub doc: String,
    pub sources: Vec<&'static str>,
}

impl ParamSpec {
    /// Whether `value` is in the valid range: the one range check of parameter values.
    pub fn contains(&self, value: f64) -> bool {
        value >= self.min && value <= self.max
    }

    /// Human-readable valid range, for errors and `revsim list`.
    pub fn range_text(&self) -> String {
        match self.kind {
            ParamKind::Flag => "true or false".to_string(),
            ParamKind::Integer => format!("an integer from {} to {}", self.min, self.max),
            ParamKind::Real => format!("a number from {} to {}", self.min, self.max),
        }
    }
}

/// Declares the scalar parameters: a typed struct per family plus their registry entries.
macro_rules! scalar_params {
    ($(
        $(#[$family_doc:meta])*
        $family:ident : $family_type:ident {
            $( $field:ident : $kind:ident = $default:expr, [$min:expr, $max:expr], $doc:literal, [$($source:literal),*]; )+
        }
    )+) => {
        $(
            $(#[$family_doc])*
            #[derive(Debug, Clone, PartialEq)]
            pub struct $family_type {
                $( #[doc = $doc] pub $field: f64, )+
            }

            impl Default for $family_type {
                fn default() -> Self {
                    Self { $( $field: $default as f64, )+ }
                }
            }
        )+

        /// Every scalar rule parameter, by family.
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct Scalars {
            $( pub $family: $family_type, )+
        }

        impl Scalars {
            fn specs() -> Vec<ParamSpec> {
                vec![$($(
                    ParamSpec {
                        name: concat!(stringify!($family), ".", stringify!($field)).to_string(),
                        kind: ParamKind::$kind,
                        default: $default as f64,
                        min: $min as f64,
                        max: $max as f64,
                        doc: $doc.to_string(),
                        sources: vec![$($source),*],
                    },
                )+)+]
            }

            fn slot(&mut self, name: &str) -> Option<&mut f64> {
                match name {
                    $($( concat!(stringify!($family), ".", stringify!($field)) => Some(&mut self.$family.$field), )+)+
                    _ => None,
                }
            }
        }
    };
}

/// A parameter table: one value per (row, column), named `<table>.<row>.<column>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    columns: usize,
    values: Vec<f64>,
}

impl Table {
    pub fn get(&self, row: usize, column: usize) -> f64 {
        self.values[row * self.columns + column]
    }

    pub(crate) fn set(&mut self, row: usize, column: usize, value: f64) {
        self.values[row * self.columns + column] = value;
    }
}

/// The static description of a table: its rows, columns, defaults, range and sources.
struct TableSpec {
    name: &'static str,
    rows: Vec<&'static str>,
    columns: Vec<&'static str>,
    defaults: &'static [&'static [f64]],
    /// The valid range (min, max) of every column, or one range for all of them.
    ranges: &'static [(f64, f64)],
    doc: &'static str,
    sources: &'static [&'static str],
}

impl TableSpec {
    fn table(&self) -> Table {
        Table {
            columns: self.columns.len(),
            values: self
                .defaults
                .iter()
                .flat_map(|row| row.iter().copied())
                .collect(),
        }
    }

    fn specs(&self) -> Vec<ParamSpec> {
        let mut specs = Vec::new();
        for (r, row) in self.rows.iter().enumerate() {
            for (c, column) in self.columns.iter().enumerate() {
                let (min, max) = self.ranges[c.min(self.ranges.len() - 1)];
                specs.push(ParamSpec {
                    name: format!("{}.{}.{}", self.name, row, column),
                    kind: ParamKind::Real,
                    default: self.defaults[r][c],
                    min,
                    max,
                    doc: format!("{} ({row}, {column})", self.doc),
                    sources: self.sources.to_vec(),
                });
            }
        }
        specs
    }

    fn index(&self, rest: &str) -> Option<usize> {
        let (row, column) = rest.split_once('.')?;
        let r = self.rows.iter().position(|x| *x == row)?;
        let c = self.columns.iter().position(|x| *x == column)?;
        Some(r * self.columns.len() + c)
    }
}

include!("params_values.rs");

/// The resolved parameters of one run: defaults overridden by the scenario and `--set`.
#[derive(Debug, Clone, PartialEq, Resource)]
pub struct Params {
    pub scalars: Scalars,
    /// `program.<party>.<issue>`: a party's stand on each issue, −1 (against) to 1 (for).
    pub program: Table,
    /// `interest.<class>.<issue>`: how much each class cares about each issue.
    pub interest: Table,
    /// `region.<region>.<field>`: start state and geography of each region.
    pub region: Table,
    /// `affinity.<class>.<party>`: standing attachment of a class to a party.
    pub affinity: Table,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            scalars: Scalars::default(),
            program: program_table().table(),
            interest: interest_table().table(),
            region: region_table().table(),
            affinity: affinity_table().table(),
        }
    }
}

impl std::ops::Deref for Params {
    type Target = Scalars;
    fn deref(&self) -> &Scalars {
        &self.scalars
    }
}

/// Every parameter, in a stable order: scalars by family, then the tables.
pub fn registry() -> &'static [ParamSpec] {
    static REGISTRY: OnceLock<Vec<ParamSpec>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut specs = Scalars::specs();
        for table in [
            program_table(),
            interest_table(),
            region_table(),
            affinity_table(),
        ] {
            specs.extend(table.specs());
        }
        specs
    })
}

/// Looks a parameter up by its dotted name.
pub fn spec(name: &str) -> Option<&'static ParamSpec> {
    registry().iter().find(|spec| spec.name == name)
}

impl Params {
    fn slot(&mut self, name: &str) -> Option<&mut f64> {
        if let Some(slot) = self.scalars.slot(name) {
            return Some(slot);
        }
        let (table_name, rest) = name.split_once('.')?;
        let (spec, table) = match table_name {
            "program" => (program_table(), &mut self.program),
            "interest" => (interest_table(), &mut self.interest),
            "region" => (region_table(), &mut self.region),
            "affinity" => (affinity_table(), &mut self.affinity),
            _ => return None,
        };
        let index = spec.index(rest)?;
        table.values.get_mut(index)
    }

    /// Sets a parameter by name. The caller has validated the value against the registry.
    pub fn set(&mut self, name: &str, value: f64) -> bool {
        match self.slot(name) {
            Some(slot) => {
                *slot = value;
                true
            }
            None => false,
        }
    }

    pub fn get(&self, name: &str) -> Option<f64> {
        self.clone().slot(name).map(|v| *v)
    }

    /// Every parameter with its value, in registry order (for the manifest).
    pub fn resolved(&self) -> Vec<(&'static str, f64)> {
        let mut copy = self.clone();
        registry()
            .iter()
            .map(|spec| {
                (
                    spec.name.as_str(),
                    *copy.slot(&spec.name).expect("registry name"),
                )
            })
            .collect()
    }

    pub fn program(&self, party: Party, issue: Issue) -> f64 {
        self.program.get(party.index(), issue.index())
    }

    /// A party's stands on every issue, in `Issue::ALL` order.
    pub fn stands(&self, party: Party) -> [f64; Issue::COUNT] {
        std::array::from_fn(|k| self.program(party, Issue::ALL[k]))
    }

    pub fn interest(&self, class: Class, issue: Issue) -> f64 {
        self.interest.get(class.index(), issue.index())
    }

    pub fn affinity(&self, class: Class, party: Party) -> f64 {
        self.affinity.get(class.index(), party.index())
    }

    pub fn region(&self, region: Region, field: RegionField) -> f64 {
        self.region.get(region.index(), field.index())
    }
}

/// Reads a flag parameter.
pub fn flag(value: f64) -> bool {
    value >= 0.5
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_has_one_range_or_one_per_column() {
        for table in [
            program_table(),
            interest_table(),
            region_table(),
            affinity_table(),
        ] {
            let n = table.ranges.len();
            assert!(n == 1 || n == table.columns.len(), "{}", table.name);
        }
        assert_eq!(spec("region.moscow.urban_share").unwrap().max, 1.0);
    }

    #[test]
    fn every_registry_name_is_settable_and_defaults_are_in_range() {
        let mut params = Params::default();
        for spec in registry() {
            assert!(
                spec.default >= spec.min && spec.default <= spec.max,
                "{}",
                spec.name
            );
            assert_eq!(params.get(&spec.name), Some(spec.default), "{}", spec.name);
            assert!(params.set(&spec.name, spec.max), "{}", spec.name);
            assert_eq!(params.get(&spec.name), Some(spec.max), "{}", spec.name);
            assert!(
                !spec.sources.is_empty() || spec.name.starts_with("run."),
                "{} has no source",
                spec.name
            );
        }
    }

    #[test]
    fn names_are_unique() {
        let mut names: Vec<&str> = registry().iter().map(|s| s.name.as_str()).collect();
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count);
    }
}
