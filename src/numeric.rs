//! The exponential of the per-person rules, from a table: faster than the C library's `exp`,
//! and the same bits on every processor and C library.
//!
//! Invariant: every value here comes from IEEE 754's basic operations (multiplications,
//! additions, conversions), which every conforming processor rounds the same way, so a
//! run's bytes do not depend on which `exp` kernel the C library picks (glibc picks by
//! processor features; musl and macOS have their own).

use std::cmp::Ordering;

/// log2 of the table's length: 2^(-j / 2048) for j in 0..=2048. Linear interpolation between
/// neighbours is within 1.5 × 10⁻⁸ of the true value, relatively (the error bound of linear
/// interpolation, (ln 2 / 2048)² / 8), finer than the f32 the rules keep their results in.
const TABLE_BITS: u32 = 11;
const TABLE_LEN: usize = 1 << TABLE_BITS;

/// 2^(-2^b / TABLE_LEN) for each bit b of a table index, the nearest f64 to each (computed
/// to 60 digits).
const ROOTS: [f64; TABLE_BITS as usize] = [
    0.9996616064962437,
    0.9993233275026507,
    0.9986471128909702,
    0.9972960560854701,
    0.9945994234836332,
    0.9892280131939755,
    0.9785720620877001,
    0.9576032806985737,
    0.9170040432046712,
    0.8408964152537145,
    std::f64::consts::FRAC_1_SQRT_2,
];

/// 2^(-j / TABLE_LEN) for j in 0..=TABLE_LEN: the product of the [`ROOTS`] of j's bits, lowest
/// first, worked out by the compiler in IEEE 754 arithmetic (the same bits on every target).
static HALVINGS: [f64; TABLE_LEN + 1] = halvings();

const fn halvings() -> [f64; TABLE_LEN + 1] {
    let mut table = [0.5; TABLE_LEN + 1];
    let mut j = 0;
    while j < TABLE_LEN {
        let mut product = 1.0;
        let mut b = 0;
        while b < TABLE_BITS as usize {
            if j & (1 << b) != 0 {
                product *= ROOTS[b];
            }
            b += 1;
        }
        table[j] = product;
        j += 1;
    }
    table
}

/// e^(-x) for x ≥ 0: 2^(-x log2 e), its whole part by the exponent's bits and its fraction
/// by linear interpolation in [`HALVINGS`] (within 1.5 × 10⁻⁸, relatively); 0 where the
/// result would be below f64's normal range (x > 708) and for x = +inf.
#[inline]
pub fn exp_neg(x: f64) -> f64 {
    debug_assert!(x >= 0.0 || x.is_nan(), "exp_neg of a negative: {x}");
    let position = x * (std::f64::consts::LOG2_E * TABLE_LEN as f64);
    // Past 2^-1022 the result is 0; NaN stays NaN.
    match position.partial_cmp(&((1022u64 << TABLE_BITS) as f64)) {
        Some(Ordering::Less) => {}
        Some(_) => return 0.0,
        None => return x,
    }
    // Signed: x86-64 converts i64 in one instruction and u64 in about ten.
    let step = position as i64;
    let within = position - step as f64;
    let j = (step as usize) & (TABLE_LEN - 1);
    let fraction = HALVINGS[j] + within * (HALVINGS[j + 1] - HALVINGS[j]);
    // 2^-whole, put straight into the exponent's bits.
    let whole = (step >> TABLE_BITS) as u64;
    fraction * f64::from_bits((1023 - whole) << 52)
}

/// The share (0-1) whose log-odds are `x`: 1 / (1 + e^(-x)), with [`exp_neg`] of |x|.
#[inline]
pub fn logistic(x: f64) -> f64 {
    let e = exp_neg(x.abs());
    let share = 1.0 / (1.0 + e);
    if x >= 0.0 {
        share
    } else {
        e * share
    }
}

/// `values` combined by `op` in halves: the first half's values with the second's (an odd
/// middle value waits a round), and again, until one is left. The combinations are
/// log2(N) deep instead of a chain of N - 1, in a fixed order, so the same bits everywhere.
#[inline]
pub fn reduce_in_halves<const N: usize>(mut values: [f64; N], op: impl Fn(f64, f64) -> f64) -> f64 {
    let mut len = N;
    while len > 1 {
        let half = len / 2;
        for i in 0..half {
            values[i] = op(values[i], values[i + len - half]);
        }
        len -= half;
    }
    values[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bits of [`HALVINGS`], folded ([`the_bits_are_pinned`]).
    const TABLE_CHECKSUM: u64 = 0x96870624bed3c133;
    /// [`exp_neg`] of 0.1, 1, 2.5, 10 and 100.
    const EXP_NEG_BITS: [u64; 5] = [
        0x3fecf46da0c08e82,
        0x3fd78b563b644910,
        0x3fb50385c56f0551,
        0x3f07cd79badb0515,
        0x36ea8c1f1639c67b,
    ];

    #[test]
    fn the_table_holds_powers_of_a_half() {
        assert_eq!(HALVINGS[0], 1.0);
        assert_eq!(HALVINGS[TABLE_LEN], 0.5);
        for (j, &value) in HALVINGS.iter().enumerate() {
            let exact = (-(j as f64) / TABLE_LEN as f64).exp2();
            assert!(
                (value / exact - 1.0).abs() < 4e-15,
                "2^(-{j}/{TABLE_LEN}): {value}"
            );
        }
    }

    /// The bits are the contract (a run's bytes follow from them): pinned, so that no change
    /// to a literal, the table or the interpolation passes unseen.
    #[test]
    fn the_bits_are_pinned() {
        let checksum = HALVINGS
            .iter()
            .fold(0u64, |sum, value| sum.rotate_left(7) ^ value.to_bits());
        assert_eq!(checksum, TABLE_CHECKSUM, "the table's bits: {checksum:#x}");
        let values = [0.1, 1.0, 2.5, 10.0, 100.0].map(|x| exp_neg(x).to_bits());
        assert_eq!(values, EXP_NEG_BITS, "exp_neg's bits: {values:#x?}");
    }

    #[test]
    fn exp_neg_is_within_its_bound_everywhere() {
        let mut worst = 0.0f64;
        // Every table cell many times, then the whole normal range, to its last hundredth.
        let xs = (0..2_000_000)
            .map(|i| f64::from(i) * 1e-5)
            .chain((0..=70_839).map(|i| f64::from(i) * 0.01));
        for x in xs {
            let error = (exp_neg(x) / (-x).exp() - 1.0).abs();
            worst = worst.max(error);
        }
        assert!(worst < 1.6e-8, "worst relative error {worst:e}");
        assert!(worst > 1e-9, "the bound is loose: {worst:e}");
        assert_eq!(exp_neg(0.0), 1.0);
        // 0 from where the result would leave f64's normal range (2^-1022, at x = 708.396).
        assert!(exp_neg(708.39) > 0.0);
        assert_eq!(exp_neg(708.40), 0.0);
        assert_eq!(exp_neg(800.0), 0.0);
        assert_eq!(exp_neg(f64::INFINITY), 0.0);
        assert!(exp_neg(f64::NAN).is_nan());
    }

    #[test]
    fn the_logistic_is_within_its_bound_and_symmetric() {
        for i in -400_000..=400_000 {
            let x = f64::from(i) * 1e-4;
            let exact = 1.0 / (1.0 + (-x).exp());
            let share = logistic(x);
            assert!(
                (share - exact).abs() <= 1.6e-8 * exact,
                "logistic({x}) = {share}"
            );
            assert!(
                (share + logistic(-x) - 1.0).abs() < 1e-15,
                "logistic({x}) not symmetric"
            );
        }
        assert_eq!(logistic(0.0), 0.5);
        assert_eq!(logistic(f64::INFINITY), 1.0);
        assert_eq!(logistic(f64::NEG_INFINITY), 0.0);
    }

    /// Eight values are added the first four to the last four, then in pairs; an odd count
    /// leaves its middle value for a later round; one value is itself.
    #[test]
    fn values_are_reduced_in_halves_in_a_fixed_order() {
        let v = [0.1, 1e16, 0.3, -1e16, 0.7, 1.0, 1.3, 2.9];
        let add = |a: f64, b: f64| a + b;
        let halves = ((v[0] + v[4]) + (v[2] + v[6])) + ((v[1] + v[5]) + (v[3] + v[7]));
        assert_eq!(reduce_in_halves(v, add).to_bits(), halves.to_bits());
        assert_ne!(
            v.iter().sum::<f64>().to_bits(),
            halves.to_bits(),
            "the order shows"
        );
        let w = [3.0, -1.0, 4.0, 1.0, -5.0, 9.0, 2.0, -6.0, 5.0];
        assert_eq!(reduce_in_halves(w, f64::max), 9.0);
        assert_eq!(reduce_in_halves(w, add), w.iter().sum::<f64>());
        assert_eq!(reduce_in_halves([2.5], add), 2.5);
    }
}
