//! Portable, seeded arithmetic for the generator.
//!
//! The committed dataset must be byte-identical to what `generate` makes on any
//! machine, so every number is drawn and transformed with IEEE 754 basic
//! operations only (+ − × ÷ and `sqrt`, all correctly rounded by the standard),
//! never with the platform's maths library (`exp`, `ln`, `powf` may differ in
//! the last bit between libms). The only randomness is ChaCha8's word stream,
//! which is specified exactly; rand's own distributions and shuffles are not
//! used, so a rand patch release cannot change the data either.

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// One independent random stream per purpose, so that (for example) asking for
/// more projects does not change the footprints' maturity scores.
pub fn stream(seed: u64, purpose: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(purpose);
    rng
}

/// Uniform in [0, 1), from the top 53 bits of one word.
pub fn uniform(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// Uniform in [lo, hi).
pub fn uniform_in(rng: &mut ChaCha8Rng, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * uniform(rng)
}

/// A whole number in 0..n (n > 0). The bias for n far below 2^53 is negligible.
pub fn below(rng: &mut ChaCha8Rng, n: usize) -> usize {
    debug_assert!(n > 0);
    ((uniform(rng) * n as f64) as usize).min(n - 1)
}

/// True with probability p.
pub fn chance(rng: &mut ChaCha8Rng, p: f64) -> bool {
    uniform(rng) < p
}

/// Standard normal, approximated by the Irwin–Hall sum of 12 uniforms
/// (mean 0, sd 1, support ±6): ample for synthetic spreads and fully portable.
pub fn normal(rng: &mut ChaCha8Rng) -> f64 {
    (0..12).map(|_| uniform(rng)).sum::<f64>() - 6.0
}

/// Lognormal with the given median and log-scale spread.
pub fn lognormal(rng: &mut ChaCha8Rng, median: f64, sigma: f64) -> f64 {
    median * exp(sigma * normal(rng))
}

/// Index drawn with probability proportional to `weights` (not all zero).
pub fn weighted(rng: &mut ChaCha8Rng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut x = uniform(rng) * total;
    for (i, &w) in weights.iter().enumerate() {
        if x < w {
            return i;
        }
        x -= w;
    }
    weights.iter().rposition(|&w| w > 0.0).unwrap_or(0)
}

/// Fisher–Yates shuffle driven by `below`.
pub fn shuffle<T>(rng: &mut ChaCha8Rng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = below(rng, i + 1);
        items.swap(i, j);
    }
}

/// e^x with basic operations only: x = k·ln2 + r, |r| ≤ ln2/2, Taylor series for e^r.
pub fn exp(x: f64) -> f64 {
    let x = x.clamp(-700.0, 700.0);
    let k = (x / std::f64::consts::LN_2).round();
    let r = x - k * std::f64::consts::LN_2;
    let mut term = 1.0;
    let mut sum = 1.0;
    for n in 1..=20 {
        term *= r / n as f64;
        sum += term;
    }
    // 2^k built from its bits: exact, and k stays within the normal range here.
    sum * f64::from_bits(((k as i64 + 1023) as u64) << 52)
}

/// The logistic function 1 / (1 + e^−x).
pub fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + exp(-x))
}

/// Rounds to a whole number of tenths (£100 for money in £k, 0.1 points for scores).
pub fn tenths(x: f64) -> i64 {
    (x * 10.0).round() as i64
}

/// Writes a count of tenths as a decimal with one place, e.g. 12345 → `1234.5`.
pub fn fmt_tenths(t: i64) -> String {
    let sign = if t < 0 { "-" } else { "" };
    let a = t.unsigned_abs();
    format!("{sign}{}.{}", a / 10, a % 10)
}

/// Splits `total` whole units in proportion to `weights` by largest remainder
/// (ties to the lower index), except that no item gets less than `floor` while
/// the total allows it: items whose share falls short are raised to the floor
/// and the rest share what remains.
pub fn apportion(total: usize, weights: &[f64], floor: usize) -> Vec<usize> {
    let n = weights.len();
    if n == 0 {
        return Vec::new();
    }
    let floor = floor.min(total / n);
    let mut fixed = vec![false; n];
    loop {
        let rest = total - floor * fixed.iter().filter(|&&f| f).count();
        let sum: f64 = (0..n).filter(|&i| !fixed[i]).map(|i| weights[i]).sum();
        let short: Vec<usize> = (0..n)
            .filter(|&i| {
                !fixed[i] && (sum <= 0.0 || weights[i] / sum * (rest as f64) < floor as f64)
            })
            .collect();
        if short.is_empty() || short.len() == fixed.iter().filter(|&&f| !f).count() {
            break;
        }
        for i in short {
            fixed[i] = true;
        }
    }
    let mut out: Vec<usize> = fixed.iter().map(|&f| if f { floor } else { 0 }).collect();
    let free: Vec<usize> = (0..n).filter(|&i| !fixed[i]).collect();
    let rest = total - floor * (n - free.len());
    let sum: f64 = free.iter().map(|&i| weights[i]).sum();
    let quotas: Vec<f64> = free
        .iter()
        .map(|&i| {
            if sum > 0.0 {
                weights[i] / sum * rest as f64
            } else {
                rest as f64 / free.len() as f64
            }
        })
        .collect();
    let mut given = 0;
    for (&i, q) in free.iter().zip(&quotas) {
        let whole = q.floor() as usize;
        out[i] = whole;
        given += whole;
    }
    let mut order: Vec<usize> = (0..free.len()).collect();
    order.sort_by(|&a, &b| {
        let ra = quotas[a] - quotas[a].floor();
        let rb = quotas[b] - quotas[b].floor();
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for &k in order.iter().cycle().take(rest.saturating_sub(given)) {
        out[free[k]] += 1;
    }
    out
}

/// Smallest-step bisection for an increasing function: the x in [lo, hi] where f(x) = target
/// (or the nearer end if the target is out of reach).
pub fn solve_increasing(mut lo: f64, mut hi: f64, target: f64, f: impl Fn(f64) -> f64) -> f64 {
    if f(lo) >= target {
        return lo;
    }
    if f(hi) <= target {
        return hi;
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if f(mid) < target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portable_exp_matches_libm_closely() {
        for i in -400..=400 {
            let x = i as f64 * 0.05;
            let (ours, libm) = (exp(x), x.exp());
            assert!(
                ((ours - libm) / libm).abs() < 1e-14,
                "exp({x}): {ours} vs {libm}"
            );
        }
    }

    #[test]
    fn apportion_gives_the_total_and_the_floor() {
        let v = apportion(100, &[1.0, 2.0, 3.0, 0.1], 5);
        assert_eq!(v.iter().sum::<usize>(), 100);
        assert!(v.iter().all(|&x| x >= 5));
        assert_eq!(
            apportion(3, &[1.0, 1.0, 1.0, 1.0], 5).iter().sum::<usize>(),
            3
        );
        // Proportional where the floor does not bind.
        assert_eq!(apportion(100, &[10.0, 30.0, 60.0], 5), vec![10, 30, 60]);
        assert_eq!(apportion(100, &[1.0, 49.5, 49.5], 5), vec![5, 48, 47]);
        assert_eq!(apportion(10, &[0.0, 0.0], 0).iter().sum::<usize>(), 10);
        assert_eq!(fmt_tenths(12345), "1234.5");
        assert_eq!(fmt_tenths(7), "0.7");
        assert_eq!(fmt_tenths(0), "0.0");
    }

    #[test]
    fn normal_has_unit_spread() {
        let mut rng = stream(1, 1);
        let xs: Vec<f64> = (0..20_000).map(|_| normal(&mut rng)).collect();
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / xs.len() as f64;
        assert!(
            mean.abs() < 0.03 && (var.sqrt() - 1.0).abs() < 0.03,
            "{mean} {var}"
        );
    }
}
