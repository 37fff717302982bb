//! Laying out a sweep's points: a full grid, a Latin hypercube or random samples.
//!
//! Samples come from the ChaCha8 stream of [`design_rng`](super::seeds::design_rng) in a fixed
//! order, so a design is a function of the sweep file alone:
//! - `lhs`: for each varied parameter in file order, a Fisher-Yates shuffle of the strata
//!   `0..N` (from the last position down, each swap partner drawn as `floor(u * (k + 1))`),
//!   then one jitter per sample; sample i takes `u = (stratum_i + jitter_i) / N`.
//! - `random`: for each sample in order, one `u` per varied parameter in file order.
//!
//! Each `u` in [0, 1) is the top 53 bits of the next 64-bit output, over 2^53. A `u` becomes a
//! value through the entry's inverse distribution: a list or stepped range picks level
//! `floor(u * levels)`; a range or uniform distribution `min + u (max - min)`; a log-uniform
//! one `exp(ln min + u (ln max - ln min))`; a truncated normal its inverse CDF over
//! [min, max]. Integers are rounded (a range of integers picks each integer equally often).

use rand::RngCore;
use rand_chacha::ChaCha8Rng;

use super::seeds::design_rng;
use super::{DesignKind, Distribution, Levels, Point, Varied};
use crate::model::params::ParamKind;

/// A number rounded to 12 significant digits, so that evenly spaced levels read as written
/// (0.3, not 0.30000000000000004).
fn clean(value: f64) -> f64 {
    if value == 0.0 || !value.is_finite() {
        return 0.0;
    }
    format!("{value:.11e}").parse().unwrap_or(value)
}

impl Varied {
    /// The levels a grid uses: the listed values, or `steps` evenly spaced values from min to
    /// max. `None` for a range without steps or a distribution.
    pub fn grid_levels(&self) -> Option<Vec<f64>> {
        let levels = match &self.levels {
            Levels::Values(values) => values.clone(),
            Levels::Range {
                min,
                max,
                steps: Some(steps),
            } => {
                let steps = *steps;
                if steps <= 1 {
                    vec![*min]
                } else {
                    (0..steps)
                        .map(|i| clean(min + (max - min) * f64::from(i) / f64::from(steps - 1)))
                        .collect()
                }
            }
            _ => return None,
        };
        Some(match self.kind {
            ParamKind::Integer => levels.iter().map(|v| v.round()).collect(),
            _ => levels,
        })
    }

    /// The value at quantile `u` in [0, 1] of this entry's distribution (u = 1, the top of a
    /// Morris grid, gives the maximum).
    pub fn value_at(&self, u: f64) -> f64 {
        let u = u.clamp(0.0, 1.0);
        let pick =
            |levels: &[f64]| levels[((u * levels.len() as f64) as usize).min(levels.len() - 1)];
        let continuous = |min: f64, max: f64| match self.kind {
            ParamKind::Integer => (min + u * (max - min + 1.0)).floor().clamp(min, max),
            _ => (min + u * (max - min)).clamp(min, max),
        };
        let value = match &self.levels {
            Levels::Values(values) => pick(values),
            Levels::Range { steps: Some(_), .. } => pick(&self.grid_levels().unwrap_or_default()),
            Levels::Range {
                min,
                max,
                steps: None,
            } => continuous(*min, *max),
            Levels::Distribution(Distribution::Uniform { min, max }) => continuous(*min, *max),
            Levels::Distribution(Distribution::LogUniform { min, max }) => {
                let (lo, hi) = (min.ln(), max.ln());
                (lo + u * (hi - lo)).exp().clamp(*min, *max)
            }
            Levels::Distribution(Distribution::Normal { mean, sd, min, max }) => {
                let lo = normal_cdf((min - mean) / sd);
                let hi = normal_cdf((max - mean) / sd);
                let p = (lo + u * (hi - lo)).clamp(1e-300, 1.0 - 1e-16);
                (mean + sd * normal_quantile(p)).clamp(*min, *max)
            }
        };
        match self.kind {
            ParamKind::Integer => value.round(),
            _ => value,
        }
    }
}

/// Uniform on [0, 1) from the top 53 bits of the next output.
fn uniform(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// The unit-hypercube points of a sensitivity design (Morris, Sobol), from the design stream;
/// `None` for the other designs.
pub fn unit_points(design: DesignKind, k: usize, root_seed: u64) -> Option<Vec<Vec<f64>>> {
    let mut rng = design_rng(root_seed);
    match design {
        DesignKind::Morris {
            trajectories,
            levels,
        } => Some(crate::sensitivity::morris_design(
            k,
            trajectories as usize,
            levels,
            &mut rng,
        )),
        DesignKind::Sobol { samples } => Some(crate::sensitivity::saltelli_design(
            k,
            samples as usize,
            &mut rng,
        )),
        _ => None,
    }
}

/// The points of a design, in point order (none for `File`: its points are the file's rows,
/// read with the sweep file).
pub fn points(design: DesignKind, vary: &[Varied], root_seed: u64) -> Vec<Point> {
    let to_point = |values: Vec<f64>| Point {
        values: vary
            .iter()
            .zip(values)
            .map(|(varied, value)| varied.text(value))
            .collect(),
    };
    match design {
        DesignKind::Grid => {
            let levels: Vec<Vec<f64>> = vary
                .iter()
                .map(|v| v.grid_levels().unwrap_or_default())
                .collect();
            let total: usize = levels.iter().map(Vec::len).product();
            (0..total)
                .map(|mut index| {
                    // The last entry varies fastest.
                    let mut values = vec![0.0; levels.len()];
                    for (d, level) in levels.iter().enumerate().rev() {
                        values[d] = level[index % level.len()];
                        index /= level.len();
                    }
                    to_point(values)
                })
                .collect()
        }
        DesignKind::Lhs { samples } => {
            let n = samples as usize;
            let mut rng = design_rng(root_seed);
            let mut columns = Vec::with_capacity(vary.len());
            for varied in vary {
                let mut strata: Vec<usize> = (0..n).collect();
                for k in (1..n).rev() {
                    let j = ((uniform(&mut rng) * (k + 1) as f64) as usize).min(k);
                    strata.swap(k, j);
                }
                let column: Vec<f64> = strata
                    .iter()
                    .map(|&stratum| {
                        let u = (stratum as f64 + uniform(&mut rng)) / n as f64;
                        varied.value_at(u)
                    })
                    .collect();
                columns.push(column);
            }
            (0..n)
                .map(|i| to_point(columns.iter().map(|c| c[i]).collect()))
                .collect()
        }
        DesignKind::File { .. } => Vec::new(),
        DesignKind::Morris { .. } | DesignKind::Sobol { .. } => {
            unit_points(design, vary.len(), root_seed)
                .unwrap_or_default()
                .into_iter()
                .map(|unit| {
                    to_point(
                        vary.iter()
                            .zip(unit)
                            .map(|(varied, u)| varied.value_at(u))
                            .collect(),
                    )
                })
                .collect()
        }
        DesignKind::Random { samples } => {
            let mut rng = design_rng(root_seed);
            (0..samples)
                .map(|_| {
                    to_point(
                        vary.iter()
                            .map(|varied| varied.value_at(uniform(&mut rng)))
                            .collect(),
                    )
                })
                .collect()
        }
    }
}

/// The standard normal CDF, through erfc (Numerical Recipes' Chebyshev fit, relative error
/// under 1.2e-7).
pub(crate) fn normal_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * poly.exp();
    if x >= 0.0 {
        r
    } else {
        2.0 - r
    }
}

/// The standard normal quantile (Acklam's rational approximation, relative error under
/// 1.2e-9).
pub(crate) fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let p_low = 0.024_25;
    if p < p_low {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - p_low {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * (1.0 - p).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn varied(name: &str, kind: ParamKind, levels: Levels) -> Varied {
        Varied {
            name: name.to_string(),
            kind,
            levels,
            written: String::new(),
            dates: false,
            choices: Vec::new(),
        }
    }

    fn range(min: f64, max: f64, steps: Option<u32>) -> Levels {
        Levels::Range { min, max, steps }
    }

    #[test]
    fn grid_is_a_product_with_the_last_entry_fastest() {
        let vary = [
            varied("a", ParamKind::Real, range(0.1, 0.3, Some(3))),
            varied("b", ParamKind::Flag, Levels::Values(vec![0.0, 1.0])),
        ];
        let points = points(DesignKind::Grid, &vary, 1);
        let texts: Vec<String> = points.iter().map(|p| p.values.join(" ")).collect();
        assert_eq!(
            texts,
            [
                "0.1 false",
                "0.1 true",
                "0.2 false",
                "0.2 true",
                "0.3 false",
                "0.3 true"
            ]
        );
    }

    #[test]
    fn lhs_uses_every_stratum_once_and_is_reproducible() {
        let vary = [
            varied("a", ParamKind::Real, range(0.0, 1.0, None)),
            varied(
                "b",
                ParamKind::Real,
                Levels::Distribution(Distribution::LogUniform {
                    min: 1.0,
                    max: 100.0,
                }),
            ),
        ];
        let design = DesignKind::Lhs { samples: 20 };
        let first = points(design, &vary, 7);
        assert_eq!(first, points(design, &vary, 7));
        assert_ne!(first, points(design, &vary, 8));
        let mut strata: Vec<usize> = first
            .iter()
            .map(|p| (p.values[0].parse::<f64>().unwrap() * 20.0) as usize)
            .collect();
        strata.sort_unstable();
        assert_eq!(strata, (0..20).collect::<Vec<_>>());
        let mut log_strata: Vec<usize> = first
            .iter()
            .map(|p| (p.values[1].parse::<f64>().unwrap().log10() / 2.0 * 20.0) as usize)
            .collect();
        log_strata.sort_unstable();
        assert_eq!(log_strata, (0..20).collect::<Vec<_>>());
    }

    #[test]
    fn random_integers_and_normals_stay_in_range() {
        let vary = [
            varied("n", ParamKind::Integer, range(1.0, 3.0, None)),
            varied(
                "x",
                ParamKind::Real,
                Levels::Distribution(Distribution::Normal {
                    mean: 0.5,
                    sd: 0.3,
                    min: 0.0,
                    max: 1.0,
                }),
            ),
        ];
        let points = points(DesignKind::Random { samples: 300 }, &vary, 3);
        let mut seen = [0; 4];
        let mut mean = 0.0;
        for point in &points {
            let n: usize = point.values[0].parse().unwrap();
            seen[n] += 1;
            let x: f64 = point.values[1].parse().unwrap();
            assert!((0.0..=1.0).contains(&x));
            mean += x / 300.0;
        }
        assert!(seen[1] > 50 && seen[2] > 50 && seen[3] > 50, "{seen:?}");
        assert!((mean - 0.5).abs() < 0.05, "{mean}");
    }

    #[test]
    fn normal_functions_agree() {
        for p in [0.001, 0.05, 0.3, 0.5, 0.8, 0.975, 0.999] {
            let x = normal_quantile(p);
            assert!((normal_cdf(x) - p).abs() < 1e-6, "{p}");
        }
        assert!((normal_quantile(0.975) - 1.959_964).abs() < 1e-5);
    }
}
