//! Global sensitivity analysis on the unit hypercube, independent of the model: the designs
//! (Morris elementary-effect trajectories, Saltelli's scheme for Sobol indices) as points in
//! [0, 1]^k, and the indices computed from one output per point. A sweep maps each unit
//! coordinate to a parameter value through its `[vary]` entry's inverse distribution
//! (`sweep::Varied::value_at`) and runs the points; `revsim sensitivity DIR` reads the
//! summaries back and calls these functions. The tests check them on functions whose indices
//! are known in closed form (linear functions, Ishigami).
//!
//! - **Morris** (Morris 1991; Campolongo et al. 2007's μ*): `r` trajectories of `k + 1`
//!   points on a grid of `p` levels (`p` even), each step moving one factor by
//!   Δ = p / (2 (p - 1)) up or down. The elementary effect of factor i on a trajectory is
//!   (y after - y before) / (u_i after - u_i before); μ is their mean, μ* the mean of their
//!   absolute values, σ their standard deviation (n - 1), over the trajectories.
//! - **Sobol** (Saltelli 2002 sampling; Saltelli et al. 2010's first-order and Jansen's
//!   total-order estimators, as SALib computes them): base matrices A and B of `n` rows;
//!   row j gives the points A_j, AB_j^1 .. AB_j^k (A_j with column i from B_j), B_j, so
//!   `n (k + 2)` points in that order. With f centred on the mean of all outputs and
//!   V = var(f(A) ∪ f(B)) (population variance), S1_i = mean(f(B) (f(AB^i) - f(A))) / V and
//!   ST_i = mean((f(A) - f(AB^i))^2) / (2 V).
//!
//! Intervals are bootstrap percentiles (2.5 % and 97.5 %) over resampled trajectories (Morris)
//! or rows (Sobol), drawn from a ChaCha8 stream of the given seed, so they are reproducible.

use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Uniform on [0, 1) from the top 53 bits of the next output.
fn uniform(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A generator for a design or a bootstrap, keyed on a purpose and a seed.
pub fn rng(purpose: &str, seed: u64) -> ChaCha8Rng {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    hasher.update(purpose.as_bytes());
    hasher.update(seed.to_le_bytes());
    ChaCha8Rng::from_seed(hasher.finalize().into())
}

/// Morris trajectories: `trajectories * (k + 1)` points in [0, 1]^k, trajectory by trajectory.
/// `levels` must be even and at least 2.
pub fn morris_design(
    k: usize,
    trajectories: usize,
    levels: u32,
    rng: &mut ChaCha8Rng,
) -> Vec<Vec<f64>> {
    let p = levels.max(2) as usize;
    let step = 1.0 / (p - 1) as f64;
    let half = p / 2;
    let delta = half as f64 * step;
    let mut points = Vec::with_capacity(trajectories * (k + 1));
    for _ in 0..trajectories {
        // Per factor a direction and a start level from which the step stays on the grid.
        let mut x = vec![0.0; k];
        let mut up = vec![true; k];
        for i in 0..k {
            up[i] = rng.next_u64() & 1 == 0;
            let start = (rng.next_u64() % half as u64) as usize;
            x[i] = if up[i] { start } else { start + half } as f64 * step;
        }
        // A random order of the factors (Fisher-Yates, from the last position down).
        let mut order: Vec<usize> = (0..k).collect();
        for j in (1..k).rev() {
            let swap = ((uniform(rng) * (j + 1) as f64) as usize).min(j);
            order.swap(j, swap);
        }
        points.push(x.clone());
        for &i in &order {
            x[i] = if up[i] { x[i] + delta } else { x[i] - delta };
            // Exactly on the grid (no drift from repeated sums).
            x[i] = (x[i] / step).round() * step;
            points.push(x.clone());
        }
    }
    points
}

/// Saltelli's points for Sobol indices: `n * (k + 2)` points, row by row A_j, AB_j^1..k, B_j.
pub fn saltelli_design(k: usize, n: usize, rng: &mut ChaCha8Rng) -> Vec<Vec<f64>> {
    let mut points = Vec::with_capacity(n * (k + 2));
    for _ in 0..n {
        let a: Vec<f64> = (0..k).map(|_| uniform(rng)).collect();
        let b: Vec<f64> = (0..k).map(|_| uniform(rng)).collect();
        points.push(a.clone());
        for i in 0..k {
            let mut ab = a.clone();
            ab[i] = b[i];
            points.push(ab);
        }
        points.push(b);
    }
    points
}

/// An index with its bootstrap interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

/// Morris indices of one factor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MorrisIndex {
    pub mu: f64,
    /// μ* with its bootstrap interval.
    pub mu_star: Estimate,
    pub sigma: f64,
}

/// Sobol indices of one factor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SobolIndex {
    pub first: Estimate,
    pub total: Estimate,
}

/// Why indices cannot be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SensitivityError {
    #[error("{found} outputs for {expected} design points")]
    Length { expected: usize, found: usize },
    #[error("the output at point {0} is not a finite number")]
    NotFinite(usize),
    #[error("the outputs do not vary (variance 0): no index can be computed")]
    NoVariance,
    #[error(
        "trajectory {trajectory} is not a Morris trajectory: step {step} moves {moved} factors, or one a second time"
    )]
    NotATrajectory {
        trajectory: usize,
        step: usize,
        moved: usize,
    },
}

fn check(y: &[f64], expected: usize) -> Result<(), SensitivityError> {
    if y.len() != expected {
        return Err(SensitivityError::Length {
            expected,
            found: y.len(),
        });
    }
    match y.iter().position(|v| !v.is_finite()) {
        Some(at) => Err(SensitivityError::NotFinite(at)),
        None => Ok(()),
    }
}

/// The 2.5 % and 97.5 % quantiles (linear interpolation) of `values`.
fn interval(mut values: Vec<f64>) -> (f64, f64) {
    values.sort_by(f64::total_cmp);
    let at = |q: f64| {
        let position = q * (values.len() - 1) as f64;
        let (lo, hi) = (position.floor() as usize, position.ceil() as usize);
        values[lo] + (values[hi] - values[lo]) * (position - lo as f64)
    };
    (at(0.025), at(0.975))
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    sum / n.max(1) as f64
}

/// Morris indices from the design's unit points (`points`, trajectory by trajectory) and one
/// output per point; `resamples` bootstrap resamples of the trajectories for μ*'s interval.
pub fn morris_indices(
    points: &[Vec<f64>],
    y: &[f64],
    k: usize,
    resamples: usize,
    rng: &mut ChaCha8Rng,
) -> Result<Vec<MorrisIndex>, SensitivityError> {
    check(y, points.len())?;
    let trajectories = points.len() / (k + 1);
    // effects[i]: factor i's elementary effects, trajectory by trajectory.
    let mut effects: Vec<Vec<f64>> = vec![Vec::with_capacity(trajectories); k];
    for (t, trajectory) in points.chunks_exact(k + 1).enumerate() {
        let outputs = &y[t * (k + 1)..(t + 1) * (k + 1)];
        let mut found: Vec<Option<f64>> = vec![None; k];
        for (step, pair) in trajectory.windows(2).enumerate() {
            let (before, after) = (&pair[0], &pair[1]);
            let moved: Vec<usize> = (0..k).filter(|&i| before[i] != after[i]).collect();
            let i = match moved[..] {
                [i] if found[i].is_none() => i,
                _ => {
                    return Err(SensitivityError::NotATrajectory {
                        trajectory: t,
                        step,
                        moved: moved.len(),
                    })
                }
            };
            found[i] = Some((outputs[step + 1] - outputs[step]) / (after[i] - before[i]));
        }
        for (i, effect) in found.into_iter().enumerate() {
            // Each step moved one factor, and none twice: so each factor once.
            effects[i].push(effect.unwrap_or(f64::NAN));
        }
    }
    Ok(effects
        .iter()
        .map(|ee| {
            let mu = mean(ee.iter().copied());
            let mu_star = mean(ee.iter().map(|e| e.abs()));
            let sigma = if ee.len() > 1 {
                (ee.iter().map(|e| (e - mu).powi(2)).sum::<f64>() / (ee.len() - 1) as f64).sqrt()
            } else {
                f64::NAN
            };
            let boot: Vec<f64> = (0..resamples)
                .map(|_| mean((0..ee.len()).map(|_| ee[rng.random_range(0..ee.len())].abs())))
                .collect();
            let (low, high) = if boot.is_empty() {
                (f64::NAN, f64::NAN)
            } else {
                interval(boot)
            };
            MorrisIndex {
                mu,
                mu_star: Estimate {
                    value: mu_star,
                    low,
                    high,
                },
                sigma,
            }
        })
        .collect())
}

/// First- and total-order indices of rows `rows` of a Saltelli design's outputs.
fn sobol_of(y: &[f64], k: usize, rows: &[usize]) -> Option<Vec<(f64, f64)>> {
    let f = |row: usize, column: usize| y[row * (k + 2) + column];
    let n = rows.len() as f64;
    let all = rows.iter().flat_map(|&r| [f(r, 0), f(r, k + 1)]);
    let m = mean(all.clone());
    let variance = all.map(|v| (v - m).powi(2)).sum::<f64>() / (2.0 * n);
    if variance <= 0.0 {
        return None;
    }
    Some(
        (0..k)
            .map(|i| {
                let (mut first, mut total) = (0.0, 0.0);
                for &r in rows {
                    let (a, ab, b) = (f(r, 0), f(r, 1 + i), f(r, k + 1));
                    first += b * (ab - a);
                    total += (a - ab).powi(2);
                }
                (first / n / variance, total / n / (2.0 * variance))
            })
            .collect(),
    )
}

/// Sobol indices from the outputs of a Saltelli design of `k` factors (`n (k + 2)` values in
/// design order); `resamples` bootstrap resamples of the rows for the intervals.
pub fn sobol_indices(
    y: &[f64],
    k: usize,
    resamples: usize,
    rng: &mut ChaCha8Rng,
) -> Result<Vec<SobolIndex>, SensitivityError> {
    let n = y.len() / (k + 2);
    check(y, n * (k + 2))?;
    // Centred on the mean of all outputs, as SALib does: the first-order estimator is not
    // shift-invariant, and centring lowers its variance.
    let centre = mean(y.iter().copied());
    let centred: Vec<f64> = y.iter().map(|v| v - centre).collect();
    let y = &centred[..];
    let rows: Vec<usize> = (0..n).collect();
    let estimates = sobol_of(y, k, &rows).ok_or(SensitivityError::NoVariance)?;
    let mut boots: Vec<Vec<(f64, f64)>> = Vec::with_capacity(resamples);
    for _ in 0..resamples {
        let sample: Vec<usize> = (0..n).map(|_| rng.random_range(0..n)).collect();
        if let Some(values) = sobol_of(y, k, &sample) {
            boots.push(values);
        }
    }
    Ok((0..k)
        .map(|i| {
            let bounds = |pick: fn(&(f64, f64)) -> f64| {
                if boots.is_empty() {
                    (f64::NAN, f64::NAN)
                } else {
                    interval(boots.iter().map(|b| pick(&b[i])).collect())
                }
            };
            let (first_low, first_high) = bounds(|v| v.0);
            let (total_low, total_high) = bounds(|v| v.1);
            SobolIndex {
                first: Estimate {
                    value: estimates[i].0,
                    low: first_low,
                    high: first_high,
                },
                total: Estimate {
                    value: estimates[i].1,
                    low: total_low,
                    high: total_high,
                },
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    /// Ishigami's function on [-π, π]^3 from unit coordinates, a = 7, b = 0.1.
    fn ishigami(u: &[f64]) -> f64 {
        let x: Vec<f64> = u.iter().map(|v| -PI + 2.0 * PI * v).collect();
        x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
    }

    /// Ishigami's indices in closed form (Ishigami and Homma 1990; Sobol' and Levitan 1999).
    fn ishigami_indices() -> ([f64; 3], [f64; 3]) {
        let (a, b) = (7.0f64, 0.1f64);
        let v1 = 0.5 * (1.0 + b * PI.powi(4) / 5.0).powi(2);
        let v2 = a * a / 8.0;
        let v13 = b * b * PI.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
        let v = v1 + v2 + v13;
        ([v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v])
    }

    #[test]
    fn sobol_indices_of_ishigami_cover_the_analytic_values() {
        let (first, total) = ishigami_indices();
        assert!((first[0] - 0.3139).abs() < 1e-4 && (total[2] - 0.2437).abs() < 1e-4);
        let points = saltelli_design(3, 8192, &mut rng("test-design", 1));
        assert_eq!(points.len(), 8192 * 5);
        let y: Vec<f64> = points.iter().map(|u| ishigami(u)).collect();
        let indices = sobol_indices(&y, 3, 500, &mut rng("test-bootstrap", 1)).unwrap();
        for (i, index) in indices.iter().enumerate() {
            for (what, estimate, truth) in
                [("S1", index.first, first[i]), ("ST", index.total, total[i])]
            {
                assert!(
                    estimate.low <= truth && truth <= estimate.high,
                    "{what} of x{}: analytic {truth:.4} outside [{:.4}, {:.4}] (estimate {:.4})",
                    i + 1,
                    estimate.low,
                    estimate.high,
                    estimate.value
                );
                assert!(
                    estimate.high - estimate.low < 0.1,
                    "{what} x{}: {estimate:?}",
                    i + 1
                );
            }
        }
        // Reproducible: the same seeds give the same numbers.
        let again = sobol_indices(&y, 3, 500, &mut rng("test-bootstrap", 1)).unwrap();
        assert_eq!(indices, again);
    }

    #[test]
    fn morris_effects_of_a_linear_function_are_its_slopes() {
        // In unit coordinates every elementary effect of factor i is c_i exactly.
        let c = [2.0, -3.0, 0.0, 0.5];
        let points = morris_design(4, 20, 4, &mut rng("test-design", 2));
        assert_eq!(points.len(), 20 * 5);
        for point in &points {
            for &u in point {
                assert!((0.0..=1.0).contains(&u), "{point:?}");
                // On the grid of 4 levels.
                assert!((u * 3.0 - (u * 3.0).round()).abs() < 1e-12, "{point:?}");
            }
        }
        let y: Vec<f64> = points
            .iter()
            .map(|u| u.iter().zip(c).map(|(u, c)| u * c).sum())
            .collect();
        let indices = morris_indices(&points, &y, 4, 200, &mut rng("test-bootstrap", 2)).unwrap();
        for (index, c) in indices.iter().zip(c) {
            assert!((index.mu - c).abs() < 1e-12, "{index:?}");
            assert!((index.mu_star.value - c.abs()).abs() < 1e-12, "{index:?}");
            assert!(index.sigma.abs() < 1e-12, "{index:?}");
        }
        // An interaction gives spread: f = u1 u2 has effects u2 (for u1) that vary.
        let y: Vec<f64> = points.iter().map(|u| u[0] * u[1]).collect();
        let indices = morris_indices(&points, &y, 4, 200, &mut rng("test-bootstrap", 2)).unwrap();
        assert!(
            indices[0].sigma > 0.1 && indices[1].sigma > 0.1,
            "{indices:?}"
        );
        assert!(indices[2].mu_star.value == 0.0 && indices[3].mu_star.value == 0.0);
        let m = indices[0].mu_star;
        assert!(m.low <= m.value && m.value <= m.high, "{m:?}");
    }

    #[test]
    fn malformed_inputs_are_errors_not_panics() {
        let points = morris_design(2, 3, 4, &mut rng("d", 3));
        let mut r = rng("b", 3);
        assert!(matches!(
            morris_indices(&points, &[1.0; 5], 2, 10, &mut r),
            Err(SensitivityError::Length { .. })
        ));
        let mut y = vec![1.0; 9];
        y[4] = f64::NAN;
        assert_eq!(
            morris_indices(&points, &y, 2, 10, &mut r),
            Err(SensitivityError::NotFinite(4))
        );
        assert_eq!(
            sobol_indices(&[1.0; 8], 2, 10, &mut r),
            Err(SensitivityError::NoVariance)
        );
        let flat = vec![vec![0.0, 0.0]; 3];
        assert!(matches!(
            morris_indices(&flat, &[1.0, 2.0, 3.0], 2, 10, &mut r),
            Err(SensitivityError::NotATrajectory { .. })
        ));
    }
}
