//! allocation.csv and footprints.csv: the ranked tables analysts open in Excel.

use crate::allocation::Allocation;
use crate::format::{fixed, spreadsheet_safe};

use crate::csvio::{finish, writer};
use crate::schema::{allocation, cost_column, footprint_report};

/// The value column's decimals: £k benefit to £100, person-points whole.
fn value_decimals(a: &Allocation) -> usize {
    match a.scenario.objective {
        crate::scenario::ObjectiveKind::Benefit | crate::scenario::ObjectiveKind::Npv => 1,
        crate::scenario::ObjectiveKind::Maturity => 0,
    }
}

/// One row per project, ranked; amounts in £k per budget line and year.
pub fn allocation(a: &Allocation) -> Vec<u8> {
    let mut w = writer();
    let mut header: Vec<String> = allocation::LEADING.map(String::from).to_vec();
    for &line in &a.lines {
        for y in &a.years {
            header.push(cost_column(line, y));
        }
    }
    header.extend(allocation::TRAILING.map(String::from));
    if a.phasing {
        header.extend([allocation::START_YEAR, allocation::START_SHIFT].map(String::from));
    }
    if a.matching {
        header.extend(
            [
                allocation::MATCH_SHARE,
                allocation::LOCAL_TOTAL,
                allocation::WHOLE_COST,
            ]
            .map(String::from),
        );
    }
    w.write_record(&header).expect("in memory");
    let vd = value_decimals(a);
    for p in &a.projects {
        let mut row = vec![
            p.rank.to_string(),
            spreadsheet_safe(&p.project_id),
            spreadsheet_safe(&p.footprint_id),
            spreadsheet_safe(&p.footprint_name),
            spreadsheet_safe(&p.title),
            spreadsheet_safe(&p.category),
            p.status.label().to_string(),
            fixed(p.fraction, 4),
        ];
        for amounts in &p.amounts {
            row.extend(amounts.iter().map(|&x| fixed(x, 1)));
        }
        row.extend([
            fixed(p.funded, 1),
            fixed(p.cost, 1),
            fixed(p.value, vd),
            // Empty for a bid that costs the fund nothing (no ratio).
            if p.value_per_pound.is_finite() {
                fixed(p.value_per_pound, 4)
            } else {
                String::new()
            },
            spreadsheet_safe(&p.reason),
        ]);
        if a.phasing {
            row.push(
                p.start_year
                    .as_ref()
                    .map_or(String::new(), |y| y.to_string()),
            );
            row.push(p.start_shift.to_string());
        }
        if a.matching {
            row.push(fixed(p.match_share, 4));
            row.push(fixed(p.local, 1));
            row.push(fixed(p.whole_cost, 1));
        }
        w.write_record(&row).expect("in memory");
    }
    finish(w)
}

/// One row per footprint: money, £ per head, fair share and maturity before and after.
pub fn footprints(a: &Allocation) -> Vec<u8> {
    let mut w = writer();
    w.write_record(footprint_report::COLUMNS)
        .expect("in memory");
    for f in &a.footprints {
        w.write_record([
            spreadsheet_safe(&f.footprint_id),
            spreadsheet_safe(&f.name),
            spreadsheet_safe(&f.region),
            fixed(f.population, 0),
            fixed(f.funded, 1),
            fixed(f.per_head, 2),
            fixed(f.fair_share, 1),
            fixed(f.share_of_fair_share, 3),
            f.projects_funded.to_string(),
            fixed(f.readiness, 1),
            fixed(f.infrastructure, 1),
            fixed(f.capabilities_before, 1),
            fixed(f.capabilities_after, 1),
        ])
        .expect("in memory");
    }
    finish(w)
}
