//! The bid workbook: sheets `Footprints` and `Projects` with the columns of
//! footprints.csv and projects.csv, which `data` may point at instead of the CSV
//! folder. `techfund template` writes it empty for an organisation to fill in;
//! `techfund generate --format xlsx` writes the synthetic dataset in it.
//!
//! Every column carries a note saying what it holds and its unit, a number format, and
//! data validation where Excel can check a value as it is typed. Text columns are
//! formatted as Text so Excel keeps ids such as `007` or `1/2` as typed instead of
//! turning them into numbers or dates. Cells are written as text or numbers, never as
//! formulas, so no text from the bids runs in Excel.

use crate::dataset::workbook::{FOOTPRINTS_SHEET, PROJECTS_SHEET};
use crate::domain::{BudgetLine, FinancialYear};
use crate::schema::{
    benefit_column, cost_column, footprints, parse_benefit_column, parse_cost_column, projects,
    BenefitClass,
};
use rust_xlsxwriter::{
    DataValidation, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatAlign,
    FormatBorder, Note, Workbook, Worksheet, XlsxError,
};

/// The file name `generate --format xlsx` writes into its folder.
pub const WORKBOOK_FILE: &str = "bids.xlsx";

/// The last row data validation covers: Excel's last row (0-based).
const LAST_ROW: u32 = 1_048_575;

/// What a column holds, which decides its format, note and validation.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Text,
    Money,
    Population,
    Score,
    Uplift,
    Share,
    Flag,
    /// An optimism-bias uplift, 0 to 2.
    Bias,
    /// A whole number of years.
    Years,
    /// A duration optimism-bias uplift, 0 to 2.
    DurationBias,
    /// Whole financial years a bid's start may move, 0 to 50 (the loader's bounds).
    Defer,
    /// A financial year of the fund, chosen from the list of its years.
    FundYear,
}

/// The empty bid workbook for `years`: the two sheets with their headers, notes,
/// formats and validation, and no rows. Pure: the creation date is fixed, so the same
/// years always give the same bytes.
pub fn template(years: &[FinancialYear]) -> Result<Vec<u8>, String> {
    render(
        &(template_footprints_header(), Vec::new()),
        &(template_projects_header(years), Vec::new()),
    )
}

/// The Footprints sheet of the template: every column the loader reads, in the
/// generator's order (the optional needs-weighted population, for
/// `fair_share = "weighted_population"`, after the population).
pub fn template_footprints_header() -> Vec<String> {
    [
        footprints::ID,
        footprints::NAME,
        footprints::REGION,
        footprints::POPULATION,
        footprints::WEIGHTED_POPULATION,
        footprints::READINESS,
        footprints::CAPABILITIES,
        footprints::INFRASTRUCTURE,
    ]
    .map(String::from)
    .to_vec()
}

/// The Projects sheet of the template: the generator's columns, then the
/// budget-mechanics ones (match funding and phasing), so an organisation can fill in
/// every column the loader reads. Appended rather than mixed in, so a generated dataset
/// still fills the template's first columns in order.
pub fn template_projects_header(years: &[FinancialYear]) -> Vec<String> {
    let mut header = projects_header(years);
    header.extend(projects::BUDGET_OPTIONAL.map(String::from));
    header.push(projects::DURATION_BIAS.to_string());
    header
}

/// The header of the Projects sheet for `years`, in the order the generator writes it.
pub fn projects_header(years: &[FinancialYear]) -> Vec<String> {
    let mut header: Vec<String> = [
        projects::ID,
        projects::FOOTPRINT,
        projects::TITLE,
        projects::CATEGORY,
        projects::ORGANISATION,
        projects::BENEFIT,
        projects::MATURITY_UPLIFT,
    ]
    .map(String::from)
    .to_vec();
    for line in BudgetLine::ALL {
        header.extend(years.iter().map(|y| cost_column(line, y)));
    }
    header.extend(projects::OPTIONAL.map(String::from));
    header.extend(appraisal_header(years));
    header
}

/// The whole-life columns of the template: benefits by class for the default appraisal
/// period from the fund's first year (or the fund's years, if longer), then running
/// cost, life and optimism bias.
pub fn appraisal_header(years: &[FinancialYear]) -> Vec<String> {
    let mut header = Vec::new();
    if let Some(first) = years.first() {
        let n = (crate::appraisal::settings::DEFAULT_PERIOD as usize).max(years.len());
        for class in BenefitClass::ALL {
            header.extend(
                FinancialYear::run_of(first, n)
                    .iter()
                    .map(|y| benefit_column(class, y)),
            );
        }
    }
    header.extend(projects::APPRAISAL.map(String::from));
    header
}

/// A dataset's two CSV files as a bid workbook, cell for cell: number columns hold
/// numbers where the text is a plain number, must_fund and never_fund hold TRUE or
/// FALSE, everything else is text as written. The CSV is not validated here (the
/// loader does that), so a broken file gives a workbook broken in the same cell.
pub fn from_csv(footprints_csv: &[u8], projects_csv: &[u8]) -> Result<Vec<u8>, String> {
    render(&table(footprints_csv)?, &table(projects_csv)?)
}

type Grid = (Vec<String>, Vec<Vec<String>>);

fn table(bytes: &[u8]) -> Result<Grid, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let header = reader
        .headers()
        .map_err(|e| format!("reading the CSV header: {e}"))?
        .iter()
        .map(String::from)
        .collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("reading a CSV row: {e}"))?;
        rows.push(record.iter().map(String::from).collect());
    }
    Ok((header, rows))
}

fn render(fp: &Grid, pr: &Grid) -> Result<Vec<u8>, String> {
    build(fp, pr).map_err(|e| format!("writing the bid workbook failed: {e}"))
}

fn build(fp: &Grid, pr: &Grid) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let properties = DocProperties::new()
        .set_title("Technology fund bids")
        .set_subject("Footprints and the projects they bid for, for techfund")
        .set_comment("Money in £ thousands (£k). Each column's note says what it holds.")
        .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?);
    workbook.set_properties(&properties);
    // `latest_start` offers the fund's years: those its cost columns name.
    let fund_years: Vec<String> =
        pr.0.iter()
            .filter_map(|h| parse_cost_column(h).map(|(_, y)| y))
            .collect::<std::collections::BTreeSet<_>>()
            .iter()
            .map(|y| y.label().to_string())
            .collect();
    sheet(
        workbook.add_worksheet().set_name(FOOTPRINTS_SHEET)?,
        fp,
        footprint_column,
        &fund_years,
    )?;
    sheet(
        workbook.add_worksheet().set_name(PROJECTS_SHEET)?,
        pr,
        project_column,
        &fund_years,
    )?;
    workbook.save_to_buffer()
}

fn sheet(
    ws: &mut Worksheet,
    (header, rows): &Grid,
    column: fn(&str) -> (Kind, String),
    fund_years: &[String],
) -> Result<(), XlsxError> {
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_background_color("#E8ECF0")
        .set_border_bottom(FormatBorder::Thin);
    for (c, name) in header.iter().enumerate() {
        let c = u16::try_from(c).map_err(|_| XlsxError::RowColumnLimitError)?;
        let (kind, note) = column(name);
        let format = format_of(kind);
        ws.write_string_with_format(0, c, name, &head)?;
        ws.set_column_format(c, &format)?;
        ws.set_column_width(c, if kind == Kind::Text { 22 } else { 14 })?;
        if !note.is_empty() {
            ws.insert_note(
                0,
                c,
                &Note::new(note)
                    .add_author_prefix(false)
                    .set_width(320)
                    .set_height(110),
            )?;
        }
        if let Some(v) = validation(kind, fund_years)? {
            ws.add_data_validation(1, c, LAST_ROW, c, &v)?;
        }
        for (r, row) in rows.iter().enumerate() {
            let Some(text) = row.get(c as usize).filter(|t| !t.is_empty()) else {
                continue;
            };
            let r = u32::try_from(r + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
            match kind {
                Kind::Text | Kind::FundYear => ws.write_string_with_format(r, c, text, &format)?,
                Kind::Flag => match text.to_ascii_lowercase().as_str() {
                    "true" => ws.write_boolean_with_format(r, c, true, &format)?,
                    "false" => ws.write_boolean_with_format(r, c, false, &format)?,
                    _ => ws.write_string_with_format(r, c, text, &format)?,
                },
                _ => match plain_number(text) {
                    Some(v) => ws.write_number_with_format(r, c, v, &format)?,
                    None => ws.write_string_with_format(r, c, text, &format)?,
                },
            };
        }
    }
    // Values beyond the header (a CSV row longer than its header, a broken file)
    // are kept as text, so the workbook is broken in the same cells.
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate().skip(header.len()) {
            if !text.is_empty() {
                let r = u32::try_from(r + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
                let c = u16::try_from(c).map_err(|_| XlsxError::RowColumnLimitError)?;
                ws.write_string(r, c, text)?;
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.set_row_height(0, 30)?;
    Ok(())
}

/// Text a spreadsheet stores as a number: digits, an optional point and exponent.
fn plain_number(text: &str) -> Option<f64> {
    let body = text.strip_prefix('-').unwrap_or(text);
    let ok = body.bytes().next().is_some_and(|b| b.is_ascii_digit())
        && body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
    text.parse::<f64>().ok().filter(|v| ok && v.is_finite())
}

fn format_of(kind: Kind) -> Format {
    match kind {
        // A year such as 2018/19 kept as text, never turned into a date or fraction.
        Kind::Text | Kind::Flag | Kind::FundYear => Format::new().set_num_format("@"),
        Kind::Money => Format::new().set_num_format("#,##0.0"),
        Kind::Population => Format::new().set_num_format("#,##0"),
        Kind::Score | Kind::Uplift => Format::new().set_num_format("0.0"),
        Kind::Share | Kind::Bias | Kind::DurationBias => Format::new().set_num_format("0%"),
        Kind::Years | Kind::Defer => Format::new().set_num_format("0"),
    }
}

fn validation(kind: Kind, fund_years: &[String]) -> Result<Option<DataValidation>, XlsxError> {
    let between = |low: f64, high: f64, title: &str, message: &str| -> Result<_, XlsxError> {
        Ok(Some(
            DataValidation::new()
                .allow_decimal_number(DataValidationRule::Between(low, high))
                .set_error_title(title)?
                .set_error_message(message)?,
        ))
    };
    match kind {
        Kind::Text => Ok(None),
        Kind::Money => between(
            0.0,
            crate::dataset::number::MAX_MONEY,
            "Amount in £k",
            "An amount in £ thousands, 0 or more: 1250.5 means £1,250,500.",
        ),
        Kind::Population => between(
            1.0,
            crate::dataset::number::MAX_POPULATION,
            "Population",
            "The number of people registered, above 0.",
        ),
        Kind::Score => between(
            0.0,
            100.0,
            "Maturity score",
            "A Digital Maturity Index score from 0 to 100.",
        ),
        Kind::Uplift => between(
            0.0,
            100.0,
            "Maturity uplift",
            "Capability points the project adds, 0 to 100.",
        ),
        Kind::Share => between(0.0, 1.0, "Share", "A share from 0% to 100% (0 to 1)."),
        Kind::Bias => between(
            0.0,
            2.0,
            "Optimism bias",
            "An uplift on capital from 0% to 200% (0 to 2).",
        ),
        Kind::DurationBias => between(
            0.0,
            2.0,
            "Duration optimism bias",
            "An uplift on the delivery's duration from 0% to 200% (0 to 2).",
        ),
        Kind::Years => Ok(Some(
            DataValidation::new()
                .allow_whole_number(DataValidationRule::Between(0, 500))
                .set_error_title("Years")?
                .set_error_message("A whole number of years from 0 to 500.")?,
        )),
        Kind::Defer => Ok(Some(
            DataValidation::new()
                .allow_whole_number(DataValidationRule::Between(0, 50))
                .set_error_title("Years the start may move")?
                .set_error_message(
                    "A whole number of financial years from 0 to 50 (0 = the start may not move).",
                )?,
        )),
        // A sheet with no cost columns has no fund years to offer: no list then.
        Kind::FundYear if fund_years.is_empty() => Ok(None),
        // Excel keeps a list of at most 255 characters (some 31 years); a longer fund
        // gets the shape of a year instead: seven characters, as in 2018/19.
        Kind::FundYear if fund_years.join(",").len() > 255 => Ok(Some(
            DataValidation::new()
                .allow_text_length(DataValidationRule::EqualTo(7))
                .set_error_title("Financial year")?
                .set_error_message("A financial year written as 2018/19.")?,
        )),
        Kind::FundYear => Ok(Some(
            DataValidation::new()
                .allow_list_strings(fund_years)?
                .set_error_title("Financial year")?
                .set_error_message("One of the fund's financial years, e.g. 2018/19.")?,
        )),
        Kind::Flag => Ok(Some(
            DataValidation::new()
                .allow_list_strings(&["TRUE", "FALSE"])?
                .set_error_title("TRUE or FALSE")?
                .set_error_message("Choose TRUE or FALSE, or leave the cell empty for FALSE.")?,
        )),
    }
}

fn footprint_column(name: &str) -> (Kind, String) {
    let (kind, note) = match name {
        footprints::ID => (Kind::Text, "Footprint id, e.g. the STP/ICS's ONS code (E54000005). One row per footprint; projects name it in their footprint_id. Required."),
        footprints::NAME => (Kind::Text, "The footprint's name, as reports show it. Required."),
        footprints::REGION => (Kind::Text, "NHS region, e.g. North East and Yorkshire. Required."),
        footprints::POPULATION => (Kind::Population, "GP-registered population: people, a whole number above 0. Fair shares follow it. Required."),
        footprints::WEIGHTED_POPULATION => (Kind::Population, "Needs-weighted population (people), above 0. Optional; fair shares follow it when the scenario sets fair_share = \"weighted_population\" (then every footprint needs it)."),
        footprints::READINESS => (Kind::Score, "Digital Maturity Index readiness score, 0–100. Required."),
        footprints::CAPABILITIES => (Kind::Score, "Digital Maturity Index capabilities score, 0–100. Projects raise it by their maturity_uplift. Required."),
        footprints::INFRASTRUCTURE => (Kind::Score, "Digital Maturity Index infrastructure score, 0–100. Required."),
        _ => (Kind::Text, ""),
    };
    (kind, note.to_string())
}

fn project_column(name: &str) -> (Kind, String) {
    if let Some((line, year)) = parse_cost_column(name) {
        let what = match line {
            BudgetLine::Capital => "Capital (CDEL)",
            BudgetLine::Revenue => "Revenue (RDEL)",
        };
        let start = year.start_year();
        return (
            Kind::Money,
            format!(
                "{what} cost in financial year {year} (April {start} to March {}), in £ thousands (£k): 1250.5 means £1,250,500. 0 if none. Required.",
                start + 1
            ),
        );
    }
    if let Some((class, year)) = parse_benefit_column(name) {
        let what = match class {
            BenefitClass::Cash => "Cash-releasing benefit (money that leaves budgets)",
            BenefitClass::NonCash => {
                "Non-cash-releasing benefit (staff time, quality, harm avoided, valued in £)"
            }
        };
        return (
            Kind::Money,
            format!(
                "{what} in financial year {year}, £k in real prices of the appraisal's base year. Empty = 0. Optional: the Green Book appraisal discounts these; without any, `benefit` is taken as a present value."
            ),
        );
    }
    let (kind, note) = match name {
        projects::RUNNING_COST => (Kind::Money, "Running cost after the fund's years, £k a year in real prices, paid each year from the year after the fund's last (for life_years years, or to the end of the appraisal period). Empty = 0. Optional."),
        projects::LIFE_YEARS => (Kind::Years, "For how many years after the fund's last year the running cost is paid. Empty = to the end of the appraisal period. Optional."),
        projects::DURATION_BIAS => (Kind::DurationBias, "This bid's duration optimism bias, 0% to 200% (Green Book IT: 10% to 54%), in place of the scenario's for its category: the appraisal starts its benefits later by its delivery years times this, rounded. Costs and the budget check are unchanged. Optional."),
        projects::OPTIMISM_BIAS => (Kind::Bias, "This bid's optimism-bias uplift on capital, 0% to 200%, in place of the scenario's for its category. Optional."),
        projects::ID => (Kind::Text, "Project id, unique in this sheet (e.g. P0001); `requires` names projects by it. Required."),
        projects::FOOTPRINT => (Kind::Text, "The footprint bidding: a footprint_id from sheet Footprints. Required."),
        projects::TITLE => (Kind::Text, "What the project delivers, in a line. Required."),
        projects::CATEGORY => (Kind::Text, "Category, e.g. EPR, e-prescribing, Shared care record; scenarios set rules per category. Required."),
        projects::ORGANISATION => (Kind::Text, "The trust or CCG bidding. Optional; not used by the model."),
        projects::BENEFIT => (Kind::Money, "Benefit of the whole project in £ thousands (£k), the value the fund maximises. Required."),
        projects::MATURITY_UPLIFT => (Kind::Uplift, "Capability points the project adds to its footprint's score (0–100 scale). 0 if none. Required."),
        projects::MIN_FRACTION => (Kind::Share, "Smallest share of the project that may be funded, 0% to 100% (100% = all or nothing). Empty = 0. Optional."),
        projects::REQUIRES => (Kind::Text, "project_ids this project needs funded too, separated by ; (e.g. P0001;P0007). Optional."),
        projects::EXCLUSIVE_GROUP => (Kind::Text, "Projects sharing a group name are alternatives: at most one is funded. Optional."),
        projects::MUST_FUND => (Kind::Flag, "TRUE if the project must be funded whatever it costs. Empty = FALSE. Optional."),
        projects::NEVER_FUND => (Kind::Flag, "TRUE to keep the project out of the allocation. Empty = FALSE. Optional."),
        projects::MATCH_SHARE => (Kind::Share, "Match funding: the share of the bid's cost its own organisations pay, 0% to 100% (50% = a 1:1 match); the fund pays the rest. Empty = 0. Optional."),
        projects::MAY_DEFER => (Kind::Defer, "Phasing: how many whole financial years the bid's start may move later, 0 to 50 (0 = it may not move). Give this or latest_start, not both. Empty = it may not move. Optional."),
        projects::LATEST_START => (Kind::FundYear, "Phasing: the latest financial year the bid may start in, e.g. 2018/19, no earlier than its first costed year. Give this or may_defer, not both. Empty = it may not move. Optional."),
        _ => (Kind::Text, ""),
    };
    (kind, note.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_column_has_a_note() {
        let years = crate::generate::default_years();
        let mut all = template_footprints_header();
        all.extend(template_projects_header(&years));
        for name in all {
            let (_, fp) = footprint_column(&name);
            let (_, pr) = project_column(&name);
            assert!(!fp.is_empty() || !pr.is_empty(), "{name} has no note");
        }
    }

    /// "The loader reads back what the template writes": every column the loader
    /// reads (schema.rs) is in the template, whatever module it was added for.
    #[test]
    fn the_template_has_every_column_the_loader_reads() {
        let years = crate::generate::default_years();
        let fp = template_footprints_header();
        let pr = template_projects_header(&years);
        for name in footprints::REQUIRED
            .iter()
            .chain([&footprints::WEIGHTED_POPULATION])
        {
            assert!(fp.iter().any(|h| h == name), "Footprints lacks {name}");
        }
        let fixed = projects::REQUIRED
            .iter()
            .chain(projects::OPTIONAL.iter())
            .chain(projects::BUDGET_OPTIONAL.iter())
            .chain(projects::APPRAISAL.iter())
            .chain([&projects::DURATION_BIAS])
            .chain([&projects::ORGANISATION]);
        for name in fixed {
            assert!(pr.iter().any(|h| h == name), "Projects lacks {name}");
        }
        for y in &years {
            for line in BudgetLine::ALL {
                assert!(pr.contains(&cost_column(line, y)));
            }
            for class in BenefitClass::ALL {
                assert!(pr.contains(&benefit_column(class, y)));
            }
        }
    }

    #[test]
    fn plain_numbers_are_told_from_text() {
        assert_eq!(plain_number("583.3"), Some(583.3));
        assert_eq!(plain_number("-2e9"), Some(-2e9));
        for text in ["583,3", "£5", "25%", "NaN", "inf", "1e999", "", "-", ".5x"] {
            assert_eq!(plain_number(text), None, "{text}");
        }
    }
}
