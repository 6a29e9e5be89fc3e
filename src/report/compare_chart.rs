//! comparison.svg, moved as it was from the compare command until the shared chart
//! stack can draw it.

use crate::compare::Comparison;
use crate::error::{Error, Result};

/// Okabe and Ito's palette, which stays distinct for the common forms of colour
/// blindness; blue and orange first because they differ most.
const PALETTE: [(u8, u8, u8); 8] = [
    (0x00, 0x72, 0xB2),
    (0xE6, 0x9F, 0x00),
    (0x00, 0x9E, 0x73),
    (0xD5, 0x5E, 0x00),
    (0xCC, 0x79, 0xA7),
    (0x56, 0xB4, 0xE9),
    (0xF0, 0xE4, 0x42),
    (0x00, 0x00, 0x00),
];

const CHART_WIDTH: u32 = 900;
pub(crate) const BAR_PX: u32 = 7;
pub(crate) const GROUP_GAP_PX: u32 = 8;
const LABEL_FONT_PX: u32 = 15;
const LABEL_MAX_CHARS: usize = 34;

/// Grouped horizontal bars of £m funded per footprint, one bar per report, largest
/// change first (top). The height grows with the number of footprints so 100 of them
/// stay readable at A4 width.
///
/// plotters lays out captions and legends by measuring text, which needs a font file;
/// the title and legend are therefore placed by hand, so the SVG needs no font at all.
pub fn render_svg(c: &Comparison) -> Result<String> {
    use plotters::coord::combinators::BindKeyPoints;
    use plotters::prelude::*;

    let n = c.footprints.len();
    let k = c.reports.len();
    let colour = |i: usize| {
        let (r, g, b) = PALETTE[i % PALETTE.len()];
        RGBColor(r, g, b)
    };
    let label = |name: &str, key: &str| {
        let text = if name.is_empty() { key } else { name };
        if text.chars().count() > LABEL_MAX_CHARS {
            let cut: String = text.chars().take(LABEL_MAX_CHARS - 1).collect();
            format!("{cut}…")
        } else {
            text.to_string()
        }
    };
    let labels: Vec<String> = c
        .footprints
        .iter()
        .map(|r| label(&r.name, &r.key))
        .collect();
    // Text is not measured (no font); an average glyph is about 0.6 of the font size.
    let char_px = |chars: usize, font: u32| (chars as f64 * font as f64 * 0.6).ceil() as u32;
    let label_area = char_px(
        labels.iter().map(|l| l.chars().count()).max().unwrap_or(4),
        LABEL_FONT_PX,
    ) + 16;

    // The legend wraps onto as many lines as the report names need.
    let mut legend = Vec::new();
    let (mut x, mut line) = (20u32, 0u32);
    for r in &c.reports {
        let width = 20 + char_px(r.label.chars().count(), 16) + 24;
        if x + width > CHART_WIDTH - 20 && x > 20 {
            x = 20;
            line += 1;
        }
        legend.push((x, line));
        x += width;
    }
    let top = 60 + (line + 1) * 22;
    let group = k as u32 * BAR_PX + GROUP_GAP_PX;
    let height = top + n.max(1) as u32 * group + 30 + 60;

    let draw_error = |e: &dyn std::fmt::Display| {
        Error::io(
            "drawing comparison.svg",
            std::io::Error::other(e.to_string()),
        )
    };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (CHART_WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| draw_error(&e))?;
        let title = format!(
            "Funded per footprint (£m), largest change from {} first",
            c.reports[0].label
        );
        root.draw_text(
            &title,
            &("sans-serif", 22).into_font().color(&BLACK),
            (20, 16),
        )
        .map_err(|e| draw_error(&e))?;
        for (i, (r, (x, line))) in c.reports.iter().zip(&legend).enumerate() {
            let y = 50 + *line as i32 * 22;
            root.draw(&Rectangle::new(
                [(*x as i32, y), (*x as i32 + 14, y + 14)],
                colour(i).filled(),
            ))
            .map_err(|e| draw_error(&e))?;
            root.draw_text(
                &r.label,
                &("sans-serif", 16).into_font().color(&BLACK),
                (*x as i32 + 20, y),
            )
            .map_err(|e| draw_error(&e))?;
        }
        let (_, body) = root.split_vertically(top);

        let max = c
            .footprints
            .iter()
            .flat_map(|r| r.values.iter())
            .fold(0.0f64, |m, v| m.max(*v))
            / 1000.0;
        let x_max = if max > 0.0 { max * 1.05 } else { 1.0 };
        // y is in pixels of the plot, so bars sit on whole pixels; row 0 (the largest
        // change) is at the top because y runs upwards in plotters.
        let total = (n.max(1) as u32 * group) as i32;
        let (group, bar, half_gap) = (group as i32, BAR_PX as i32, GROUP_GAP_PX as i32 / 2);
        let centres: Vec<i32> = (0..n as i32)
            .map(|i| total - i * group - group / 2)
            .collect();
        let mut chart = ChartBuilder::on(&body)
            .margin_right(30)
            .set_label_area_size(LabelAreaPosition::Top, 56)
            .set_label_area_size(LabelAreaPosition::Bottom, 50)
            .set_label_area_size(LabelAreaPosition::Left, label_area)
            .build_cartesian_2d(0f64..x_max, (0..total).with_key_points(centres))
            .map_err(|e| draw_error(&e))?;
        let name_of = |y: &i32| {
            usize::try_from((total - y) / group)
                .ok()
                .and_then(|i| labels.get(i).cloned())
                .unwrap_or_default()
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            // One light line between labelled ones: more would grey out narrow bars.
            .x_max_light_lines(1)
            .x_desc("Funded (£m)")
            .x_label_formatter(&|v| format!("{v:.1}"))
            .y_label_formatter(&name_of)
            .label_style(("sans-serif", LABEL_FONT_PX))
            .axis_desc_style(("sans-serif", 16))
            .draw()
            .map_err(|e| draw_error(&e))?;
        for (i, row) in c.footprints.iter().enumerate() {
            let row_top = total - i as i32 * group - half_gap;
            chart
                .draw_series(row.values.iter().enumerate().map(|(j, v)| {
                    let y1 = row_top - j as i32 * bar;
                    Rectangle::new([(0.0, y1 - bar), (v / 1000.0, y1)], colour(j).filled())
                }))
                .map_err(|e| draw_error(&e))?;
        }
        if n == 0 {
            root.draw_text(
                "The reports have no footprints.",
                &("sans-serif", 14).into_font().color(&BLACK),
                (20, top as i32 + 10),
            )
            .map_err(|e| draw_error(&e))?;
        }
        root.present().map_err(|e| draw_error(&e))?;
    }
    Ok(svg)
}
