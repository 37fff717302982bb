//! The nationalities of the periphery: the armies their national movements can raise
//! [000:251][000:753]. A region secedes in a vacuum (`civil_war::fill_vacuum`) and is taken
//! back only by the Red Army (`civil_war::fight_fronts`).

use bevy_ecs::prelude::{Res, ResMut};

use crate::model::ids::{Party, Region};
use crate::model::params::Params;
use crate::model::{Communities, Regions, Tally};

/// Each week every region's national movement musters: the share of the region's living
/// people who openly back the nationalists, at the last tally. Where that share reaches
/// `nations.secession_support`, a national government could put `nations.levy` of its open
/// supporters under arms ([`crate::model::RegionState::national_army`]); elsewhere it raises
/// none. The oppressed nationalities "demanded autonomy and in some cases outright
/// independence" [000:251] and were in revolt against the regime by 1921 [000:753]; the
/// threshold and the levy are model assumptions.
pub fn muster(
    params: Res<Params>,
    tally: Res<Tally>,
    communities: Res<Communities>,
    mut regions: ResMut<Regions>,
) {
    let mut open_nationalists = [0.0f64; Region::COUNT];
    for (community, public) in communities.list.iter().zip(&tally.community_public) {
        open_nationalists[community.region.index()] +=
            f64::from(public[Party::Nationalists.index()]);
    }
    for (index, region) in regions.list.iter_mut().enumerate() {
        let support = open_nationalists[index] / tally.regions[index].alive.max(1.0);
        region.national_army = if support >= params.nations.secession_support {
            params.nations.levy * open_nationalists[index]
        } else {
            0.0
        };
    }
}
