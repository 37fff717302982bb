//! Event actions, declared once. The `actions!` table below states each action's `do` name,
//! its keys with their types and valid ranges, a doc line and an example; the [`Action`] enum,
//! reading an action from a file (with located errors) and its JSON Schema all derive from it.
//! What an action does to the world is `systems::events::apply`, a match on the enum.
//!
//! Adding an action: one entry here, one arm in `apply` (and one in `compare::diff`'s
//! description), both checked by the compiler.

use serde_json::{json, Map, Value as Json};
use toml::de::DeTable;

use super::error::{nearest, ScenarioError};
use super::overrides::nearest_param;
use super::reader::{in_order, TomlReader, Value};
use crate::model::ids::{
    GrainPolicy, LandPolicy, LegalStatus, Party, Regime, Region, ShockTarget, Side,
    SovietElections, WarPolicy,
};
use crate::model::params::{flag, registry, spec};
use crate::model::Switch;

/// The highest congress number `convene_congress` accepts.
pub use crate::metrics::MAX_CONGRESS;
/// The largest `factor` a `shock` action accepts.
pub const MAX_SHOCK_FACTOR: f64 = 10.0;
/// The largest foreign army an action may send, in soldiers per head of the population.
pub const MAX_INTERVENTION: f64 = 0.1;

/// The valid range of a numeric key, and what its unit is (for messages).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bounds {
    min: f64,
    max: f64,
    unit: Option<&'static str>,
}

const fn within(min: f64, max: f64) -> Option<Bounds> {
    Some(Bounds {
        min,
        max,
        unit: None,
    })
}

const fn within_per(min: f64, max: f64, unit: &'static str) -> Option<Bounds> {
    Some(Bounds {
        min,
        max,
        unit: Some(unit),
    })
}

/// One key's value in a file, where an error about it is reported.
pub(crate) struct Field<'r, 'a, 'i> {
    file: TomlReader<'a>,
    value: &'r Value<'i>,
    /// The key path, `events[0].actions[1].party`.
    path: String,
}

impl Field<'_, '_, '_> {
    /// `number` if it is within `bounds`; else an error that says `what` numbers are valid
    /// there, e.g. "an integer from 1 to 20".
    fn within(&self, number: f64, bounds: Bounds, what: &str) -> Result<f64, ScenarioError> {
        if (bounds.min..=bounds.max).contains(&number) {
            return Ok(number);
        }
        let range = format!("{what} from {} to {}", bounds.min, bounds.max);
        let range = match bounds.unit {
            Some(unit) => format!("{unit}, {range}"),
            None => range,
        };
        Err(self.file.out_of_range(self.value, &self.path, &range))
    }

    /// An id of a vocabulary, or an error that lists the `what`s there are.
    fn id<T>(
        &self,
        what: &'static str,
        from_id: impl Fn(&str) -> Option<T>,
        ids: &[&str],
    ) -> Result<T, ScenarioError> {
        let text = self.file.string(self.value, &self.path)?;
        match from_id(text).filter(|_| ids.contains(&text)) {
            Some(found) => Ok(found),
            None => Err(self
                .file
                .unknown_value(self.value, &self.path, what, text, ids)),
        }
    }
}

/// The type of one key of an action: how it is read and what the schema says of it.
pub(crate) trait Arg: Sized {
    /// Whether the key must be written.
    const REQUIRED: bool = true;

    fn read(field: &Field<'_, '_, '_>, bounds: Option<Bounds>) -> Result<Self, ScenarioError>;

    /// The value of an optional key that is not written.
    fn absent() -> Option<Self> {
        None
    }

    fn schema(bounds: Option<Bounds>) -> Json;
}

/// A value that several keys give together, when the type of one depends on another
/// (`set_policy`'s `policy` and `value`, `set_param`'s `name` and `value`). Every key is required.
pub(crate) trait Keys: Sized {
    const KEYS: &'static [&'static str];

    fn read(table: &ActionTable<'_, '_, '_>) -> Result<Self, ScenarioError>;

    /// Adds the keys' schemas to `properties`, and any constraint between them to `schema`.
    fn schema(properties: &mut Map<String, Json>, schema: &mut Map<String, Json>);
}

impl<T: Arg> Arg for Option<T> {
    const REQUIRED: bool = false;

    fn read(field: &Field<'_, '_, '_>, bounds: Option<Bounds>) -> Result<Self, ScenarioError> {
        T::read(field, bounds).map(Some)
    }

    fn absent() -> Option<Self> {
        Some(None)
    }

    fn schema(bounds: Option<Bounds>) -> Json {
        T::schema(bounds)
    }
}

impl Arg for bool {
    fn read(field: &Field<'_, '_, '_>, _: Option<Bounds>) -> Result<Self, ScenarioError> {
        field.file.boolean(field.value, &field.path)
    }

    fn schema(_: Option<Bounds>) -> Json {
        json!({ "type": "boolean" })
    }
}

impl Arg for u32 {
    fn read(field: &Field<'_, '_, '_>, bounds: Option<Bounds>) -> Result<Self, ScenarioError> {
        let number = field.file.integer(field.value, &field.path)?;
        let number = field.within(number as f64, bounds.unwrap_or(U32), "an integer")?;
        Ok(number as u32)
    }

    fn schema(bounds: Option<Bounds>) -> Json {
        let bounds = bounds.unwrap_or(U32);
        json!({ "type": "integer", "minimum": bounds.min as i64, "maximum": bounds.max as i64 })
    }
}

/// Every `u32`.
const U32: Bounds = Bounds {
    min: 0.0,
    max: u32::MAX as f64,
    unit: None,
};

impl Arg for f64 {
    fn read(field: &Field<'_, '_, '_>, bounds: Option<Bounds>) -> Result<Self, ScenarioError> {
        let number = field.file.number(field.value, &field.path)?;
        match bounds {
            Some(bounds) => field.within(number, bounds, "a number"),
            None => Ok(number),
        }
    }

    fn schema(bounds: Option<Bounds>) -> Json {
        match bounds {
            Some(Bounds { min, max, .. }) => {
                json!({ "type": "number", "minimum": min, "maximum": max })
            }
            None => json!({ "type": "number" }),
        }
    }
}

fn ids_schema(ids: &[&str]) -> Json {
    json!({ "type": "string", "enum": ids })
}

/// Vocabularies an action key can take, with what messages call them.
macro_rules! id_args {
    ($($type:ty => $what:literal),+ $(,)?) => {
        $(
            impl Arg for $type {
                fn read(field: &Field<'_, '_, '_>, _: Option<Bounds>) -> Result<Self, ScenarioError> {
                    field.id($what, <$type>::from_id, &<$type>::ids())
                }

                fn schema(_: Option<Bounds>) -> Json {
                    ids_schema(&<$type>::ids())
                }
            }
        )+
    };
}

id_args! {
    Regime => "regime",
    WarPolicy => "war policy",
    LandPolicy => "land policy",
    GrainPolicy => "grain policy",
    SovietElections => "soviet elections policy",
    LegalStatus => "legal status",
    ShockTarget => "shock target",
    Region => "region",
    Side => "side",
}

/// The parties an action can name: every party but `none`.
fn party_ids() -> Vec<&'static str> {
    Party::ids()
        .into_iter()
        .filter(|id| *id != Party::None.id())
        .collect()
}

impl Arg for Party {
    fn read(field: &Field<'_, '_, '_>, _: Option<Bounds>) -> Result<Self, ScenarioError> {
        field.id("party", Party::from_id, &party_ids())
    }

    fn schema(_: Option<Bounds>) -> Json {
        ids_schema(&party_ids())
    }
}

/// Declares the state policies `set_policy` sets: the policy's name and the type of its value.
macro_rules! policies {
    ($( $(#[doc = $doc:literal])* $name:literal => $variant:ident($type:ty), )+) => {
        /// A state policy an event can set.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Policy {
            $( $(#[doc = $doc])* $variant($type), )+
        }

        impl Policy {
            const NAMES: &'static [&'static str] = &[$($name),+];
        }

        impl Keys for Policy {
            const KEYS: &'static [&'static str] = &["policy", "value"];

            fn read(table: &ActionTable<'_, '_, '_>) -> Result<Self, ScenarioError> {
                let (policy, path) = table.arg("policy")?;
                let name = table.file.string(policy, &path)?;
                let unknown = || table.file.unknown_value(policy, &path, "policy", name, Self::NAMES);
                let value = table.field("value")?;
                match name {
                    $( $name => Ok(Policy::$variant(<$type>::read(&value, None)?)), )+
                    _ => Err(unknown()),
                }
            }

            fn schema(properties: &mut Map<String, Json>, schema: &mut Map<String, Json>) {
                properties.insert("policy".into(), ids_schema(Self::NAMES));
                properties.insert("value".into(), json!({}));
                let branches = [$(
                    json!({ "properties": { "policy": { "const": $name }, "value": <$type>::schema(None) } }),
                )+];
                schema.insert("oneOf".into(), json!(branches));
            }
        }
    };
}

policies! {
    "regime" => Regime(Regime),
    "war" => War(WarPolicy),
    "land" => Land(LandPolicy),
    "grain" => Grain(GrainPolicy),
    "soviet_elections" => SovietElections(SovietElections),
    "poor_committees" => PoorCommittees(bool),
}

/// What `set_param` sets: a switch of the run, or a rule parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamSetting {
    /// A flag that events and systems turn on and off during a run (`civil_war.active`, ...).
    Switch { switch: Switch, on: bool },
    /// A rule parameter and its new value, checked against the registry.
    Param { name: String, value: f64 },
}

impl ParamSetting {
    /// The parameter's dotted name.
    pub fn name(&self) -> &str {
        match self {
            ParamSetting::Switch { switch, .. } => switch.param(),
            ParamSetting::Param { name, .. } => name,
        }
    }

    /// The value as the parameter stores it (a flag as 0 or 1).
    pub fn value(&self) -> f64 {
        match self {
            ParamSetting::Switch { on, .. } => f64::from(u8::from(*on)),
            ParamSetting::Param { value, .. } => *value,
        }
    }
}

impl Keys for ParamSetting {
    const KEYS: &'static [&'static str] = &["name", "value"];

    fn read(table: &ActionTable<'_, '_, '_>) -> Result<Self, ScenarioError> {
        let (value, path) = table.arg("name")?;
        let name = table.file.string(value, &path)?;
        let Some(param) = spec(name) else {
            return Err(ScenarioError::UnknownParam {
                location: table.file.loc(value.span()),
                key: path,
                name: name.to_string(),
                suggestion: nearest_param(name),
            });
        };
        let (value, path) = table.arg("value")?;
        let value = table.file.param_value(value, &path, param)?;
        Ok(match Switch::from_param(name) {
            Some(switch) => ParamSetting::Switch {
                switch,
                on: flag(value),
            },
            None => ParamSetting::Param {
                name: name.to_string(),
                value,
            },
        })
    }

    fn schema(properties: &mut Map<String, Json>, _: &mut Map<String, Json>) {
        let names: Vec<&str> = registry().iter().map(|s| s.name.as_str()).collect();
        properties.insert("name".into(), ids_schema(&names));
        properties.insert("value".into(), json!({ "type": ["number", "boolean"] }));
    }
}

/// One action's inline table as read from a file, for its keys' readers.
pub(crate) struct ActionTable<'r, 'a, 'i> {
    file: TomlReader<'a>,
    table: &'r DeTable<'i>,
    /// The action's key path, `events[0].actions[1]`.
    prefix: &'r str,
    /// The whole action, where a missing key is reported.
    within: &'r Value<'i>,
    spec: &'static ActionSpec,
}

impl<'r, 'a, 'i> ActionTable<'r, 'a, 'i> {
    /// A key's value and path; missing, an error that says what the action takes.
    fn arg(&self, key: &str) -> Result<(&'r Value<'i>, String), ScenarioError> {
        let value = self
            .file
            .required(self.table, key, self.within, self.prefix, || {
                let required: Vec<&str> = self
                    .spec
                    .keys()
                    .into_iter()
                    .filter(|(_, required)| *required)
                    .map(|(key, _)| key)
                    .collect();
                format!(
                    "`{}` takes {}, e.g. {}",
                    self.spec.name,
                    required.join(" and "),
                    self.spec.example
                )
            })?;
        Ok((value, format!("{}.{key}", self.prefix)))
    }

    /// A key's value as a [`Field`].
    fn field(&self, key: &str) -> Result<Field<'r, 'a, 'i>, ScenarioError> {
        let (value, path) = self.arg(key)?;
        Ok(Field {
            file: self.file,
            value,
            path,
        })
    }

    /// One key of a given type.
    fn read<T: Arg>(&self, key: &str, bounds: Option<Bounds>) -> Result<T, ScenarioError> {
        match (self.table.get(key), T::absent()) {
            (None, Some(absent)) => Ok(absent),
            _ => T::read(&self.field(key)?, bounds),
        }
    }
}

/// One action as declared: its `do` name, doc, example, and what derives from its keys.
pub(crate) struct ActionSpec {
    pub name: &'static str,
    pub doc: &'static str,
    pub example: &'static str,
    /// Its keys besides `do`, with whether each is required.
    keys: fn() -> Vec<(&'static str, bool)>,
    read: fn(&ActionTable<'_, '_, '_>) -> Result<Action, ScenarioError>,
    schema: fn(&mut Map<String, Json>, &mut Map<String, Json>),
}

impl ActionSpec {
    pub fn keys(&self) -> Vec<(&'static str, bool)> {
        (self.keys)()
    }
}

/// Declares every action: `/// doc`, `"do name" => Variant { key: Type = bounds, .. }` (or
/// `Variant(Payload)` whose keys are read together, or a bare `Variant`), and an example.
macro_rules! actions {
    ($(
        $(#[doc = $doc:literal])+
        $name:literal => $variant:ident
            $(($payload:ty))?
            $({ $($field:ident : $type:ty $(= $bounds:expr)?),* $(,)? })?,
        e.g. $example:literal;
    )+) => {
        /// What an event does. In a file: an inline table whose `do` key names the action,
        /// e.g. `{ do = "set_policy", policy = "grain", value = "requisition" }`.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Action {
            $( $(#[doc = $doc])+ $variant $(($payload))? $({ $($field: $type),* })?, )+
        }

        impl Action {
            /// The `do` name.
            pub fn name(&self) -> &'static str {
                match self {
                    $( Action::$variant { .. } => $name, )+
                }
            }
        }

        /// Every action, in declaration order.
        pub(crate) const ACTIONS: &[ActionSpec] = &[$(
            ActionSpec {
                name: $name,
                doc: concat!($($doc, "\n"),+),
                example: $example,
                keys: || {
                    Vec::<(&'static str, bool)>::new()
                        .into_iter()
                        $( .chain(<$payload as Keys>::KEYS.iter().map(|key| (*key, true))) )?
                        $( .chain([$( (stringify!($field), <$type as Arg>::REQUIRED) ),*]) )?
                        .collect()
                },
                read: |_table| Ok(Action::$variant
                    $( (<$payload as Keys>::read(_table)?) )?
                    $({ $( $field: _table.read::<$type>(stringify!($field), bounds!($($bounds)?))? ),* })?
                ),
                schema: |_properties, _schema| {
                    $( <$payload as Keys>::schema(_properties, _schema); )?
                    $( $( _properties.insert(
                        stringify!($field).into(),
                        <$type as Arg>::schema(bounds!($($bounds)?)),
                    ); )* )?
                },
            },
        )+];
    };
}

macro_rules! bounds {
    () => {
        None
    };
    ($bounds:expr) => {
        $bounds
    };
}

actions! {
    /// Sets a state policy.
    "set_policy" => SetPolicy(Policy),
    e.g. r#"{ do = "set_policy", policy = "grain", value = "requisition" }"#;

    /// Sets a rule parameter.
    "set_param" => SetParam(ParamSetting),
    e.g. r#"{ do = "set_param", name = "allegiance.social_weight", value = 0.5 }"#;

    /// Changes a party's legal status.
    "party_status" => PartyStatus { party: Party, status: LegalStatus },
    e.g. r#"{ do = "party_status", party = "bolsheviks", status = "harassed" }"#;

    /// A party joins or leaves the government.
    "join_government" => JoinGovernment { party: Party, joined: bool },
    e.g. r#"{ do = "join_government", party = "mensheviks", joined = true }"#;

    /// A party splits: members whose own interests fit the new party better move to it,
    /// and each class's standing attachment divides as its supporters did.
    "party_split" => PartySplit { from: Party, to: Party },
    e.g. r#"{ do = "party_split", from = "srs", to = "left_srs" }"#;

    /// A Congress of Soviets meets.
    "convene_congress" => ConveneCongress { number: u32 = within(1.0, MAX_CONGRESS as f64) },
    e.g. r#"{ do = "convene_congress", number = 2 }"#;

    /// The Constituent Assembly is elected: a secret ballot of private preferences.
    "constituent_election" => ConstituentElection,
    e.g. r#"{ do = "constituent_election" }"#;

    /// Multiplies a stock or capacity by `factor`, in one region or (no region) in all.
    "shock" => Shock {
        target: ShockTarget,
        factor: f64 = within(0.0, MAX_SHOCK_FACTOR),
        region: Option<Region>,
    },
    e.g. r#"{ do = "shock", target = "food_stocks", factor = 0.5, region = "petrograd" }"#;

    /// A side takes control of a region.
    "transfer_control" => TransferControl { region: Region, side: Side },
    e.g. r#"{ do = "transfer_control", region = "ukraine", side = "german" }"#;

    /// A foreign power's army occupies a region, unresisted (an outside shock: the army
    /// arrives); the region is the occupier's until it withdraws.
    "foreign_occupation" => ForeignOccupation { region: Region },
    e.g. r#"{ do = "foreign_occupation", region = "ukraine" }"#;

    /// The occupying power withdraws from every region it holds; each goes to whoever has
    /// the force there (see `civil_war::fill_vacuum`).
    "foreign_withdrawal" => ForeignWithdrawal,
    e.g. r#"{ do = "foreign_withdrawal" }"#;

    /// A general marches on the region's capital to take power, at the head of
    /// `coup.detachment` of the soldiers (an outside shock: the march begins); whether it
    /// takes the capital or collapses is decided by force that week (`coup::decide`).
    "coup" => Coup { region: Region },
    e.g. r#"{ do = "coup", region = "petrograd" }"#;

    /// The party calls its armed supporters out against the government in the region's
    /// capital (the party's decision: the rising begins); whether it takes the capital or
    /// fails is decided by force that week (`coup::decide_rising`).
    "rising" => Rising { party: Party, region: Region },
    e.g. r#"{ do = "rising", party = "left_srs", region = "moscow" }"#;

    /// A foreign army of `strength` soldiers per head of the population goes to war with
    /// Sovnarkom in the region.
    "foreign_intervention" => ForeignIntervention {
        region: Region,
        strength: f64 = within_per(0.0, MAX_INTERVENTION, "soldiers per head"),
    },
    e.g. r#"{ do = "foreign_intervention", region = "ukraine", strength = 0.004 }"#;
}

impl Action {
    /// A constraint between an action's keys that its types do not state: the key it is on
    /// and what is wrong.
    fn inconsistency(&self) -> Option<(&'static str, String)> {
        match self {
            Action::PartySplit { from, to } if from == to => Some((
                "to",
                format!(
                    "a party cannot split into itself (`from` is also {:?})",
                    from.id()
                ),
            )),
            _ => None,
        }
    }
}

/// Reads one action, an inline table at `prefix`.
pub(crate) fn read_action(
    file: &TomlReader<'_>,
    value: &Value<'_>,
    prefix: &str,
) -> Result<Action, ScenarioError> {
    let table = file.table(value, prefix)?;
    let names: Vec<String> = ACTIONS.iter().map(|a| a.name.to_string()).collect();
    let do_value = file.required(table, "do", value, prefix, || {
        format!(
            "an action names what it does: `do` = one of {}",
            names.join(", ")
        )
    })?;
    let do_path = format!("{prefix}.do");
    let name = file.string(do_value, &do_path)?;
    let Some(spec) = ACTIONS.iter().find(|a| a.name == name) else {
        return Err(ScenarioError::UnknownAction {
            location: file.loc(do_value.span()),
            key: do_path,
            found: name.to_string(),
            suggestion: nearest(name, ACTIONS.iter().map(|a| a.name)),
            valid: names,
        });
    };
    let keys = spec.keys();
    let mut valid = vec!["do"];
    valid.extend(keys.iter().map(|(key, _)| *key));
    let label = format!("{prefix} (a `{name}` action)");
    for (key, _) in in_order(table) {
        if !valid.contains(&key.get_ref().as_ref()) {
            return Err(file.unknown_key(key, prefix, &label, &valid));
        }
    }
    let action_table = ActionTable {
        file: *file,
        table,
        prefix,
        within: value,
        spec,
    };
    for (key, _) in keys.iter().filter(|(_, required)| *required) {
        action_table.arg(key)?;
    }
    let action = (spec.read)(&action_table)?;
    if let Some((key, message)) = action.inconsistency() {
        let (value, path) = action_table.arg(key)?;
        return Err(ScenarioError::Invalid {
            location: file.loc(value.span()),
            key: path,
            message,
        });
    }
    Ok(action)
}

/// The JSON Schema of one action.
pub(crate) fn action_schema(spec: &ActionSpec) -> Json {
    let mut properties = Map::new();
    properties.insert("do".into(), json!({ "const": spec.name }));
    let mut schema = Map::new();
    (spec.schema)(&mut properties, &mut schema);
    let mut required = vec!["do"];
    required.extend(
        spec.keys()
            .into_iter()
            .filter(|(_, required)| *required)
            .map(|(key, _)| key),
    );
    let doc = spec.doc.split_whitespace().collect::<Vec<_>>().join(" ");
    schema.insert(
        "description".into(),
        json!(format!("{doc} e.g. {}", spec.example)),
    );
    schema.insert("type".into(), json!("object"));
    schema.insert("additionalProperties".into(), json!(false));
    schema.insert("required".into(), json!(required));
    schema.insert("properties".into(), Json::Object(properties));
    Json::Object(schema)
}
