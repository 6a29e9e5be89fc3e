//! `techfund target`: how much must we ask the Treasury for? The least fund, per
//! financial year and budget line, that brings footprints to a capability score by the
//! last year under the scenario's rules, and which footprints drive that cost.

use crate::allocation::{self, usage::FRACTION_EPS};
use crate::domain::{BudgetLine, Dataset, Money};
use crate::error::{Error, InputError, Result};
use crate::format;
use crate::model::target::{build, reachable};
use crate::pipeline::{self, Timings};
use crate::report;
use crate::scenario::{Scenario, Target};
use crate::solve::{self, Failure, SolveStatus};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// One footprint's part in reaching the target.
#[derive(Clone, Debug, PartialEq)]
pub struct FootprintTarget {
    pub footprint: usize,
    pub before: f64,
    pub after: f64,
    pub spend: Money,
    pub projects: usize,
    pub reached: bool,
}

/// The minimum fund and the allocation that reaches the target with it.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetResult {
    pub status: SolveStatus,
    pub gap: f64,
    /// Proven lower bound on the minimum fund.
    pub bound: Money,
    /// The minimum fund per budget line and year, £k.
    pub budget: Vec<(BudgetLine, Vec<Money>)>,
    pub fractions: Vec<f64>,
    pub footprints: Vec<FootprintTarget>,
}

impl TargetResult {
    pub fn total(&self) -> Money {
        self.budget.iter().flat_map(|(_, v)| v.iter()).sum()
    }
}

/// Solves the minimum-fund programme; `fund_limit` caps the total fund.
pub fn solve_target(
    data: &Dataset,
    scenario: &Scenario,
    target: &Target,
    fund_limit: Option<Money>,
) -> Result<std::result::Result<TargetResult, Failure>> {
    let programme = build(data, scenario, target, fund_limit)?;
    let fraction_col = programme.fraction_col.clone();
    let solved = match solve::solve(programme, &scenario.solver)? {
        Ok(s) => s,
        Err(f) => return Ok(Err(f)),
    };
    let fractions = allocation::fractions_from(&solved, &fraction_col, scenario.funding);
    // Each year's minimum is what the allocation spends: recompute it from the projects,
    // so the budget and the spend agree exactly.
    let lines = scenario.lines();
    let budget: Vec<(BudgetLine, Vec<Money>)> = lines
        .iter()
        .map(|&l| {
            let per_year = (0..scenario.years.len())
                .map(|y| {
                    data.projects
                        .iter()
                        .zip(&fractions)
                        .map(|(p, f)| p.cost(l, y) * f)
                        .sum::<f64>()
                })
                .map(|v| (v * 10.0).round() / 10.0)
                .collect();
            (l, per_year)
        })
        .collect();
    let gains = allocation::value::capability_gains(data, &fractions);
    let footprints = data
        .footprints
        .iter()
        .enumerate()
        .map(|(f, fp)| FootprintTarget {
            footprint: f,
            before: fp.maturity.capabilities,
            after: fp.maturity.capabilities + gains[f],
            spend: data
                .projects
                .iter()
                .zip(&fractions)
                .filter(|(p, _)| p.footprint == f)
                .map(|(p, x)| p.cost_on(&lines) * x)
                .sum(),
            projects: data
                .projects
                .iter()
                .zip(&fractions)
                .filter(|(p, x)| p.footprint == f && **x > FRACTION_EPS)
                .count(),
            reached: fp.maturity.capabilities + gains[f] >= target.capabilities - 1e-6,
        })
        .collect();
    Ok(Ok(TargetResult {
        status: solved.status,
        gap: solved.gap,
        bound: solved.bound,
        budget,
        fractions,
        footprints,
    }))
}

/// The scenario with its budget set to the minimum found, so the ordinary checker can
/// verify every rule against it.
pub fn with_budget(scenario: &Scenario, result: &TargetResult) -> Scenario {
    let mut s = scenario.clone();
    s.budget = result.budget.clone();
    s
}

/// Every rule of the scenario and the target itself, checked in plain Rust.
pub fn check(
    data: &Dataset,
    scenario: &Scenario,
    target: &Target,
    result: &TargetResult,
) -> Vec<String> {
    let mut broken = allocation::check(
        data,
        &with_budget(scenario, result),
        &result.fractions,
        None,
    );
    let total_pop = data.total_population();
    let reached_pop: f64 = result
        .footprints
        .iter()
        .filter(|f| f.reached)
        .map(|f| data.footprints[f.footprint].population)
        .sum();
    if reached_pop < target.population_share * total_pop - 1e-6 {
        broken.push(format!(
            "the target reaches {:.1}% of the population, not the {:.1}% required",
            100.0 * reached_pop / total_pop,
            100.0 * target.population_share
        ));
    }
    broken
}

/// Loads the scenario, applies any overrides to its `[target]`, solves, checks and writes
/// the report folder.
pub fn run(
    path: &Path,
    capabilities: Option<f64>,
    population_share: Option<f64>,
    out: Option<&Path>,
) -> Result<(PathBuf, Scenario, TargetResult)> {
    let mut timings = Timings::default();
    let inputs = pipeline::load(path, &mut timings)?;
    let (data, scenario) = (&inputs.data, &inputs.scenario);
    let target = match (scenario.target, capabilities) {
        (_, Some(c)) => Target { capabilities: c, population_share: population_share.or(scenario.target.map(|t| t.population_share)).unwrap_or(1.0) },
        (Some(t), None) => Target { population_share: population_share.unwrap_or(t.population_share), ..t },
        (None, None) => {
            return Err(InputError::file(path, "the scenario has no [target]", "add [target] with capabilities = 65 (and optionally population_share), or pass --capabilities").into())
        }
    };
    if !(0.0..=100.0).contains(&target.capabilities)
        || target.population_share <= 0.0
        || target.population_share > 1.0
    {
        return Err(InputError::file(
            path,
            "the target is out of range",
            "capabilities must be 0–100 and population_share above 0 and at most 1",
        )
        .into());
    }
    let result = match solve_target(data, scenario, &target, None)? {
        Ok(r) => r,
        Err(Failure::Infeasible | Failure::InfeasibleOrUnbounded) => {
            return Err(Error::Infeasible { scenario: scenario.name.clone(), explanation: explain_unreachable(data, scenario, &target) });
        }
        Err(Failure::NoSolutionInTime) => return Err(Error::Solver(format!("no allocation reaching the target was found within {} s; raise [solver] time_limit_s or mip_gap", scenario.solver.time_limit_s))),
        Err(other) => return Err(Error::Solver(format!("{other:?}"))),
    };
    let broken = check(data, scenario, &target, &result);
    if !broken.is_empty() {
        return Err(Error::RuleBroken(broken));
    }
    let dir = out.map_or_else(
        || Path::new("reports").join(format!("{}-target", scenario.name)),
        Path::to_path_buf,
    );
    let files = vec![
        (
            PathBuf::from("target.md"),
            summary(data, scenario, &target, &result).into_bytes(),
        ),
        (
            PathBuf::from("target_footprints.csv"),
            footprints_csv(data, &target, &result),
        ),
        (
            PathBuf::from("target_projects.csv"),
            projects_csv(data, scenario, &result),
        ),
    ];
    report::write_atomically(&dir, &files)?;
    Ok((dir, scenario.clone(), result))
}

/// Why a target cannot be met: the footprints whose every eligible bid together falls short.
fn explain_unreachable(data: &Dataset, scenario: &Scenario, target: &Target) -> String {
    let short: Vec<String> = (0..data.footprints.len())
        .filter(|&f| reachable(data, scenario, f) < target.capabilities)
        .map(|f| {
            format!(
                "  - {} ({}) can reach at most {:.1} with every eligible bid funded",
                data.footprints[f].id,
                data.footprints[f].name,
                reachable(data, scenario, f)
            )
        })
        .collect();
    if short.is_empty() || target.population_share < 1.0 {
        format!("  no allocation within the scenario's rules brings enough footprints to capabilities {:.1}; relax the rules (floors, caps, category shares, must-fund bids) or lower the target", target.capabilities)
    } else {
        format!("  capabilities {:.1} is out of reach for:\n{}\n  lower the target, or set population_share below 1", target.capabilities, short.join("\n"))
    }
}

fn summary(data: &Dataset, scenario: &Scenario, target: &Target, r: &TargetResult) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# How much to bid for: scenario `{}`\n", scenario.name);
    let who = if target.population_share >= 1.0 {
        "every footprint".to_string()
    } else {
        format!(
            "footprints holding {:.0}% of the population",
            target.population_share * 100.0
        )
    };
    let _ = writeln!(
        s,
        "The least fund for which {who} reaches a capabilities score of **{:.1}** by {}, under the scenario's rules. Money in £k.\n",
        target.capabilities,
        scenario.years.last().map(|y| y.to_string()).unwrap_or_default()
    );
    let _ = writeln!(
        s,
        "- **Minimum fund:** {} (£{}k).",
        format::money(r.total()),
        format::thousands(r.total())
    );
    let proven = match r.status {
        SolveStatus::Optimal => "proven minimum (gap 0): one £1k less cannot reach the target".to_string(),
        SolveStatus::WithinGap => format!("within {}% of the proven minimum; the proven lower bound is £{}k", format::fixed(r.gap * 100.0, 4), format::thousands(r.bound)),
        SolveStatus::TimeLimit => format!("NOT proven minimal: the solver stopped at its time limit; the proven lower bound is £{}k", format::thousands(r.bound)),
    };
    let _ = writeln!(s, "- **Solver:** {proven}.");
    let _ = writeln!(
        s,
        "- **Scenario's own budget:** {} for comparison.\n",
        format::money(scenario.total_budget())
    );
    let _ = writeln!(s, "## Minimum fund per financial year\n");
    let mut header = "| Year |".to_string();
    let mut rule = "|---|".to_string();
    for (l, _) in &r.budget {
        let _ = write!(header, " {l} |");
        rule.push_str("---:|");
    }
    let _ = writeln!(s, "{header} total |\n{rule}---:|");
    for (y, year) in scenario.years.iter().enumerate() {
        let cells: Vec<Money> = r.budget.iter().map(|(_, v)| v[y]).collect();
        let _ = writeln!(
            s,
            "| {year} | {} | {} |",
            cells
                .iter()
                .map(|c| format::thousands(*c))
                .collect::<Vec<_>>()
                .join(" | "),
            format::thousands(cells.iter().sum())
        );
    }
    let _ = writeln!(s, "\n## Footprints that drive the cost\n\nLargest spend first. Cost per point is the money spent per capability point gained.\n");
    let _ = writeln!(s, "| Footprint | Capabilities before | after | Spend (£k) | Cost per point (£k) | Projects |\n|---|---:|---:|---:|---:|---:|");
    let mut order: Vec<&FootprintTarget> = r.footprints.iter().collect();
    order.sort_by(|a, b| {
        b.spend
            .partial_cmp(&a.spend)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.footprint.cmp(&b.footprint))
    });
    for f in order.iter().take(20) {
        let fp = &data.footprints[f.footprint];
        let gained = f.after - f.before;
        let per_point = if gained > 0.0 {
            format::thousands(f.spend / gained)
        } else {
            "—".into()
        };
        let _ = writeln!(
            s,
            "| {} {} | {:.1} | {:.1} | {} | {per_point} | {} |",
            fp.id,
            fp.name.replace('|', "\\|"),
            f.before,
            f.after,
            format::thousands(f.spend),
            f.projects
        );
    }
    let _ = writeln!(s, "\nEvery footprint is in `target_footprints.csv`; the projects funded are in `target_projects.csv`.");
    s
}

fn footprints_csv(data: &Dataset, target: &Target, r: &TargetResult) -> Vec<u8> {
    let mut w = crate::csvio::writer();
    w.write_record([
        "footprint_id",
        "name",
        "capabilities_before",
        "capabilities_after",
        "target",
        "reached",
        "spend",
        "projects_funded",
    ])
    .expect("in memory");
    for f in &r.footprints {
        let fp = &data.footprints[f.footprint];
        w.write_record([
            format::spreadsheet_safe(&fp.id),
            format::spreadsheet_safe(&fp.name),
            format::fixed(f.before, 1),
            format::fixed(f.after, 1),
            format::fixed(target.capabilities, 1),
            f.reached.to_string(),
            format::fixed(f.spend, 1),
            f.projects.to_string(),
        ])
        .expect("in memory");
    }
    crate::csvio::finish(w)
}

fn projects_csv(data: &Dataset, scenario: &Scenario, r: &TargetResult) -> Vec<u8> {
    let lines = scenario.lines();
    let mut w = crate::csvio::writer();
    w.write_record([
        "project_id",
        "footprint_id",
        "title",
        "category",
        "funded_fraction",
        "funded",
        "maturity_uplift",
    ])
    .expect("in memory");
    for (p, &f) in data.projects.iter().zip(&r.fractions) {
        if f > FRACTION_EPS {
            w.write_record([
                format::spreadsheet_safe(&p.id),
                format::spreadsheet_safe(&data.footprints[p.footprint].id),
                format::spreadsheet_safe(&p.title),
                format::spreadsheet_safe(&p.category),
                format::fixed(f, 4),
                format::fixed(p.cost_on(&lines) * f, 1),
                format::fixed(p.maturity_uplift * f, 2),
            ])
            .expect("in memory");
        }
    }
    crate::csvio::finish(w)
}
