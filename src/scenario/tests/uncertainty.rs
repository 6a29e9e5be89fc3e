//! `[uncertainty]`: what parses, and the catalogue of its mistakes, each naming the
//! line and key to fix.

use super::{error_at, parse, GOOD};
use crate::scenario::uncertainty::Distribution;

const SECTION: &str = "
[uncertainty]
draws = 500
seed = 2016
time_limit_s = 20

[uncertainty.cost_overrun]
all = { low = 0.0, mode = 0.1, high = 0.6 }

[uncertainty.cost_overrun.category]
EPR = { low = 0.0, mode = 0.25, high = 1.0 }

[uncertainty.cost_overrun.project]
P0142 = { low = 0.5, mode = 0.5, high = 0.5 }

[uncertainty.benefit]
all = { low = 0.8, high = 1.2 }
";

fn with(section: &str) -> String {
    format!("{GOOD}{section}")
}

/// The 1-based line of the first line of `text` that starts with `start`.
fn line_of(text: &str, start: &str) -> u64 {
    text.lines()
        .position(|l| l.starts_with(start))
        .expect("the case has the line") as u64
        + 1
}

#[test]
fn an_uncertainty_section_parses_with_every_kind_of_distribution() {
    let s = parse(&with(SECTION)).unwrap();
    let u = s.uncertainty.expect("the section is read");
    assert_eq!((u.draws, u.seed, u.time_limit_s), (500, 2016, Some(20.0)));
    let tri = |low, mode, high| Distribution {
        low,
        mode: Some(mode),
        high,
    };
    assert_eq!(u.cost_overrun.all, Some(tri(0.0, 0.1, 0.6)));
    // A project's own distribution first, then its category's, then every bid's.
    assert_eq!(
        u.cost_overrun.for_bid("P0142", "EPR"),
        Some(tri(0.5, 0.5, 0.5))
    );
    assert_eq!(
        u.cost_overrun.for_bid("P0001", "EPR"),
        Some(tri(0.0, 0.25, 1.0))
    );
    assert_eq!(
        u.cost_overrun.for_bid("P0001", "Wi-Fi"),
        Some(tri(0.0, 0.1, 0.6))
    );
    let uniform = Distribution {
        low: 0.8,
        mode: None,
        high: 1.2,
    };
    assert_eq!(u.benefit.for_bid("P0001", "EPR"), Some(uniform));
    // No section, no draws.
    assert_eq!(parse(GOOD).unwrap().uncertainty, None);
}

#[test]
fn distributions_draw_where_their_cdf_says() {
    let tri = Distribution {
        low: 0.0,
        mode: Some(0.1),
        high: 0.6,
    };
    for u in [0.0, 0.05, 1.0 / 6.0, 0.3, 0.9, 0.999] {
        let x = tri.at(u);
        assert!((tri.cdf(x) - u).abs() < 1e-12, "u {u} → {x}");
    }
    assert_eq!(tri.at(1.0 / 6.0), 0.1, "the mode splits the mass 1:5");
    let uniform = Distribution {
        low: 2.0,
        mode: None,
        high: 4.0,
    };
    assert_eq!(uniform.at(0.25), 2.5);
    let fixed = Distribution {
        low: 0.3,
        mode: Some(0.3),
        high: 0.3,
    };
    assert_eq!((fixed.at(0.0), fixed.at(0.7)), (0.3, 0.3));
}

/// A whole number written with a decimal point is the same number; a large integer
/// seed is kept exactly, not rounded through a float.
#[test]
fn draws_and_seed_are_read_as_the_whole_numbers_written() {
    let text = SECTION
        .replace("draws = 500", "draws = 500.0")
        .replace("seed = 2016", "seed = 9007199254740993");
    let u = parse(&with(&text)).unwrap().uncertainty.unwrap();
    assert_eq!((u.draws, u.seed), (500, 9_007_199_254_740_993));
}

/// The catalogue of `[uncertainty]` mistakes: each names the line and key to fix.
#[test]
fn bad_uncertainty_sections_name_the_place_and_the_fix() {
    let cases: Vec<(String, &str, &str, &str)> = vec![
        (
            SECTION.replace("draws = 500", "draws = 0"),
            "draws =",
            "uncertainty.draws",
            "not a number of draws",
        ),
        (
            SECTION.replace("draws = 500", "draws = 1000000"),
            "draws =",
            "uncertainty.draws",
            "not a number of draws",
        ),
        (
            SECTION.replace("draws = 500", "draws = 2.5"),
            "draws =",
            "uncertainty.draws",
            "2.5 is not a number of draws",
        ),
        (
            SECTION.replace("draws = 500\n", ""),
            "[uncertainty]",
            "uncertainty",
            "how many draws",
        ),
        (
            SECTION.replace("seed = 2016", "seed = -3"),
            "seed =",
            "uncertainty.seed",
            "not a seed",
        ),
        (
            SECTION.replace("seed = 2016", "seed = 2016.5"),
            "seed =",
            "uncertainty.seed",
            "2016.5 is not a seed",
        ),
        (
            SECTION.replace("seed = 2016", "seed = 1e300"),
            "seed =",
            "uncertainty.seed",
            "is not a seed",
        ),
        (
            SECTION.replace("seed = 2016\n", ""),
            "[uncertainty]",
            "uncertainty",
            "no `seed`",
        ),
        (
            SECTION.replace("time_limit_s = 20", "time_limit_s = 0"),
            "time_limit_s = 0",
            "uncertainty.time_limit_s",
            "not a time limit",
        ),
        // low ≤ mode ≤ high
        (
            SECTION.replace(
                "all = { low = 0.0, mode = 0.1, high = 0.6 }",
                "all = { low = 0.3, mode = 0.1, high = 0.6 }",
            ),
            "all = { low = 0.3",
            "uncertainty.cost_overrun.all",
            "not between low",
        ),
        (
            SECTION.replace(
                "all = { low = 0.0, mode = 0.1, high = 0.6 }",
                "all = { low = 0.5, high = 0.2 }",
            ),
            "all = { low = 0.5",
            "uncertainty.cost_overrun.all",
            "above high",
        ),
        // Overruns within the Green Book's optimism-bias bounds: 0 to +200%.
        (
            SECTION.replace(
                "EPR = { low = 0.0, mode = 0.25, high = 1.0 }",
                "EPR = { low = 0.0, mode = 0.25, high = 2.5 }",
            ),
            "EPR =",
            "uncertainty.cost_overrun.category.EPR",
            "outside 0 to 2",
        ),
        (
            SECTION.replace(
                "P0142 = { low = 0.5, mode = 0.5, high = 0.5 }",
                "P0142 = { low = -0.2, mode = 0.5, high = 0.5 }",
            ),
            "P0142 =",
            "uncertainty.cost_overrun.project.P0142",
            "outside 0 to 2",
        ),
        (
            SECTION.replace(
                "all = { low = 0.8, high = 1.2 }",
                "all = { low = 0.8, high = 12 }",
            ),
            "all = { low = 0.8",
            "uncertainty.benefit.all",
            "outside 0 to 10",
        ),
        (
            "\n[uncertainty]\ndraws = 5\nseed = 1\n".to_string(),
            "[uncertainty]",
            "uncertainty",
            "gives no distribution",
        ),
    ];
    for (section, at, key, words) in cases {
        let text = with(&section);
        let (l, _c, k, msg) = error_at(&text);
        assert_eq!((l, k.as_deref()), (line_of(&text, at), Some(key)), "{msg}");
        assert!(msg.contains(words), "expected {words:?} in {msg:?}");
    }
}

#[test]
fn unknown_uncertainty_keys_and_wrong_types_are_refused() {
    for (bad, words) in [
        (
            SECTION.replace("draws = 500", "drawz = 500"),
            "unknown field `drawz`",
        ),
        (
            SECTION.replace("mode = 0.1,", "peak = 0.1,"),
            "unknown field `peak`",
        ),
        (
            SECTION.replace("[uncertainty.benefit]", "[uncertainty.benefits]"),
            "unknown field `benefits`",
        ),
    ] {
        let (_, _, _, msg) = error_at(&with(&bad));
        assert!(msg.contains(words), "expected {words:?} in {msg:?}");
    }
}

proptest::proptest! {
    /// Any distribution the scenario allows (ties, zero width, zero bounds, a mode at
    /// either end) draws within its bounds, never less for a larger uniform number, and
    /// where its CDF says.
    #[test]
    fn draws_stay_in_bounds_and_follow_the_cdf(
        a in proptest::prop_oneof![proptest::strategy::Just(0.0), 0.0..2.0f64],
        b in proptest::prop_oneof![proptest::strategy::Just(0.0), 0.0..2.0f64],
        c in proptest::prop_oneof![proptest::strategy::Just(2.0), 0.0..2.0f64],
        triangular in proptest::bool::ANY,
        u in 0.0..1.0f64,
        v in 0.0..1.0f64,
    ) {
        let mut sorted = [a, b, c];
        sorted.sort_by(f64::total_cmp);
        let d = Distribution {
            low: sorted[0],
            mode: triangular.then_some(sorted[1]),
            high: sorted[2],
        };
        let (x, y) = (d.at(u.min(v)), d.at(u.max(v)));
        proptest::prop_assert!(d.low <= x && x <= y && y <= d.high, "{d:?} {u} {v}");
        if d.high - d.low > 1e-3 {
            proptest::prop_assert!((d.cdf(d.at(u)) - u).abs() < 1e-6, "{d:?} {u}");
        }
    }
}
