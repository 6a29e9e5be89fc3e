//! Parsing the projects table (`projects.csv` or sheet `Projects`): cost columns for
//! the scenario's years, each bid's cells, `requires` resolved, bundles checked.

use super::bundles;
use super::number::Kind;
use super::row::{missing_column, require, rows};
use super::table::Table;
use super::text::{LONG_TEXT, SHORT_TEXT};
use super::{Failure, NotCosted};
use crate::appraisal::Settings;
use crate::domain::{BudgetLine, FinancialYear, Footprint, Money, Project, WholeLife, YearBenefit};
use crate::error::{InputError, Source};
use crate::format::{clip, ECHO};
use crate::schema::{cost_column, parse_benefit_column, parse_cost_column, projects, BenefitClass};
use std::collections::HashMap;

pub(super) fn parse_projects(
    table: &Table,
    footprints_source: &Source,
    footprints: &[Footprint],
    years: &[FinancialYear],
    window: Option<&Settings>,
) -> Result<Vec<Project>, Failure> {
    let source = &table.source;
    require(table, &projects::REQUIRED)?;
    // A set, so checking every scenario year against a wide header stays linear.
    let costed: std::collections::BTreeSet<FinancialYear> = table
        .headers
        .iter()
        .filter_map(|h| parse_cost_column(h).map(|(_, y)| y))
        .collect();
    let mut needed = Vec::new();
    for y in years {
        let columns: Vec<String> = BudgetLine::ALL.iter().map(|&l| cost_column(l, y)).collect();
        if !costed.contains(y) {
            let costed_years: Vec<FinancialYear> = costed.iter().cloned().collect();
            return Err(Failure::YearNotCosted(Box::new(NotCosted {
                at_header: missing_column(table, &columns[0]),
                year: y.clone(),
                missing: columns,
                costed: costed_years,
            })));
        }
        needed.extend(columns);
    }
    let needed_refs: Vec<&str> = needed.iter().map(String::as_str).collect();
    require(table, &needed_refs)?;
    // Cost columns for years the scenario does not cover: a bid that spends there
    // cannot be funded by this fund.
    let outside: Vec<String> = table
        .headers
        .iter()
        .filter(|h| parse_cost_column(h).is_some_and(|(_, y)| !years.contains(&y)))
        .cloned()
        .collect();

    let benefit_years = benefit_years(table);

    let fp_index: HashMap<&str, usize> = footprints
        .iter()
        .enumerate()
        .map(|(i, f)| (f.id.as_str(), i))
        .collect();
    let mut projects: Vec<Project> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    // `requires` names may point forward, so resolve them after every id is known.
    let mut pending_requires: Vec<(usize, Vec<String>, u64, u64)> = Vec::new();
    let requires_col = table
        .headers
        .iter()
        .position(|h| h == projects::REQUIRES)
        .map_or(1, |c| c as u64 + 1);

    for row in rows(table) {
        let id = row.required_text(projects::ID, SHORT_TEXT)?;
        if let Some(&first) = index.get(&id) {
            return Err(row
                .error(
                    projects::ID,
                    format!(
                        "project `{}` is listed twice (first on {} {})",
                        clip(&id, ECHO),
                        source.row_word(),
                        projects[first].line
                    ),
                    "give each project a unique id",
                )
                .into());
        }
        let fp_id = row.required_text(projects::FOOTPRINT, SHORT_TEXT)?;
        let footprint = *fp_index.get(fp_id.as_str()).ok_or_else(|| {
            row.error(
                projects::FOOTPRINT,
                format!(
                    "footprint `{}` is not in {}",
                    clip(&fp_id, ECHO),
                    footprints_source.name()
                ),
                format!(
                    "use a footprint_id from {}, or add the footprint there",
                    footprints_source.name()
                ),
            )
        })?;
        let title = row.required_text(projects::TITLE, LONG_TEXT)?;
        let category = row.required_text(projects::CATEGORY, SHORT_TEXT)?;
        let benefit = row.number(projects::BENEFIT, Kind::Money)?;
        let maturity_uplift = row.number(projects::MATURITY_UPLIFT, Kind::Uplift)?;
        let mut capital = Vec::with_capacity(years.len());
        let mut revenue = Vec::with_capacity(years.len());
        for y in years {
            capital.push(row.number(&cost_column(BudgetLine::Capital, y), Kind::Money)?);
            revenue.push(row.number(&cost_column(BudgetLine::Revenue, y), Kind::Money)?);
        }
        let mut cost_outside_years: Money = 0.0;
        for col in &outside {
            if !row.is_blank(col)? {
                cost_outside_years += row.number(col, Kind::Money)?;
            }
        }
        let whole_life = whole_life(&row, &benefit_years, window)?;
        let min_fraction = if row.is_blank(projects::MIN_FRACTION)? {
            0.0
        } else {
            row.number(projects::MIN_FRACTION, Kind::Share)?
        };
        let match_share = if row.is_blank(projects::MATCH_SHARE)? {
            0.0
        } else {
            row.number(projects::MATCH_SHARE, Kind::Share)
                .map_err(|mut e| {
                    e.fix = "write the share of the bid's cost its own organisations pay, between 0 and 1, e.g. 0.5 for a 1:1 match (or 50%)".into();
                    e
                })?
        };
        let may_defer = phasing(&row, years, &capital, &revenue)?;
        let must_fund = row.flag(projects::MUST_FUND)?;
        let never_fund = row.flag(projects::NEVER_FUND)?;
        if must_fund && never_fund {
            return Err(row
                .error(
                    projects::NEVER_FUND,
                    "the project is marked both must_fund and never_fund".into(),
                    "set at most one of them to true",
                )
                .into());
        }
        // A name listed twice is one requirement.
        let mut listed = std::collections::HashSet::new();
        let requires_text = row.text(projects::REQUIRES, LONG_TEXT)?;
        let requires: Vec<String> = requires_text
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty() && listed.insert(*s))
            .map(str::to_string)
            .collect();
        let group = row.text(projects::EXCLUSIVE_GROUP, SHORT_TEXT)?;
        let n = projects.len();
        if !requires.is_empty() {
            pending_requires.push((n, requires, row.line, requires_col));
        }
        projects.push(Project {
            id: id.clone(),
            footprint,
            title,
            category,
            benefit,
            maturity_uplift,
            capital,
            revenue,
            min_fraction,
            requires: Vec::new(),
            exclusive_group: (!group.is_empty()).then(|| group.to_string()),
            must_fund,
            never_fund,
            cost_outside_years,
            match_share,
            own_match_share: match_share,
            may_defer,
            line: row.line,
            whole_life,
        });
        index.insert(id, n);
    }
    if projects.is_empty() {
        return Err(source
            .whole(
                "there are no projects",
                "add one row per candidate project under the header",
            )
            .into());
    }
    for (n, names, line, col) in pending_requires {
        for name in names {
            let &q = index.get(&name).ok_or_else(|| {
                source.at(
                    line,
                    col,
                    Some(projects::REQUIRES),
                    format!("`{}` names no project", clip(&name, ECHO)),
                    format!(
                        "list project_ids from {}, separated by `;`",
                        if table.is_sheet() {
                            "this sheet"
                        } else {
                            "this file"
                        }
                    ),
                )
            })?;
            if q == n {
                return Err(source
                    .at(
                        line,
                        col,
                        Some(projects::REQUIRES),
                        "the project requires itself".to_string(),
                        "remove its own id from `requires`",
                    )
                    .into());
            }
            projects[n].requires.push(q);
        }
    }
    check_bundles(table, &projects)?;
    Ok(projects)
}

/// How many years a bid's start may move: its `may_defer`, or the years from its first
/// costed year to its `latest_start`; `None` when it gives neither.
fn phasing(
    row: &super::row::Row,
    years: &[FinancialYear],
    capital: &[Money],
    revenue: &[Money],
) -> Result<Option<usize>, InputError> {
    let may_defer = row.whole_years(projects::MAY_DEFER)?;
    let latest = row.text(projects::LATEST_START, SHORT_TEXT)?;
    let latest = latest.trim();
    if latest.is_empty() {
        return Ok(may_defer);
    }
    if may_defer.is_some() {
        return Err(row.error(
            projects::LATEST_START,
            "the bid gives both `may_defer` and `latest_start`".into(),
            "give one of them: whole years the start may move, or the latest financial year it may start in",
        ));
    }
    let year = FinancialYear::parse(latest).map_err(|problem| {
        row.error(
            projects::LATEST_START,
            clip(&problem, 200),
            "write the latest financial year the bid may start in, e.g. 2017/18",
        )
    })?;
    let first = (0..years.len())
        .find(|&y| capital[y] > 0.0 || revenue[y] > 0.0)
        .unwrap_or(0);
    let first = &years[first];
    if year.start_year() < first.start_year() {
        return Err(row.error(
            projects::LATEST_START,
            format!("latest_start {year} is before the bid's first costed year {first}"),
            format!("give {first} or a later financial year (or leave it empty: the start may not move)"),
        ));
    }
    Ok(Some((year.start_year() - first.start_year()) as usize))
}

/// Projects that require each other form a bundle, funded together or not at all. A
/// bundle that contradicts itself can never be funded whole, which is an input error:
/// two members in one exclusive group, or one member that must be funded and one that
/// must not.
fn check_bundles(table: &Table, projects: &[Project]) -> Result<(), InputError> {
    let source = &table.source;
    for bundle in bundles::bundles(projects) {
        let ids = || -> String {
            let ids: Vec<String> = bundle
                .iter()
                .map(|&i| clip(&projects[i].id, ECHO))
                .collect();
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            crate::format::listing(&ids, 10)
        };
        let column = |name: &str| table.column(name).map_or(1, |c| c as u64 + 1);
        let mut groups: HashMap<&str, usize> = HashMap::new();
        for &i in &bundle {
            let Some(g) = projects[i].exclusive_group.as_deref() else {
                continue;
            };
            if let Some(&first) = groups.get(g) {
                return Err(source.at(
                    projects[i].line,
                    column(projects::EXCLUSIVE_GROUP),
                    Some(projects::EXCLUSIVE_GROUP),
                    format!(
                        "{} and {} are in one bundle (they require each other: {}), so they are funded together, but exclusive group `{}` allows only one of them",
                        clip(&projects[first].id, ECHO),
                        clip(&projects[i].id, ECHO),
                        ids(),
                        clip(g, ECHO)
                    ),
                    "take one of them out of the group, or out of the circle of `requires`",
                ));
            }
            groups.insert(g, i);
        }
        let must = bundle.iter().find(|&&i| projects[i].must_fund);
        let never = bundle.iter().find(|&&i| projects[i].never_fund);
        if let (Some(&m), Some(&n)) = (must, never) {
            return Err(source.at(
                projects[n].line,
                column(projects::NEVER_FUND),
                Some(projects::NEVER_FUND),
                format!(
                    "{} must be funded and {} must not, but they are in one bundle (they require each other: {})",
                    clip(&projects[m].id, ECHO),
                    clip(&projects[n].id, ECHO),
                    ids()
                ),
                "clear must_fund or never_fund, or break the circle of `requires`",
            ));
        }
    }
    Ok(())
}

/// The financial years the header has benefit columns for, in order, each with its
/// cash and non-cash column (either may be absent).
type BenefitYears = Vec<(FinancialYear, [Option<String>; 2])>;

fn benefit_years(table: &Table) -> BenefitYears {
    let mut years: std::collections::BTreeMap<FinancialYear, [Option<String>; 2]> =
        std::collections::BTreeMap::new();
    for h in &table.headers {
        if let Some((class, year)) = parse_benefit_column(h) {
            let i = match class {
                BenefitClass::Cash => 0,
                BenefitClass::NonCash => 1,
            };
            years.entry(year).or_default()[i] = Some(h.clone());
        }
    }
    years.into_iter().collect()
}

/// The bid's whole-life columns: benefits by year (blank = 0), running cost, life and
/// optimism bias. With `window` (the scenario appraises), a benefit in a year outside
/// the appraisal period is refused at its cell: it would silently count for nothing.
fn whole_life(
    row: &super::row::Row,
    benefit_years: &BenefitYears,
    window: Option<&Settings>,
) -> Result<WholeLife, InputError> {
    let mut benefits = Vec::new();
    for (year, columns) in benefit_years {
        let mut amounts = [0.0; 2];
        for (amount, col) in amounts.iter_mut().zip(columns) {
            let Some(col) = col else { continue };
            if row.is_blank(col)? {
                continue;
            }
            *amount = row.number(col, Kind::Money)?;
            if let Some(s) = window.filter(|s| *amount != 0.0 && !s.covers(year)) {
                return Err(row.error(
                    col,
                    format!(
                        "`{col}` is a benefit in {year}, outside the appraisal period ({} to {}: [appraisal] period = {} from base_year {})",
                        s.base_year,
                        s.last_year(),
                        s.period,
                        s.base_year
                    ),
                    "lengthen `period` (or move `base_year`) in the scenario's [appraisal], or leave this cell empty",
                ));
            }
        }
        if amounts != [0.0; 2] {
            benefits.push(YearBenefit {
                year: year.clone(),
                cash: amounts[0],
                noncash: amounts[1],
            });
        }
    }
    let optional = |name: &str, kind: Kind| -> Result<Option<f64>, InputError> {
        if row.is_blank(name)? {
            Ok(None)
        } else {
            row.number(name, kind).map(Some)
        }
    };
    Ok(WholeLife {
        benefits,
        running_cost: optional(projects::RUNNING_COST, Kind::Money)?.unwrap_or(0.0),
        life_years: optional(projects::LIFE_YEARS, Kind::Years)?.map(|v| v as u32),
        optimism_bias: optional(projects::OPTIMISM_BIAS, Kind::Bias)?,
        duration_bias: optional(projects::DURATION_BIAS, Kind::Bias).map_err(|mut e| {
            e.fix = "write the uplift on the delivery's duration from 0 to 2, e.g. 0.54 (or 54%), the Green Book's upper bound for IT".into();
            e
        })?,
    })
}
