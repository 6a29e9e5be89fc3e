//! Footprints: the real 42 (or the first n), synthetic ones beyond 42, and their
//! SYNTHETIC Digital Maturity Index theme scores calibrated to the national means.

use super::num::{self, stream};
use super::sources::{self, Org, RealFootprint};

/// Published national means (HSJ's summary of the 2015/16 DMA, 239 organisations):
/// readiness 73, capabilities 40, enabling infrastructure 68.
pub const NATIONAL_MEANS: [f64; 3] = [73.0, 40.0, 68.0];

/// Spread of each theme on the logit scale, and how strongly the themes share one
/// footprint-wide factor (a digitally strong area tends to score well on all three).
const LOGIT_SPREAD: [f64; 3] = [0.55, 0.50, 0.45];
const SHARED_FACTOR: f64 = 0.6;

const STREAM_SYNTHETIC: u64 = 1;
const STREAM_MATURITY: u64 = 2;

/// A footprint as the generator uses it.
#[derive(Clone, Debug, PartialEq)]
pub struct FootprintPlan {
    pub id: String,
    pub name: String,
    /// Everyday name for "<short> councils".
    pub short: String,
    pub region: String,
    pub population: u64,
    pub weighted_population: u64,
    pub trusts: Vec<Org>,
    pub ccgs: Vec<Org>,
    /// Readiness, capabilities, infrastructure, in tenths of a point.
    pub maturity: [i64; 3],
    pub synthetic: bool,
}

/// `count` footprints: None = the 42 real ones; Some(n) = the first n real ones, then
/// synthetic ones each modelled on a randomly chosen real footprint.
pub fn build(seed: u64, count: Option<usize>) -> Vec<FootprintPlan> {
    let real = sources::real_footprints();
    let n = count.unwrap_or(real.len());
    let mut out: Vec<FootprintPlan> = real.iter().take(n).map(from_real).collect();
    let mut rng = stream(seed, STREAM_SYNTHETIC);
    for k in real.len() + 1..=n {
        let template = &real[num::below(&mut rng, real.len())];
        out.push(synthetic(k, template, &mut rng));
    }
    let scores = maturity(seed, out.len());
    for (f, s) in out.iter_mut().zip(scores) {
        f.maturity = s;
    }
    out
}

fn from_real(r: &RealFootprint) -> FootprintPlan {
    FootprintPlan {
        id: r.id.clone(),
        name: r.name.clone(),
        short: sources::short_name(&r.name),
        region: r.region.clone(),
        population: r.population,
        weighted_population: r.weighted_population,
        trusts: r.trusts.clone(),
        ccgs: r.ccgs.clone(),
        maturity: [0; 3],
        synthetic: false,
    }
}

/// A synthetic footprint: the template's region and organisation counts, its
/// population scaled by a lognormal factor (spread about ±30%), and its weighting ratio.
fn synthetic(
    k: usize,
    template: &RealFootprint,
    rng: &mut rand_chacha::ChaCha8Rng,
) -> FootprintPlan {
    let name = format!("Synthetic footprint {k:04}");
    let population = ((template.population as f64 * num::exp(0.3 * num::normal(rng))).round()
        as u64)
        .max(50_000);
    let ratio = template.weighted_population as f64 / template.population as f64
        * (1.0 + 0.03 * num::normal(rng));
    let weighted_population = (population as f64 * ratio).round() as u64;
    let letters = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let trusts = (0..template.trusts.len().max(1))
        .map(|i| Org {
            code: format!("S{k:04}{}", letters[i % 26] as char),
            name: format!("{name} Hospitals {} NHS Trust", letters[i % 26] as char),
            population: 0,
        })
        .collect();
    let n_ccg = template.ccgs.len().max(1);
    let shares = num::apportion(population as usize, &vec![1.0; n_ccg], 0);
    let ccgs = (0..n_ccg)
        .map(|i| Org {
            code: format!("S{k:04}C{}", i + 1),
            name: format!("NHS {name} area {} CCG", i + 1),
            population: shares[i] as u64,
        })
        .collect();
    FootprintPlan {
        id: format!("SYN{k:04}"),
        short: name.clone(),
        name,
        region: template.region.clone(),
        population,
        weighted_population,
        trusts,
        ccgs,
        maturity: [0; 3],
        synthetic: true,
    }
}

/// SYNTHETIC theme scores for `n` footprints, in tenths: logit-normal draws with a
/// shared factor, shifted so the plain mean is exactly the national mean, then
/// rounded to tenths by largest remainder so the rounded mean is exact too.
pub fn maturity(seed: u64, n: usize) -> Vec<[i64; 3]> {
    let mut rng = stream(seed, STREAM_MATURITY);
    let latent: Vec<[f64; 3]> = (0..n)
        .map(|_| {
            let shared = num::normal(&mut rng);
            let rest = (1.0 - SHARED_FACTOR * SHARED_FACTOR).sqrt();
            [0, 1, 2].map(|_| SHARED_FACTOR * shared + rest * num::normal(&mut rng))
        })
        .collect();
    let mut out = vec![[0i64; 3]; n];
    for t in 0..3 {
        let xs: Vec<f64> = latent.iter().map(|l| LOGIT_SPREAD[t] * l[t]).collect();
        for (o, v) in out
            .iter_mut()
            .zip(calibrated_tenths(&xs, NATIONAL_MEANS[t]))
        {
            o[t] = v;
        }
    }
    out
}

/// Scores 100·σ(s + x) with the shift s that makes the mean `target`, as tenths whose sum is exactly target·10·n.
fn calibrated_tenths(xs: &[f64], target: f64) -> Vec<i64> {
    let n = xs.len();
    if n == 0 {
        return Vec::new();
    }
    let mean_at = |s: f64| xs.iter().map(|x| 100.0 * num::sigmoid(s + x)).sum::<f64>() / n as f64;
    let s = num::solve_increasing(-30.0, 30.0, target, mean_at);
    let vals: Vec<f64> = xs.iter().map(|x| 1000.0 * num::sigmoid(s + x)).collect();
    let mut out: Vec<i64> = vals.iter().map(|v| v.floor() as i64).collect();
    let want = (target * 10.0).round() as i64 * n as i64;
    let short = (want - out.iter().sum::<i64>()).clamp(0, n as i64) as usize;
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        (vals[b] - vals[b].floor())
            .total_cmp(&(vals[a] - vals[a].floor()))
            .then(a.cmp(&b))
    });
    for &i in order.iter().take(short) {
        out[i] += 1;
    }
    for v in &mut out {
        *v = (*v).clamp(0, 1000);
    }
    out
}
