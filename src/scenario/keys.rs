//! Every key a scenario file may set and the type of its value, checked on each file
//! of an `extends` chain before anything is merged, so a wrong type or an unknown key
//! is named with its table and key, in the file that has it.

use crate::format::{clip, ECHO};

/// The type a key's value must have.
pub(super) enum Ty {
    Text,
    Bool,
    Number,
    Numbers,
    Texts,
    Table(&'static [Key]),
    Tables(&'static [Key]),
    /// A table whose keys are names the analyst chooses (categories), each a number.
    NumberMap,
    /// A table whose keys are names the user chooses (categories, project ids), each
    /// set to a table of these keys.
    Named(&'static [Key]),
}

/// A key, its type and how to write it (for the fix).
pub(super) struct Key {
    pub name: &'static str,
    pub ty: Ty,
    pub example: &'static str,
}

const fn key(name: &'static str, ty: Ty, example: &'static str) -> Key {
    Key { name, ty, example }
}

const LIMIT: &[Key] = &[
    key(
        "share_of_fair_share",
        Ty::Number,
        "share_of_fair_share = 0.25",
    ),
    key("amount", Ty::Number, "amount = 5000"),
];

pub(super) const SCENARIO: &[Key] = &[
    key("name", Ty::Text, "name = \"baseline\""),
    key("description", Ty::Text, "description = \"…\""),
    key("data", Ty::Text, "data = \"../data\""),
    key("extends", Ty::Text, "extends = \"baseline.toml\""),
    key("years", Ty::Texts, "years = [\"2016/17\", \"2017/18\"]"),
    key(
        "budget",
        Ty::Table(&[
            key("capital", Ty::Numbers, "capital = [346154, 346154]"),
            key("revenue", Ty::Numbers, "revenue = [13846, 55385]"),
            key(
                "revenue_to_capital_max",
                Ty::Number,
                "revenue_to_capital_max = 0.1",
            ),
            key("carry_forward_max", Ty::Number, "carry_forward_max = 0.05"),
        ]),
        "[budget]",
    ),
    key(
        "phasing",
        Ty::Table(&[key("may_defer", Ty::Number, "may_defer = 1")]),
        "[phasing]",
    ),
    key(
        "match",
        Ty::Table(&[key(
            "min_share",
            Ty::NumberMap,
            "min_share = { \"EPR\" = 0.5 }",
        )]),
        "[match]",
    ),
    key(
        "objective",
        Ty::Table(&[
            key("kind", Ty::Text, "kind = \"maturity\""),
            key("need", Ty::Text, "need = \"least_mature_first\""),
        ]),
        "[objective]",
    ),
    key(
        "funding",
        Ty::Table(&[key("mode", Ty::Text, "mode = \"all_or_nothing\"")]),
        "[funding]",
    ),
    key(
        "rules",
        Ty::Table(&[
            key(
                "min_benefit_per_pound",
                Ty::Number,
                "min_benefit_per_pound = 1.0",
            ),
            key("min_bcr", Ty::Number, "min_bcr = 1.5"),
            key("lock_in", Ty::Texts, "lock_in = [\"P0142\"]"),
            key("lock_out", Ty::Texts, "lock_out = [\"P0007\"]"),
            key(
                "fair_share",
                Ty::Text,
                "fair_share = \"weighted_population\"",
            ),
            key(
                "footprint",
                Ty::Tables(&[
                    key("id", Ty::Text, "id = \"E54000007\""),
                    key("name", Ty::Text, "name = \"Greater Manchester\""),
                    key("floor", Ty::Number, "floor = 60000"),
                    key("cap", Ty::Number, "cap = 90000"),
                ]),
                "[[rules.footprint]]",
            ),
            key(
                "region",
                Ty::Tables(&[
                    key("region", Ty::Text, "region = \"London\""),
                    key("floor", Ty::Number, "floor = 200000"),
                    key("cap", Ty::Number, "cap = 400000"),
                ]),
                "[[rules.region]]",
            ),
            key(
                "footprint_floor",
                Ty::Table(LIMIT),
                "[rules.footprint_floor]",
            ),
            key("footprint_cap", Ty::Table(LIMIT), "[rules.footprint_cap]"),
            key(
                "category",
                Ty::Tables(&[
                    key("category", Ty::Text, "category = \"EPR\""),
                    key("min_share", Ty::Number, "min_share = 0.1"),
                    key("max_share", Ty::Number, "max_share = 0.5"),
                ]),
                "[[rules.category]]",
            ),
        ]),
        "[rules]",
    ),
    key(
        "ignore",
        Ty::Table(&[
            key("floors", Ty::Bool, "floors = true"),
            key("caps", Ty::Bool, "caps = true"),
            key("categories", Ty::Bool, "categories = true"),
            key("dependencies", Ty::Bool, "dependencies = true"),
            key("hurdle", Ty::Bool, "hurdle = true"),
            key("must_fund", Ty::Bool, "must_fund = true"),
        ]),
        "[ignore]",
    ),
    key(
        "solver",
        Ty::Table(&[
            key("mip_gap", Ty::Number, "mip_gap = 1e-3"),
            key("time_limit_s", Ty::Number, "time_limit_s = 120"),
            key("heuristic", Ty::Bool, "heuristic = false"),
            key("random_seed", Ty::Number, "random_seed = 1"),
        ]),
        "[solver]",
    ),
    key(
        "target",
        Ty::Table(&[
            key("capabilities", Ty::Number, "capabilities = 60"),
            key("population_share", Ty::Number, "population_share = 1.0"),
        ]),
        "[target]",
    ),
    key(
        "alternatives",
        Ty::Table(&[
            key("count", Ty::Number, "count = 5"),
            key("within", Ty::Number, "within = 0.005"),
            key("differ_by", Ty::Number, "differ_by = 10"),
        ]),
        "[alternatives]",
    ),
    key(
        "uncertainty",
        Ty::Table(&[
            key("draws", Ty::Number, "draws = 500"),
            key("seed", Ty::Number, "seed = 2016"),
            key("time_limit_s", Ty::Number, "time_limit_s = 30"),
            key(
                "cost_overrun",
                Ty::Table(BY_BID),
                "[uncertainty.cost_overrun]",
            ),
            key("benefit", Ty::Table(BY_BID), "[uncertainty.benefit]"),
        ]),
        "[uncertainty]",
    ),
    key(
        "appraisal",
        Ty::Table(&[
            key("period", Ty::Number, "period = 10"),
            key("base_year", Ty::Text, "base_year = \"2016/17\""),
            key("optimism_bias", Ty::Number, "optimism_bias = 0.2"),
            key(
                "optimism_bias_in_budget",
                Ty::Bool,
                "optimism_bias_in_budget = true",
            ),
            key("duration_bias", Ty::Number, "duration_bias = 0.54"),
            key(
                "discount",
                Ty::Tables(&[
                    key("from_year", Ty::Number, "from_year = 31"),
                    key("rate", Ty::Number, "rate = 0.03"),
                ]),
                "[[appraisal.discount]]",
            ),
            key(
                "category",
                Ty::Tables(&[
                    key("category", Ty::Text, "category = \"EPR\""),
                    key("optimism_bias", Ty::Number, "optimism_bias = 0.66"),
                    key("duration_bias", Ty::Number, "duration_bias = 0.54"),
                ]),
                "[[appraisal.category]]",
            ),
        ]),
        "[appraisal]",
    ),
];

const DISTRIBUTION: &[Key] = &[
    key("low", Ty::Number, "low = 0.0"),
    key("mode", Ty::Number, "mode = 0.1"),
    key("high", Ty::Number, "high = 0.6"),
];

const BY_BID: &[Key] = &[
    key(
        "all",
        Ty::Table(DISTRIBUTION),
        "all = { low = 0.0, mode = 0.1, high = 0.6 }",
    ),
    key(
        "category",
        Ty::Named(DISTRIBUTION),
        "EPR = { low = 0.0, mode = 0.2, high = 1.0 }",
    ),
    key(
        "project",
        Ty::Named(DISTRIBUTION),
        "P0142 = { low = 0.0, high = 0.5 }",
    ),
];

/// A key that is wrong: where it is (its table, its key, and which entry of an array of
/// tables), the problem and the fix.
#[derive(Debug)]
pub(super) struct Wrong {
    pub table: String,
    pub key: String,
    /// For a key in `[[rules.category]]`, which entry (0-based); 0 otherwise.
    pub entry: usize,
    pub problem: String,
    pub fix: String,
}

/// The first key in `table` that is unknown or has a value of the wrong type.
pub(super) fn check(table: &toml::Table) -> Option<Wrong> {
    check_table(table, SCENARIO, "", 0)
}

fn check_table(table: &toml::Table, keys: &[Key], path: &str, entry: usize) -> Option<Wrong> {
    let shown_table = if path.is_empty() {
        "the top level".to_string()
    } else {
        format!("[{path}]")
    };
    for (name, value) in table {
        let Some(k) = keys.iter().find(|k| k.name == name) else {
            let known: Vec<String> = keys.iter().map(|k| format!("`{}`", k.name)).collect();
            let near = crate::dataset::text::nearest(name, keys.iter().map(|k| k.name));
            return Some(Wrong {
                table: path.to_string(),
                key: name.clone(),
                entry,
                problem: format!(
                    "unknown field `{}` in {shown_table}, expected one of {}",
                    clip(name, ECHO),
                    crate::format::listing(
                        &known.iter().map(String::as_str).collect::<Vec<_>>(),
                        10
                    )
                ),
                fix: match near {
                    Some(n) => {
                        format!("did you mean `{n}`? Rename it; README.md lists every scenario key")
                    }
                    None => {
                        "remove it, or fix its spelling; README.md lists every scenario key".into()
                    }
                },
            });
        };
        let full = if path.is_empty() {
            k.name.to_string()
        } else {
            format!("{path}.{}", k.name)
        };
        let wrong = |expected: &str, got: &toml::Value| Wrong {
            table: path.to_string(),
            key: k.name.to_string(),
            entry,
            problem: format!(
                "`{}` must be {expected}, but it is {}",
                shown_key(path, k.name),
                describe(got)
            ),
            fix: format!("write it like {}", k.example),
        };
        match (&k.ty, value) {
            (Ty::Text, toml::Value::String(_)) => {}
            (Ty::Bool, toml::Value::Boolean(_)) => {}
            (Ty::Number, toml::Value::Integer(_) | toml::Value::Float(_)) => {}
            (Ty::Numbers, toml::Value::Array(items)) => {
                if let Some((i, bad)) = items
                    .iter()
                    .enumerate()
                    .find(|(_, v)| !matches!(v, toml::Value::Integer(_) | toml::Value::Float(_)))
                {
                    let mut w = wrong("a list of numbers", bad);
                    w.problem = format!(
                        "item {} of `{}` must be a number, but it is {}",
                        i + 1,
                        shown_key(path, k.name),
                        describe(bad)
                    );
                    return Some(w);
                }
            }
            (Ty::Texts, toml::Value::Array(items)) => {
                if let Some((i, bad)) = items
                    .iter()
                    .enumerate()
                    .find(|(_, v)| !matches!(v, toml::Value::String(_)))
                {
                    let mut w = wrong("a list of text", bad);
                    w.problem = format!(
                        "item {} of `{}` must be text in quotes, but it is {}",
                        i + 1,
                        shown_key(path, k.name),
                        describe(bad)
                    );
                    return Some(w);
                }
            }
            (Ty::Table(inner), toml::Value::Table(t)) => {
                if let Some(w) = check_table(t, inner, &full, 0) {
                    return Some(w);
                }
            }
            (Ty::Tables(inner), toml::Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let toml::Value::Table(t) = item else {
                        let written = format!("a list of tables, written [[{full}]]");
                        return Some(wrong(&written, item));
                    };
                    if let Some(w) = check_table(t, inner, &full, i) {
                        return Some(w);
                    }
                }
            }
            (Ty::NumberMap, toml::Value::Table(t)) => {
                if let Some((name, bad)) = t
                    .iter()
                    .find(|(_, v)| !matches!(v, toml::Value::Integer(_) | toml::Value::Float(_)))
                {
                    let mut w = wrong("a table of numbers", bad);
                    w.problem = format!(
                        "`{}` for `{}` must be a number, but it is {}",
                        shown_key(path, k.name),
                        clip(name, ECHO),
                        describe(bad)
                    );
                    return Some(w);
                }
            }
            (Ty::NumberMap, v) => return Some(wrong("a table of numbers", v)),
            (Ty::Named(inner), toml::Value::Table(t)) => {
                for (name, item) in t {
                    let toml::Value::Table(each) = item else {
                        return Some(wrong("a table of named tables", item));
                    };
                    if let Some(w) = check_table(each, inner, &format!("{full}.{name}"), 0) {
                        return Some(w);
                    }
                }
            }
            (Ty::Text, v) => return Some(wrong("text in quotes", v)),
            (Ty::Bool, v) => return Some(wrong("true or false", v)),
            (Ty::Number, v) => return Some(wrong("a number", v)),
            (Ty::Numbers, v) => return Some(wrong("a list of numbers", v)),
            (Ty::Texts, v) => return Some(wrong("a list of text", v)),
            (Ty::Table(_), v) => return Some(wrong("a table", v)),
            (Ty::Tables(_), v) => return Some(wrong("a list of tables", v)),
            (Ty::Named(_), v) => return Some(wrong("a table", v)),
        }
    }
    None
}

/// `[solver] mip_gap`, or `name` at the top level.
fn shown_key(table: &str, key: &str) -> String {
    if table.is_empty() {
        key.to_string()
    } else {
        format!("[{table}] {key}")
    }
}

/// A value's type and, for short scalars, the value itself.
fn describe(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => format!("text (\"{}\")", clip(s, ECHO)),
        toml::Value::Integer(i) => format!("a number ({i})"),
        toml::Value::Float(f) => format!("a number ({f})"),
        toml::Value::Boolean(b) => format!("true/false ({b})"),
        toml::Value::Datetime(d) => format!("a date ({})", clip(&d.to_string(), ECHO)),
        toml::Value::Array(_) => "a list".into(),
        toml::Value::Table(_) => "a table".into(),
    }
}
