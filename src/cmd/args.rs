//! Value parsers for the command line: clap calls them as it parses, so a bad value is
//! refused with the flag's name before anything runs (exit code 2).

/// A share of the scenario's budget: `80%` or `0.8`.
pub fn budget_share(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let v = match t.strip_suffix('%') {
        Some(p) => p.trim().parse::<f64>().map(|v| v / 100.0),
        None => t.parse::<f64>(),
    };
    match v {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err(format!(
            "`{text}` is not a budget share; write a percentage such as 80% or a fraction such as 0.8"
        )),
    }
}

/// A capabilities score, 0–100.
pub fn score(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if (0.0..=100.0).contains(&v) => Ok(v),
        _ => Err(format!(
            "`{text}` is not a capabilities score; give a number from 0 to 100, e.g. 60"
        )),
    }
}

/// A share of the population: above 0 and at most 1 (or a percentage).
pub fn population_share(text: &str) -> Result<f64, String> {
    match budget_share(text) {
        Ok(v) if v > 0.0 && v <= 1.0 => Ok(v),
        _ => Err(format!(
            "`{text}` is not a share of the population; give a share above 0 and at most 1, e.g. 0.9 or 90%"
        )),
    }
}

/// A relative MIP gap: 0 (a proven optimum) up to, but not including, 1.
pub fn relative_gap(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if (0.0..1.0).contains(&v) => Ok(v),
        _ => Err(format!(
            "`{text}` is not a relative gap; give a number from 0 (proven optimal) to below 1, e.g. 1e-5"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_read_as_percentages_or_fractions() {
        assert_eq!(budget_share("80%"), Ok(0.8));
        assert_eq!(budget_share(" 1.5 "), Ok(1.5));
        for bad in ["x", "-5%", "inf", ""] {
            assert!(budget_share(bad).is_err(), "{bad}");
        }
        assert_eq!(population_share("90%"), Ok(0.9));
        assert!(population_share("0").is_err());
        assert!(population_share("1.2").is_err());
        assert_eq!(score("60"), Ok(60.0));
        assert!(score("101").is_err());
        assert_eq!(relative_gap("1e-5"), Ok(1e-5));
        for bad in ["1", "-0.1", "NaN", "x"] {
            assert!(relative_gap(bad).is_err(), "{bad}");
        }
    }
}
