//! The nouns of the model: ECS components and resources.

#[macro_use]
pub mod ids;
pub mod params;
