//! Numbers in dataset cells, as spreadsheets write them. A thousands separator is
//! accepted only where it cannot be a decimal comma (`1,234.5`, `12,345`), a `£` only
//! on money, a `%` only on a share; anything else with a comma is refused rather than
//! guessed at, because `583,3` read as 5833 is a wrong answer nobody would notice.
//! Each kind of number also has sane bounds, checked where the cell is read.

use crate::format::{clip, ECHO};

/// What a column holds, which decides the forms and the bounds it accepts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// An amount in £k: costs and benefit. `£` allowed; 0, or 0.001 (£1) to 1e9 (£1tn).
    Money,
    /// A share, 0 to 1 (`min_fraction`); `25%` means 0.25.
    Share,
    /// A Digital Maturity Index score, 0 to 100.
    Score,
    /// Capability points added by a project, 0 to 100.
    Uplift,
    /// People: above 0 and at most 1e9.
    Population,
    /// An optimism-bias uplift on capital, 0 to 2 (the Green Book's bounds for IT);
    /// `50%` means 0.5.
    Bias,
    /// A whole number of years, 0 to 500 (`life_years`).
    Years,
}

/// The largest amount of money a cell may hold, £k: a trillion pounds.
pub const MAX_MONEY: f64 = 1e9;
/// The smallest amount of money other than zero, £k (£1): the solver's tolerances
/// cannot tell smaller amounts from zero.
pub const MIN_MONEY: f64 = 1e-3;
/// The largest population: more people than England, by far.
pub const MAX_POPULATION: f64 = 1e9;

impl Kind {
    /// What the column holds, in words, for messages.
    pub fn what(self) -> &'static str {
        match self {
            Kind::Money => "an amount in £k",
            Kind::Share => "a share",
            Kind::Score => "a score",
            Kind::Uplift => "a maturity uplift (capability points)",
            Kind::Population => "a population (people)",
            Kind::Bias => "an optimism-bias uplift",
            Kind::Years => "a number of years",
        }
    }

    /// How to write a value of this kind, for the fix of a message.
    pub fn example(self) -> &'static str {
        match self {
            Kind::Money => "write an amount in £k as a plain number, e.g. 1250.5 for £1,250,500",
            Kind::Share => "write a share between 0 and 1, e.g. 0.25 (or 25%)",
            Kind::Score => "write a score on the 0–100 scale as a plain number, e.g. 45.5",
            Kind::Uplift => {
                "write capability points on the 0–100 scale as a plain number, e.g. 2.5"
            }
            Kind::Population => "write the number of people as a plain number, e.g. 1760720",
            Kind::Bias => "write an uplift on capital from 0 to 2, e.g. 0.25 (or 25%) for +25%",
            Kind::Years => "write a whole number of years, e.g. 8",
        }
    }

    /// The bounds of this kind, or the problem and fix for a value outside them.
    pub fn check(self, v: f64) -> Result<(), (String, String)> {
        let out = |problem: String, fix: &str| Err((problem, fix.to_string()));
        match self {
            Kind::Money if v < 0.0 => out(
                format!("{v} is negative"),
                "an amount in £k cannot be negative; write 0 for none",
            ),
            Kind::Money if v > MAX_MONEY => out(
                format!("{v} is more than £1 trillion (1e9 £k)"),
                "amounts are in £ thousands: divide an amount in pounds by 1000",
            ),
            Kind::Money if v != 0.0 && v < MIN_MONEY => out(
                format!("{v} is less than £1 (0.001 £k), too small to tell from zero"),
                "write 0, or an amount of at least 0.001 (£k)",
            ),
            Kind::Share if !(0.0..=1.0).contains(&v) => out(
                format!("{v} is not a share"),
                "write the smallest fundable share between 0 and 1, e.g. 0.5 (or 50%)",
            ),
            Kind::Score if !(0.0..=100.0).contains(&v) => out(
                format!("score {v} is outside 0–100"),
                "Digital Maturity Index theme scores run from 0 to 100",
            ),
            Kind::Uplift if v < 0.0 => out(
                format!("{v} is negative"),
                "a maturity uplift cannot be negative",
            ),
            Kind::Uplift if v > 100.0 => out(
                format!("uplift {v} is above 100"),
                "an uplift is in capability points on the 0–100 scale",
            ),
            Kind::Population if v < 0.0 => out(
                format!("{v} is negative"),
                "a population cannot be negative",
            ),
            Kind::Population if v == 0.0 => out(
                "population is zero".into(),
                "give the footprint's registered population (people)",
            ),
            Kind::Population if v > MAX_POPULATION => out(
                format!("{v} is more than a billion people"),
                "give the footprint's registered population (people)",
            ),
            Kind::Bias if !(0.0..=2.0).contains(&v) => out(
                format!("optimism bias {v} is outside 0–2"),
                "an uplift on capital runs from 0 to 2 (the Green Book's bounds for IT are +10% to +200%)",
            ),
            Kind::Years if !(0.0..=500.0).contains(&v) || v.fract() != 0.0 => out(
                format!("{v} is not a whole number of years from 0 to 500"),
                "write how many years the running cost is paid after the fund's years, e.g. 8",
            ),
            _ => Ok(()),
        }
    }
}

/// Parses one non-empty cell as a number of `kind` (bounds are checked separately by
/// [`Kind::check`]). The error is (problem, fix).
pub fn parse(text: &str, kind: Kind) -> Result<f64, (String, String)> {
    let shown = clip(text, ECHO);
    let not_a_number = || {
        (
            format!("`{shown}` is not a number"),
            kind.example().to_string(),
        )
    };
    let (negative, rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let rest = match rest.strip_prefix('£') {
        Some(r) if kind == Kind::Money => r.trim_start(),
        Some(_) => {
            return Err((
                format!("`{shown}` has a £ sign, but this column is not money"),
                kind.example().to_string(),
            ))
        }
        None => rest,
    };
    let (rest, percent) = match rest.strip_suffix('%') {
        Some(r) if matches!(kind, Kind::Share | Kind::Bias) => (r.trim_end(), true),
        Some(_) => {
            return Err((
                format!("`{shown}` is a percentage, but this column is not a share"),
                kind.example().to_string(),
            ))
        }
        None => (rest, false),
    };
    let plain;
    let digits = if rest.contains(',') {
        if !thousands_grouped(rest) {
            return Err((
                format!("`{shown}` has a comma that is not a thousands separator"),
                "decimal commas are not supported; save the sheet with a decimal point (e.g. 583.3, or 1,234.5 with a thousands separator)".into(),
            ));
        }
        plain = rest.replace(',', "");
        plain.as_str()
    } else {
        rest
    };
    // Only digits, one point and an exponent: Rust's parser would also take `inf`,
    // `NaN` and `infinity`, which no spreadsheet means as a cost.
    if !digits.bytes().any(|b| b.is_ascii_digit())
        || !digits
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        if matches!(
            digits.to_ascii_lowercase().as_str(),
            "inf" | "infinity" | "nan"
        ) {
            return Err((
                format!("`{shown}` is not a finite number"),
                kind.example().to_string(),
            ));
        }
        return Err(not_a_number());
    }
    let v: f64 = digits.parse().map_err(|_| not_a_number())?;
    if !v.is_finite() {
        return Err((
            format!("`{shown}` is not a finite number"),
            kind.example().to_string(),
        ));
    }
    let v = if percent { v / 100.0 } else { v };
    // `+ 0.0` turns -0 into 0, so no report shows "-0".
    Ok(if negative { -v } else { v } + 0.0)
}

/// `1,234`, `12,345.5`, `1,234,567`: groups of three after the first, before any point.
fn thousands_grouped(text: &str) -> bool {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if fraction.contains(',') {
        return false;
    }
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or("");
    (1..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_digit())
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str, kind: Kind) -> f64 {
        parse(text, kind).unwrap_or_else(|e| panic!("{text}: {e:?}"))
    }

    fn refused(text: &str, kind: Kind) -> String {
        let (p, f) = parse(text, kind).expect_err(text);
        format!("{p} / {f}")
    }

    #[test]
    fn unambiguous_thousands_separators_are_accepted() {
        assert_eq!(ok("1,234.5", Kind::Money), 1234.5);
        assert_eq!(ok("12,345", Kind::Money), 12345.0);
        assert_eq!(ok("1,234,567", Kind::Population), 1234567.0);
        assert_eq!(ok("583.3", Kind::Money), 583.3);
        assert_eq!(ok("1.5e3", Kind::Money), 1500.0);
        assert_eq!(ok("-0", Kind::Money).to_bits(), 0f64.to_bits());
    }

    #[test]
    fn decimal_commas_are_refused_not_guessed() {
        // Regression: every comma used to be stripped, so `583,3` read as 5833.
        for text in [
            "583,3",
            "1.234,5",
            "1,2",
            "1,23",
            "1,2345",
            ",123",
            "1,,234",
            "1,234,5",
            "1.234,567",
        ] {
            let m = refused(text, Kind::Money);
            assert!(
                m.contains("decimal commas are not supported; save the sheet with a decimal point"),
                "{text}: {m}"
            );
        }
    }

    #[test]
    fn pound_signs_only_on_money_and_percent_only_on_shares() {
        assert_eq!(ok("£1,250.5", Kind::Money), 1250.5);
        assert_eq!(ok("£ 12", Kind::Money), 12.0);
        assert_eq!(ok("25%", Kind::Share), 0.25);
        assert_eq!(ok("12.5 %", Kind::Share), 0.125);
        assert!(refused("£5", Kind::Score).contains("not money"));
        let m = refused("25%", Kind::Money);
        assert!(
            m.contains("percentage") && m.contains("amount in £k") && m.contains("1250.5"),
            "{m}"
        );
        let m = refused("45%", Kind::Score);
        assert!(m.contains("0–100") && !m.contains("1250.5"), "{m}");
    }

    #[test]
    fn words_and_non_finite_values_are_refused() {
        assert!(refused("lots", Kind::Money).contains("`lots` is not a number"));
        assert!(refused("12.5m", Kind::Money).contains("is not a number"));
        for t in ["NaN", "inf", "-inf", "infinity", "1e999"] {
            assert!(
                refused(t, Kind::Money).contains("not a finite number"),
                "{t}"
            );
        }
        let long = "9".repeat(500) + "x";
        let m = refused(&long, Kind::Money);
        assert!(m.len() < 300 && m.contains('…'), "{m}");
    }

    #[test]
    fn bounds_per_kind() {
        assert!(Kind::Money.check(1e9).is_ok());
        assert!(Kind::Money
            .check(1.0001e9)
            .unwrap_err()
            .0
            .contains("trillion"));
        assert!(Kind::Money.check(0.0).is_ok());
        assert!(Kind::Money.check(0.001).is_ok());
        assert!(Kind::Money
            .check(0.0004)
            .unwrap_err()
            .0
            .contains("less than £1"));
        assert!(Kind::Population.check(0.0).is_err());
        assert!(Kind::Population
            .check(2e9)
            .unwrap_err()
            .0
            .contains("billion"));
        assert!(Kind::Score.check(100.5).is_err());
        assert!(Kind::Share.check(1.01).is_err());
    }
}
