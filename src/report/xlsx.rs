//! allocation.xlsx: the allocation as a finance team works with it in Excel. Numbers
//! are stored as numbers with £ and % formats (never as text), every table has its
//! header row frozen and an autofilter, and the charts sit on the Summary sheet.
//!
//! Text from input files goes through `spreadsheet_safe` and `write_string`, so a title
//! such as `=HYPERLINK(...)` is shown as text and never run as a formula.

use super::charts::Chart;
use super::words::capitalised;
use crate::allocation::{Allocation, ProjectStatus};
use crate::format::spreadsheet_safe;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Image, Workbook, Worksheet,
    XlsxError,
};

/// The workbook's bytes. Pure: the creation date is fixed, so the same allocation
/// always gives the same bytes (the run's date belongs in the run manifest).
pub fn render(a: &Allocation, charts: &[Chart]) -> Result<Vec<u8>, String> {
    build(a, charts).map_err(|e| format!("writing allocation.xlsx failed: {e}"))
}

fn build(a: &Allocation, charts: &[Chart]) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut workbook = Workbook::new();
    let properties = DocProperties::new()
        .set_title(format!("Technology fund allocation: {}", a.scenario.name))
        .set_subject("Allocation of a technology fund across digital footprints and projects")
        .set_comment("Money in £ thousands (£k). Produced by techfund.")
        .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?);
    workbook.set_properties(&properties);
    summary(workbook.add_worksheet().set_name("Summary")?, a, charts, &f)?;
    projects(workbook.add_worksheet().set_name("Projects")?, a, &f)?;
    footprints(workbook.add_worksheet().set_name("Footprints")?, a, &f)?;
    years(workbook.add_worksheet().set_name("Years")?, a, &f)?;
    rules(workbook.add_worksheet().set_name("Rules")?, a, &f)?;
    workbook.save_to_buffer()
}

struct Formats {
    title: Format,
    header: Format,
    bold: Format,
    wrap: Format,
    /// £ thousands: the unit of every money figure in the allocation.
    money_k: Format,
    pounds: Format,
    percent: Format,
    gap: Format,
    whole: Format,
    one_dp: Format,
    decimal: Format,
    ratio: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color("#E8ECF0")
                .set_border_bottom(FormatBorder::Thin),
            bold: Format::new().set_bold(),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            money_k: Format::new().set_num_format("\"£\"#,##0\"k\""),
            pounds: Format::new().set_num_format("\"£\"#,##0.00"),
            percent: Format::new().set_num_format("0.0%"),
            gap: Format::new().set_num_format("0.00%"),
            whole: Format::new().set_num_format("#,##0"),
            one_dp: Format::new().set_num_format("0.0"),
            decimal: Format::new().set_num_format("#,##0.00"),
            ratio: Format::new().set_num_format("0.000"),
        }
    }
}

/// Free text from the inputs, neutralised so no spreadsheet runs it as a formula.
fn text(ws: &mut Worksheet, row: u32, col: u16, s: &str) -> Result<(), XlsxError> {
    ws.write_string(row, col, spreadsheet_safe(s)).map(|_| ())
}

/// A number, or an empty cell if it is not finite (Excel has no NaN or infinity).
fn number(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    x: f64,
    format: &Format,
) -> Result<(), XlsxError> {
    if x.is_finite() {
        ws.write_number_with_format(row, col, x, format)?;
    }
    Ok(())
}

/// A header row with column widths, frozen, with an autofilter over `rows` data rows.
fn table_head(
    ws: &mut Worksheet,
    columns: &[(String, f64)],
    rows: usize,
    f: &Formats,
) -> Result<(), XlsxError> {
    for (c, (name, width)) in columns.iter().enumerate() {
        let c = c as u16;
        ws.write_string_with_format(0, c, spreadsheet_safe(name), &f.header)?;
        ws.set_column_width(c, *width)?;
    }
    ws.set_row_height(0, 32)?;
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, rows as u32, columns.len().saturating_sub(1) as u16)?;
    Ok(())
}

fn col(name: &str, width: f64) -> (String, f64) {
    (name.to_string(), width)
}

/// A width in characters that fits most of a text column, within limits.
fn text_width<'a>(texts: impl Iterator<Item = &'a str>, min: f64, max: f64) -> f64 {
    let widest = texts.map(|t| t.chars().count()).max().unwrap_or(0) as f64;
    (widest + 2.0).clamp(min, max)
}

const CHART_COLUMN: u16 = 7;

fn summary(
    ws: &mut Worksheet,
    a: &Allocation,
    charts: &[Chart],
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_column_width(0, 34)?;
    ws.set_column_width(1, 18)?;
    ws.set_column_width(2, 16)?;
    ws.set_column_width(3, 14)?;
    ws.set_column_width(4, 16)?;
    ws.set_column_width(5, 60)?;
    ws.write_string_with_format(
        0,
        0,
        spreadsheet_safe(&format!("Technology fund allocation: {}", a.scenario.name)),
        &f.title,
    )?;
    text(ws, 1, 0, &a.scenario.description)?;

    let count = |s: ProjectStatus| a.projects.iter().filter(|p| p.status == s).count() as f64;
    let budget = a.scenario.total_budget();
    let mut row = 3;
    ws.write_string_with_format(row, 0, "Headline", &f.header)?;
    ws.write_string_with_format(row, 1, "", &f.header)?;
    ws.write_string_with_format(row, 2, "", &f.header)?;
    row += 1;
    let figures: [(&str, f64, &Format); 11] = [
        ("Total budget (£k)", budget, &f.money_k),
        ("Allocated (£k)", a.total_funded, &f.money_k),
        (
            "Share of the budget used",
            if budget > 0.0 {
                a.total_funded / budget
            } else {
                0.0
            },
            &f.percent,
        ),
        ("Value", a.total_value, &f.whole),
        (
            "Projects funded in full",
            count(ProjectStatus::Funded),
            &f.whole,
        ),
        (
            "Projects funded in part",
            count(ProjectStatus::PartlyFunded),
            &f.whole,
        ),
        (
            "Projects not funded",
            count(ProjectStatus::NotFunded),
            &f.whole,
        ),
        (
            "Projects excluded by rule",
            count(ProjectStatus::ExcludedByRule),
            &f.whole,
        ),
        (
            "Footprints receiving money",
            a.footprints.iter().filter(|x| x.funded > 0.0).count() as f64,
            &f.whole,
        ),
        ("MIP gap reached", a.solver.gap, &f.gap),
        ("Proven bound on the value", a.solver.bound, &f.whole),
    ];
    // The heuristic's value only when there was one: a blank would read as zero.
    let heuristic = a
        .solver
        .heuristic
        .map(|h| ("Heuristic's value before branch and bound", h, &f.whole));
    let figures = figures.into_iter().chain(heuristic);
    for (label, value, format) in figures {
        ws.write_string(row, 0, label)?;
        number(ws, row, 1, value, format)?;
        if label == "Value" {
            text(ws, row, 2, a.value_unit.as_str())?;
        }
        row += 1;
    }
    ws.write_string(row, 0, "Solver status")?;
    ws.write_string_with_format(row, 1, a.solver.status.describe(), &f.bold)?;
    row += 1;
    ws.write_string(row, 0, "MIP gap asked for")?;
    number(ws, row, 1, a.solver.requested_gap, &f.gap)?;
    row += 1;
    ws.write_string(row, 0, "Time limit (s)")?;
    number(ws, row, 1, a.solver.time_limit_s, &f.whole)?;
    row += 1;
    ws.write_string(row, 0, "HiGHS version")?;
    text(ws, row, 1, &a.solver.highs_version)?;
    row += 2;

    let heads = [
        "Method".to_string(),
        format!("Value ({})", a.value_unit),
        "Allocated (£k)".to_string(),
        "Projects funded".to_string(),
        "Optimised allocation's extra value".to_string(),
        "How it works".to_string(),
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, spreadsheet_safe(h), &f.header)?;
    }
    ws.set_row_height(row, 32)?;
    row += 1;
    ws.write_string_with_format(row, 0, "Optimised allocation", &f.bold)?;
    number(ws, row, 1, a.total_value, &f.whole)?;
    number(ws, row, 2, a.total_funded, &f.money_k)?;
    number(
        ws,
        row,
        3,
        a.projects.iter().filter(|p| p.fraction > 0.0).count() as f64,
        &f.whole,
    )?;
    ws.write_string_with_format(
        row,
        5,
        "The most value the budget can buy within every rule (mixed-integer programming).",
        &f.wrap,
    )?;
    for c in &a.comparisons {
        row += 1;
        text(ws, row, 0, c.method.name())?;
        number(ws, row, 1, c.value, &f.whole)?;
        number(ws, row, 2, c.spent, &f.money_k)?;
        number(ws, row, 3, c.projects_funded as f64, &f.whole)?;
        if c.value > 0.0 {
            number(ws, row, 4, a.total_value / c.value - 1.0, &f.percent)?;
        }
        ws.write_string_with_format(row, 5, spreadsheet_safe(c.method.description()), &f.wrap)?;
    }

    // Charts to the right of the figures, one under another. The PNGs are tagged
    // 192 dpi, so Excel shows them at half their pixel size.
    let mut chart_row = 0u32;
    for chart in charts {
        let image = Image::new_from_buffer(&chart.png)?.set_alt_text(chart.title.clone());
        ws.insert_image(chart_row, CHART_COLUMN, &image)?;
        let shown_height = image.height() * 96.0 / image.height_dpi();
        chart_row += (shown_height / 20.0).ceil() as u32 + 2; // default rows are 20 px
    }
    Ok(())
}

fn projects(ws: &mut Worksheet, a: &Allocation, f: &Formats) -> Result<(), XlsxError> {
    let mut columns = vec![
        col("Rank", 7.0),
        col("Project ID", 12.0),
        col("Footprint ID", 13.0),
        col(
            "Footprint",
            text_width(
                a.projects.iter().map(|p| p.footprint_name.as_str()),
                14.0,
                40.0,
            ),
        ),
        col(
            "Region",
            text_width(a.projects.iter().map(|p| p.region.as_str()), 10.0, 28.0),
        ),
        col(
            "Title",
            text_width(a.projects.iter().map(|p| p.title.as_str()), 20.0, 60.0),
        ),
        col(
            "Category",
            text_width(a.projects.iter().map(|p| p.category.as_str()), 12.0, 28.0),
        ),
        col("Status", 16.0),
        col("Share funded", 10.0),
        col("Cost (£k)", 13.0),
        col("Allocated (£k)", 13.0),
    ];
    for line in &a.lines {
        for year in &a.years {
            columns.push(col(
                &format!("{} {} (£k)", capitalised(line.name()), year),
                13.0,
            ));
        }
    }
    columns.push(col(&format!("Value ({})", a.value_unit), 16.0));
    columns.push(col("Value per £", 11.0));
    for c in &a.comparisons {
        columns.push(col(&format!("{}: share funded", c.method.name()), 16.0));
    }
    columns.push(col(
        "Why not funded in full",
        text_width(a.projects.iter().map(|p| p.reason.as_str()), 24.0, 60.0),
    ));
    table_head(ws, &columns, a.projects.len(), f)?;

    for (i, p) in a.projects.iter().enumerate() {
        let r = i as u32 + 1;
        number(ws, r, 0, p.rank as f64, &f.whole)?;
        text(ws, r, 1, &p.project_id)?;
        text(ws, r, 2, &p.footprint_id)?;
        text(ws, r, 3, &p.footprint_name)?;
        text(ws, r, 4, &p.region)?;
        text(ws, r, 5, &p.title)?;
        text(ws, r, 6, &p.category)?;
        ws.write_string(r, 7, p.status.label())?;
        number(ws, r, 8, p.fraction, &f.percent)?;
        number(ws, r, 9, p.cost, &f.money_k)?;
        number(ws, r, 10, p.funded, &f.money_k)?;
        let mut c = 11u16;
        for l in 0..a.lines.len() {
            for y in 0..a.years.len() {
                let amount = p
                    .amounts
                    .get(l)
                    .and_then(|line| line.get(y))
                    .copied()
                    .unwrap_or(0.0);
                number(ws, r, c, amount, &f.money_k)?;
                c += 1;
            }
        }
        number(ws, r, c, p.value, &f.decimal)?;
        number(ws, r, c + 1, p.value_per_pound, &f.ratio)?;
        c += 2;
        for comparison in &a.comparisons {
            number(
                ws,
                r,
                c,
                comparison.fractions.get(i).copied().unwrap_or(0.0),
                &f.percent,
            )?;
            c += 1;
        }
        text(ws, r, c, &p.reason)?;
    }
    Ok(())
}

fn footprints(ws: &mut Worksheet, a: &Allocation, f: &Formats) -> Result<(), XlsxError> {
    let columns = [
        col("Footprint ID", 13.0),
        col(
            "Footprint",
            text_width(a.footprints.iter().map(|x| x.name.as_str()), 14.0, 45.0),
        ),
        col(
            "Region",
            text_width(a.footprints.iter().map(|x| x.region.as_str()), 10.0, 28.0),
        ),
        col("Population", 12.0),
        col("Allocated (£k)", 13.0),
        col("£ per head", 11.0),
        col("Fair share (£k)", 13.0),
        col("Allocated ÷ fair share", 12.0),
        col("Readiness", 10.0),
        col("Infrastructure", 12.0),
        col("Capabilities before", 12.0),
        col("Capabilities after", 12.0),
        col("Capabilities gained", 12.0),
        col("Projects funded", 10.0),
    ];
    table_head(ws, &columns, a.footprints.len(), f)?;
    for (i, x) in a.footprints.iter().enumerate() {
        let r = i as u32 + 1;
        text(ws, r, 0, &x.footprint_id)?;
        text(ws, r, 1, &x.name)?;
        text(ws, r, 2, &x.region)?;
        number(ws, r, 3, x.population, &f.whole)?;
        number(ws, r, 4, x.funded, &f.money_k)?;
        number(ws, r, 5, x.per_head, &f.pounds)?;
        number(ws, r, 6, x.fair_share, &f.money_k)?;
        number(ws, r, 7, x.share_of_fair_share, &f.percent)?;
        number(ws, r, 8, x.readiness, &f.one_dp)?;
        number(ws, r, 9, x.infrastructure, &f.one_dp)?;
        number(ws, r, 10, x.capabilities_before, &f.one_dp)?;
        number(ws, r, 11, x.capabilities_after, &f.one_dp)?;
        number(
            ws,
            r,
            12,
            x.capabilities_after - x.capabilities_before,
            &f.one_dp,
        )?;
        number(ws, r, 13, x.projects_funded as f64, &f.whole)?;
    }
    Ok(())
}

fn years(ws: &mut Worksheet, a: &Allocation, f: &Formats) -> Result<(), XlsxError> {
    let columns = [
        col("Financial year", 12.0),
        col("Budget line", 12.0),
        col("Budget (£k)", 13.0),
        col("Allocated (£k)", 13.0),
        col("Headroom (£k)", 13.0),
        col("Share used", 10.0),
    ];
    table_head(ws, &columns, a.budget_use.len(), f)?;
    for (i, b) in a.budget_use.iter().enumerate() {
        let r = i as u32 + 1;
        text(ws, r, 0, b.year.label())?;
        ws.write_string(r, 1, b.line.name())?;
        number(ws, r, 2, b.budget, &f.money_k)?;
        number(ws, r, 3, b.used, &f.money_k)?;
        number(ws, r, 4, b.budget - b.used, &f.money_k)?;
        if b.budget > 0.0 {
            number(ws, r, 5, b.used / b.budget, &f.percent)?;
        }
    }
    Ok(())
}

fn rules(ws: &mut Worksheet, a: &Allocation, f: &Formats) -> Result<(), XlsxError> {
    let columns = [
        col(
            "Rule",
            text_width(a.rule_use.iter().map(|r| r.name.as_str()), 24.0, 60.0),
        ),
        col("Limit", 14.0),
        col("Used", 14.0),
        col("Headroom", 14.0),
        col("Binding", 9.0),
    ];
    table_head(ws, &columns, a.rule_use.len(), f)?;
    for (i, rule) in a.rule_use.iter().enumerate() {
        let r = i as u32 + 1;
        text(ws, r, 0, &rule.name)?;
        number(ws, r, 1, rule.limit, &f.decimal)?;
        number(ws, r, 2, rule.used, &f.decimal)?;
        number(ws, r, 3, rule.headroom, &f.decimal)?;
        ws.write_string(r, 4, if rule.binding { "yes" } else { "no" })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allocation::Method;
    use crate::report::{charts, sample};
    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
    use std::io::Cursor;

    fn workbook(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
        open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("calamine opens the workbook")
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * a.abs().max(1.0)
    }

    fn float(cell: Option<&Data>) -> f64 {
        match cell {
            Some(Data::Float(x)) => *x,
            other => panic!("expected a number, found {other:?}"),
        }
    }

    fn string(cell: Option<&Data>) -> String {
        match cell {
            Some(Data::String(s)) => s.clone(),
            other => panic!("expected text, found {other:?}"),
        }
    }

    #[test]
    fn figures_read_back_as_numbers_matching_the_allocation() {
        let a = sample::allocation();
        let bytes = render(&a, &charts::render_all(&a).unwrap()).unwrap();
        let mut wb = workbook(&bytes);
        assert_eq!(
            wb.sheet_names(),
            ["Summary", "Projects", "Footprints", "Years", "Rules"]
        );

        let projects = wb.worksheet_range("Projects").unwrap();
        assert_eq!(projects.height(), a.projects.len() + 1);
        assert_eq!(string(projects.get((0, 10))), "Allocated (£k)");
        for (i, p) in a.projects.iter().enumerate() {
            let r = i + 1;
            assert_eq!(float(projects.get((r, 0))), p.rank as f64);
            assert_eq!(string(projects.get((r, 1))), p.project_id);
            assert!(close(float(projects.get((r, 8))), p.fraction));
            assert!(close(float(projects.get((r, 9))), p.cost));
            assert!(close(float(projects.get((r, 10))), p.funded));
            // Capital then revenue, each by year.
            for (l, line) in p.amounts.iter().enumerate() {
                for (y, amount) in line.iter().enumerate() {
                    assert!(close(
                        float(projects.get((r, 11 + l * a.years.len() + y))),
                        *amount
                    ));
                }
            }
            assert!(close(float(projects.get((r, 15))), p.value));
        }
        let funded: f64 = (1..=a.projects.len())
            .map(|r| float(projects.get((r, 10))))
            .sum();
        assert!(close(funded, a.total_funded));

        let footprints = wb.worksheet_range("Footprints").unwrap();
        for (i, f) in a.footprints.iter().enumerate() {
            assert_eq!(string(footprints.get((i + 1, 0))), f.footprint_id);
            assert!(close(float(footprints.get((i + 1, 4))), f.funded));
            assert!(close(float(footprints.get((i + 1, 5))), f.per_head));
            assert!(close(float(footprints.get((i + 1, 6))), f.fair_share));
        }

        let years = wb.worksheet_range("Years").unwrap();
        for (i, b) in a.budget_use.iter().enumerate() {
            assert_eq!(string(years.get((i + 1, 0))), b.year.label());
            assert!(close(float(years.get((i + 1, 2))), b.budget));
            assert!(close(float(years.get((i + 1, 3))), b.used));
        }

        let rules = wb.worksheet_range("Rules").unwrap();
        assert_eq!(rules.height(), a.rule_use.len() + 1);
        assert!(close(float(rules.get((1, 1))), a.rule_use[0].limit));

        let summary = wb.worksheet_range("Summary").unwrap();
        let find = |label: &str| {
            (0..summary.height())
                .find(|&r| matches!(summary.get((r, 0)), Some(Data::String(s)) if s == label))
                .unwrap_or_else(|| panic!("no {label} row"))
        };
        assert!(close(
            float(summary.get((find("Allocated (£k)"), 1))),
            a.total_funded
        ));
        assert!(close(
            float(summary.get((find("Total budget (£k)"), 1))),
            a.scenario.total_budget()
        ));
        assert!(close(float(summary.get((find("Value"), 1))), a.total_value));
        assert!(close(
            float(summary.get((find("MIP gap reached"), 1))),
            a.solver.gap
        ));
        assert_eq!(
            string(summary.get((find("Solver status"), 1))),
            a.solver.status.describe()
        );
        let greedy = a
            .comparisons
            .iter()
            .find(|c| c.method == Method::Greedy)
            .unwrap();
        let row = find(Method::Greedy.name());
        assert!(close(float(summary.get((row, 1))), greedy.value));
        assert!(close(float(summary.get((row, 2))), greedy.spent));
    }

    #[test]
    fn hostile_titles_are_stored_as_text() {
        let a = sample::allocation();
        let bytes = render(&a, &[]).unwrap();
        let mut wb = workbook(&bytes);
        let projects = wb.worksheet_range("Projects").unwrap();
        let titles: Vec<String> = (1..projects.height())
            .map(|r| string(projects.get((r, 5))))
            .collect();
        for hostile in &sample::HOSTILE_TITLES[..3] {
            assert!(
                titles.contains(&format!("'{hostile}")),
                "{hostile} is neutralised"
            );
        }
        for hostile in &sample::HOSTILE_TITLES[3..] {
            assert!(
                titles.contains(&hostile.to_string()),
                "{hostile} is kept as text"
            );
        }
        assert!(titles.contains(&"'-Patient portal".to_string()));
        // No cell anywhere in the workbook is a formula.
        for sheet in wb.sheet_names() {
            let formulas = wb.worksheet_formula(&sheet).unwrap();
            assert!(
                formulas.cells().all(|(_, _, f)| f.is_empty()),
                "{sheet} has a formula"
            );
        }
        let footprints = wb.worksheet_range("Footprints").unwrap();
        assert_eq!(string(footprints.get((4, 1))), "'=1+1 Midlands");
    }

    #[test]
    fn charts_are_on_the_summary_sheet() {
        let a = sample::allocation();
        let charts = charts::render_all(&a).unwrap();
        let bytes = render(&a, &charts).unwrap();
        // Zip entry names are stored as plain text in the package.
        let names = String::from_utf8_lossy(&bytes);
        for i in 1..=charts.len() {
            assert!(
                names.contains(&format!("xl/media/image{i}.png")),
                "chart {i} is in the package"
            );
        }
        assert!(!names.contains(&format!("xl/media/image{}.png", charts.len() + 1)));
        // Only the Summary sheet (sheet1) has a drawing.
        assert!(names.contains("xl/worksheets/_rels/sheet1.xml.rels"));
        assert!(!names.contains("xl/worksheets/_rels/sheet2.xml.rels"));
    }

    #[test]
    fn the_workbook_is_deterministic() {
        let a = sample::allocation();
        let charts = charts::render_all(&a).unwrap();
        assert_eq!(render(&a, &charts).unwrap(), render(&a, &charts).unwrap());
    }
}
