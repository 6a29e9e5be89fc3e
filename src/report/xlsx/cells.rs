//! The workbook's cell formats and the writers every sheet shares: safe text, finite
//! numbers, and a frozen, filtered header row.

use crate::format::spreadsheet_safe;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

pub(super) struct Formats {
    pub(super) title: Format,
    pub(super) header: Format,
    pub(super) bold: Format,
    pub(super) wrap: Format,
    /// £ thousands: the unit of every money figure in the allocation.
    pub(super) money_k: Format,
    pub(super) pounds: Format,
    pub(super) percent: Format,
    pub(super) gap: Format,
    pub(super) whole: Format,
    pub(super) one_dp: Format,
    pub(super) decimal: Format,
    pub(super) ratio: Format,
}

impl Formats {
    pub(super) fn new() -> Formats {
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
pub(super) fn text(ws: &mut Worksheet, row: u32, col: u16, s: &str) -> Result<(), XlsxError> {
    ws.write_string(row, col, spreadsheet_safe(s)).map(|_| ())
}

/// A number, or an empty cell if it is not finite (Excel has no NaN or infinity).
pub(super) fn number(
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
pub(super) fn table_head(
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

pub(super) fn col(name: &str, width: f64) -> (String, f64) {
    (name.to_string(), width)
}

/// A width in characters that fits most of a text column, within limits.
pub(super) fn text_width<'a>(texts: impl Iterator<Item = &'a str>, min: f64, max: f64) -> f64 {
    let widest = texts.map(|t| t.chars().count()).max().unwrap_or(0) as f64;
    (widest + 2.0).clamp(min, max)
}
