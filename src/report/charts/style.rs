//! What every chart shares: the one palette, the bundled fonts, sizes, text measuring
//! and fitting, the header with its legend, the frame of a chart with one row per item,
//! and the money and value axes.

use crate::format::thousands;
use crate::report::words::number;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{register_font, FontDesc, FontFamily, FontStyle};
use std::ops::Range;
use std::sync::OnceLock;

// ---------------------------------------------------------------------------
// Fonts, sizes and colours.

static DEJAVU_SANS: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
static DEJAVU_SANS_BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// Registers the bundled fonts once per process. They are registered as "sans-serif":
/// the family plotters asks for, and the one SVG viewers fall back on.
pub(super) fn fonts() -> Result<(), String> {
    static REGISTERED: OnceLock<Result<(), String>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            let bad = |_| "the bundled DejaVu Sans font could not be read".to_string();
            register_font("sans-serif", FontStyle::Normal, DEJAVU_SANS).map_err(bad)?;
            register_font("sans-serif", FontStyle::Bold, DEJAVU_SANS_BOLD).map_err(bad)?;
            Ok(())
        })
        .clone()
}

pub(super) const WIDTH: u32 = 1000;
/// PNGs are drawn at twice the design size and tagged 192 dpi, so Excel shows them at
/// the design size and they print sharply.
pub(super) const PNG_SCALE: f64 = 2.0;
pub(super) const PNG_PIXELS_PER_METRE: u32 = 7559; // 192 dpi

pub(super) const MARGIN: f64 = 24.0;
// Font sizes in plotters' units (SVG shows them ÷ 1.24 as CSS px): 20 → 16 px → 8 pt at A4.
pub(super) const TITLE: f64 = 31.0;
pub(super) const SUBTITLE: f64 = 21.0;
pub(super) const LABEL: f64 = 22.0;
pub(super) const TICK: f64 = 20.0;
/// Height of one footprint row: the label's height plus a clear gap.
pub(super) const ROW: f64 = 28.0;
/// Height of one category row (a stacked bar).
pub(super) const CATEGORY_ROW: f64 = 40.0;
pub(super) const AXIS: f64 = 70.0;
/// Charts taller than this also get the money axis at the top.
pub(super) const TALL: usize = 25;

pub(super) const WHITE_BG: RGBColor = RGBColor(0xff, 0xff, 0xff);
pub(super) const INK: RGBColor = RGBColor(0x1a, 0x1a, 0x1a);
pub(super) const MUTED: RGBColor = RGBColor(0x50, 0x50, 0x50);
pub(super) const GRID: RGBColor = RGBColor(0xdd, 0xdd, 0xdd);
// Okabe and Ito's palette, distinguishable with every common colour-vision deficiency.
pub(super) const ORANGE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
pub(super) const SKY_BLUE: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
pub(super) const GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
pub(super) const YELLOW: RGBColor = RGBColor(0xF0, 0xE4, 0x42);
pub(super) const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
pub(super) const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
pub(super) const PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
pub(super) const GREY: RGBColor = RGBColor(0x99, 0x99, 0x99);
/// Categorical colours in order; black is kept for markers. Past eight, colours repeat.
const PALETTE: [RGBColor; 8] = [
    BLUE, ORANGE, GREEN, SKY_BLUE, VERMILLION, PURPLE, YELLOW, GREY,
];

pub(super) fn palette(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// Design pixels → backend pixels.
#[derive(Clone, Copy)]
pub(super) struct Px(pub(super) f64);

impl Px {
    pub(super) fn n(self, v: f64) -> i32 {
        (v * self.0).round() as i32
    }
    pub(super) fn u(self, v: f64) -> u32 {
        (v * self.0).round().max(0.0) as u32
    }
    pub(super) fn text(self, size: f64) -> TextStyle<'static> {
        FontDesc::new(FontFamily::SansSerif, size * self.0, FontStyle::Normal).color(&INK)
    }
    pub(super) fn muted(self, size: f64) -> TextStyle<'static> {
        FontDesc::new(FontFamily::SansSerif, size * self.0, FontStyle::Normal).color(&MUTED)
    }
    pub(super) fn bold(self, size: f64) -> TextStyle<'static> {
        FontDesc::new(FontFamily::SansSerif, size * self.0, FontStyle::Bold).color(&INK)
    }
    pub(super) fn line(self, colour: RGBColor, width: f64) -> ShapeStyle {
        colour.stroke_width(self.u(width).max(1))
    }
}

/// Width of a text in design pixels, measured with the bundled font.
pub(super) fn text_width(text: &str, size: f64) -> f64 {
    FontDesc::new(FontFamily::SansSerif, size, FontStyle::Normal)
        .box_size(text)
        .map(|(w, _)| w as f64)
        .unwrap_or(text.chars().count() as f64 * size * 0.6)
}

/// The text, cut with an ellipsis if it is wider than `max` design pixels.
///
/// Widths grow with the number of characters kept, so the longest cut that fits is
/// found by measuring prefixes of doubling length until one is too wide, then halving
/// the gap. That is one measurement of the whole text and a few of short prefixes:
/// linear in the text's length. (Dropping one character at a time and re-measuring was
/// quadratic, and a 100,000-character footprint name hung the report.)
pub(super) fn fit(text: &str, size: f64, max: f64) -> String {
    if text_width(text, size) <= max {
        return text.to_string();
    }
    // Where each character ends: the first `k` characters are `text[..ends[k - 1]]`.
    let ends: Vec<usize> = text.char_indices().map(|(i, c)| i + c.len_utf8()).collect();
    let cut = |keep: usize| format!("{}…", text[..ends[keep - 1]].trim_end());
    let fits = |keep: usize| text_width(&cut(keep), size) <= max;
    // At least one character is kept, and at most all but one (the whole text is too wide).
    let most = ends.len().saturating_sub(1);
    if most == 0 || !fits(1) {
        return "…".to_string();
    }
    // `fitting` always fits; `too_many` does not, or is one past `most`.
    let (mut fitting, mut too_many) = (1, 2);
    while too_many <= most && fits(too_many) {
        fitting = too_many;
        too_many *= 2;
    }
    too_many = too_many.min(most + 1);
    while too_many - fitting > 1 {
        let mid = fitting + (too_many - fitting) / 2;
        if fits(mid) {
            fitting = mid;
        } else {
            too_many = mid;
        }
    }
    cut(fitting)
}

/// Words wrapped into lines no wider than `max`. A word wider than a whole line is cut
/// to fit, so every measurement is of at most one line and one word: wrapping is linear
/// in the text's length.
pub(super) fn wrap(text: &str, size: f64, max: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let word = fit(word, size, max);
        let candidate = if current.is_empty() {
            word.clone()
        } else {
            format!("{current} {word}")
        };
        if !current.is_empty() && text_width(&candidate, size) > max {
            lines.push(std::mem::replace(&mut current, word));
        } else {
            current = candidate;
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

pub(super) fn plot_err<E: std::fmt::Display>(e: E) -> String {
    format!("drawing a chart failed: {e}")
}

/// How money (held in £k) is shown on an axis: £m from £1m, like `format::money`,
/// so axis ticks and the £m labels on bars read in the same unit; £bn from £10bn, where
/// ticks in £m would run to six digits.
#[derive(Clone, Copy)]
pub(super) struct MoneyAxis {
    divisor: f64,
    pub(super) unit: &'static str,
    decimals: usize,
}

impl MoneyAxis {
    pub(super) fn for_max(max_k: f64) -> MoneyAxis {
        let (divisor, unit) = if max_k >= 10_000_000.0 {
            (1_000_000.0, "£bn")
        } else if max_k >= 1_000.0 {
            (1000.0, "£m")
        } else {
            return MoneyAxis {
                divisor: 1.0,
                unit: "£k",
                decimals: 0,
            };
        };
        let decimals = if max_k / divisor < 20.0 { 1 } else { 0 };
        MoneyAxis {
            divisor,
            unit,
            decimals,
        }
    }
    pub(super) fn tick(&self, k: f64) -> String {
        let v = k / self.divisor;
        if self.decimals == 0 {
            thousands(v)
        } else {
            crate::format::fixed(v, self.decimals)
        }
    }
}

/// How values in the allocation's unit are shown on an axis.
pub(super) struct ValueAxis {
    divisor: f64,
    /// e.g. "£m of benefit (present value)" or "millions of need-weighted person-points".
    pub(super) unit: String,
    money: Option<MoneyAxis>,
}

impl ValueAxis {
    pub(super) fn new(unit: &str, max: f64) -> ValueAxis {
        if let Some(rest) = unit.strip_prefix("£k") {
            let m = MoneyAxis::for_max(max);
            return ValueAxis {
                divisor: m.divisor,
                unit: format!("{}{rest}", m.unit),
                money: Some(m),
            };
        }
        let (divisor, scale) = match max {
            x if x >= 1e10 => (1e9, "billions of "),
            x if x >= 1e7 => (1e6, "millions of "),
            x if x >= 1e4 => (1e3, "thousands of "),
            _ => (1.0, ""),
        };
        ValueAxis {
            divisor,
            unit: format!("{scale}{unit}"),
            money: None,
        }
    }
    pub(super) fn tick(&self, v: f64) -> String {
        match self.money {
            Some(m) => m.tick(v),
            None => number(v / self.divisor),
        }
    }
}

// ---------------------------------------------------------------------------
// Figure frame: title, subtitle, legend; one drawing routine for both backends.

/// What a legend entry shows next to its label.
#[derive(Clone, Copy)]
pub(super) enum Key {
    Bar(RGBColor),
    Line(RGBColor),
    Dashed(RGBColor),
    Dot(RGBColor),
    /// A path with its end point marked.
    LineDot(RGBColor),
    /// The black fair-share tick.
    Tick,
    Triangle(RGBColor),
    /// A vertical bar with a cap at each end: a proven range.
    Range(RGBColor),
}

pub(super) const SWATCH: f64 = 24.0;
pub(super) const LEGEND_ROW: f64 = 30.0;
pub(super) const LINE_HEIGHT: f64 = 26.0;

pub(super) struct Header {
    pub(super) title: String,
    subtitle: Vec<String>,
    legend: Vec<(Key, String)>,
    /// Each legend entry's x offset and row.
    placed: Vec<(f64, usize)>,
    rows: usize,
}

impl Header {
    pub(super) fn new(title: &str, subtitle: &str, legend: Vec<(Key, String)>) -> Header {
        let width = WIDTH as f64 - 2.0 * MARGIN;
        let mut placed = Vec::with_capacity(legend.len());
        // Labels can come from inputs (report names), so each is cut to fit one line.
        let legend: Vec<(Key, String)> = legend
            .into_iter()
            .map(|(key, label)| (key, fit(&label, TICK, width - SWATCH - 8.0)))
            .collect();
        let (mut x, mut row) = (0.0, 0);
        for (_, label) in &legend {
            let w = SWATCH + 8.0 + text_width(label, TICK);
            if x > 0.0 && x + w > width {
                row += 1;
                x = 0.0;
            }
            placed.push((x, row));
            x += w + 28.0;
        }
        Header {
            title: title.to_string(),
            subtitle: wrap(subtitle, SUBTITLE, width),
            rows: if legend.is_empty() { 0 } else { row + 1 },
            legend,
            placed,
        }
    }

    pub(super) fn height(&self) -> f64 {
        MARGIN
            + 40.0
            + self.subtitle.len() as f64 * LINE_HEIGHT
            + 10.0
            + self.rows as f64 * LEGEND_ROW
            + 12.0
    }

    pub(super) fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        px: Px,
    ) -> Result<(), String> {
        let top = Pos::new(HPos::Left, VPos::Top);
        let mut y = MARGIN;
        root.draw(&Text::new(
            self.title.clone(),
            (px.n(MARGIN), px.n(y)),
            px.bold(TITLE).pos(top),
        ))
        .map_err(plot_err)?;
        y += 40.0;
        for line in &self.subtitle {
            root.draw(&Text::new(
                line.clone(),
                (px.n(MARGIN), px.n(y)),
                px.muted(SUBTITLE).pos(top),
            ))
            .map_err(plot_err)?;
            y += LINE_HEIGHT;
        }
        y += 10.0;
        for ((key, label), &(x, row)) in self.legend.iter().zip(&self.placed) {
            let x0 = MARGIN + x;
            let cy = y + row as f64 * LEGEND_ROW + LEGEND_ROW / 2.0;
            draw_key(root, px, *key, x0, cy)?;
            let style = px.text(TICK).pos(Pos::new(HPos::Left, VPos::Center));
            root.draw(&Text::new(
                label.clone(),
                (px.n(x0 + SWATCH + 8.0), px.n(cy)),
                style,
            ))
            .map_err(plot_err)?;
        }
        Ok(())
    }
}

fn draw_key<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    px: Px,
    key: Key,
    x0: f64,
    cy: f64,
) -> Result<(), String> {
    let p = |x: f64, y: f64| (px.n(x), px.n(y));
    let x1 = x0 + SWATCH;
    let xm = x0 + SWATCH / 2.0;
    match key {
        Key::Bar(c) => root.draw(&Rectangle::new(
            [p(x0, cy - 8.0), p(x1, cy + 8.0)],
            c.filled(),
        )),
        Key::Line(c) => root.draw(&PathElement::new(
            vec![p(x0, cy), p(x1, cy)],
            px.line(c, 3.0),
        )),
        Key::Dashed(c) => root.draw(&DashedPathElement::new(
            vec![p(x0, cy), p(x1, cy)],
            px.n(6.0),
            px.n(4.0),
            px.line(c, 2.0),
        )),
        Key::Dot(c) => root.draw(&Circle::new(p(xm, cy), px.u(6.0), c.filled())),
        Key::LineDot(c) => root
            .draw(&PathElement::new(
                vec![p(x0, cy), p(x1, cy)],
                px.line(c, 3.0),
            ))
            .and_then(|_| root.draw(&Circle::new(p(xm, cy), px.u(6.0), c.filled()))),
        Key::Triangle(c) => root.draw(&TriangleMarker::new(p(xm, cy), px.n(9.0), c.filled())),
        Key::Range(c) => {
            return range_bar(root, px, p(xm, cy - 11.0), p(xm, cy + 11.0), c);
        }
        Key::Tick => root
            .draw(&PathElement::new(
                vec![p(xm, cy - 11.0), p(xm, cy + 11.0)],
                px.line(WHITE_BG, 6.0),
            ))
            .and_then(|_| {
                root.draw(&PathElement::new(
                    vec![p(xm, cy - 10.0), p(xm, cy + 10.0)],
                    px.line(INK, 2.5),
                ))
            }),
    }
    .map_err(plot_err)
}

/// A vertical bar from `top` to `bottom` (backend coordinates) with a cap at each end.
pub(super) fn range_bar<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    px: Px,
    top: (i32, i32),
    bottom: (i32, i32),
    colour: RGBColor,
) -> Result<(), String> {
    let style = px.line(colour, 2.0);
    let cap = px.n(5.0);
    for path in [
        vec![top, bottom],
        vec![(top.0 - cap, top.1), (top.0 + cap, top.1)],
        vec![(bottom.0 - cap, bottom.1), (bottom.0 + cap, bottom.1)],
    ] {
        root.draw(&PathElement::new(path, style))
            .map_err(plot_err)?;
    }
    Ok(())
}

pub(super) type Plot<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The plotting frame of a chart with one row per item: rows are labelled by hand
/// (every row keeps its label), the money or score axis runs along the bottom, and
/// along the top too when the chart is tall.
#[allow(clippy::too_many_arguments)]
pub(super) fn row_frame<'a, DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    area: &'a DrawingArea<DB, Shift>,
    px: Px,
    labels: &[String],
    label_width: f64,
    x: Range<f64>,
    x_desc: &str,
    x_tick: &dyn Fn(&f64) -> String,
    right: f64,
) -> Result<Plot<'a, DB>, String> {
    let n = labels.len();
    let mut builder = ChartBuilder::on(area);
    builder
        .margin_left(px.u(MARGIN))
        .margin_right(px.u(MARGIN + right))
        .margin_bottom(px.u(MARGIN / 2.0))
        .set_label_area_size(LabelAreaPosition::Left, px.u(label_width))
        .set_label_area_size(LabelAreaPosition::Bottom, px.u(AXIS));
    if n > TALL {
        builder.set_label_area_size(LabelAreaPosition::Top, px.u(AXIS));
    }
    let mut chart = builder
        .build_cartesian_2d(x, 0.0..n.max(1) as f64)
        .map_err(plot_err)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(8)
        .x_label_formatter(x_tick)
        .x_desc(x_desc)
        .label_style(px.text(TICK))
        .axis_desc_style(px.text(LABEL))
        .axis_style(px.line(INK, 1.0))
        .bold_line_style(px.line(GRID, 1.0))
        .light_line_style(TRANSPARENT)
        .set_all_tick_mark_size(px.u(5.0))
        .draw()
        .map_err(plot_err)?;
    let style = px.text(TICK).pos(Pos::new(HPos::Right, VPos::Center));
    for (i, label) in labels.iter().enumerate() {
        let (x0, y) = chart.backend_coord(&(chart.x_range().start, row_centre(n, i)));
        root.draw(&Text::new(
            label.clone(),
            (x0 - px.n(10.0), y),
            style.clone(),
        ))
        .map_err(plot_err)?;
    }
    Ok(chart)
}

/// The frame of a line chart (frontier, value-for-money curve): axes from `x` and from
/// zero to `y_upper`, eight ticks each, grid lines, and the axes' descriptions.
#[allow(clippy::too_many_arguments)]
pub(super) fn line_frame<'a, DB: DrawingBackend>(
    body: &'a DrawingArea<DB, Shift>,
    px: Px,
    x: Range<f64>,
    y_upper: f64,
    x_axis: MoneyAxis,
    y_axis: &ValueAxis,
    x_desc: String,
    y_desc: String,
) -> Result<Plot<'a, DB>, String> {
    let x_tick = move |v: &f64| x_axis.tick(*v);
    let y_tick = |v: &f64| y_axis.tick(*v);
    let y_label_width = text_width(&y_axis.tick(y_upper), TICK) + 60.0;
    let mut chart = ChartBuilder::on(body)
        .margin_left(px.u(MARGIN))
        .margin_right(px.u(MARGIN * 2.0))
        .margin_bottom(px.u(MARGIN / 2.0))
        .set_label_area_size(LabelAreaPosition::Left, px.u(y_label_width))
        .set_label_area_size(LabelAreaPosition::Bottom, px.u(AXIS))
        .build_cartesian_2d(x, 0.0..y_upper)
        .map_err(plot_err)?;
    chart
        .configure_mesh()
        .x_labels(8)
        .y_labels(8)
        .x_label_formatter(&x_tick)
        .y_label_formatter(&y_tick)
        .x_desc(x_desc)
        .y_desc(y_desc)
        .label_style(px.text(TICK))
        .axis_desc_style(px.text(LABEL))
        .axis_style(px.line(INK, 1.0))
        .bold_line_style(px.line(GRID, 1.0))
        .light_line_style(TRANSPARENT)
        .set_all_tick_mark_size(px.u(5.0))
        .draw()
        .map_err(plot_err)?;
    Ok(chart)
}

/// A dashed vertical line at `x` (the fund, or the budget), the full height of a line chart.
/// A solved point of a curve: x, the value, and the range its solve proved when it
/// stopped within a gap.
pub(super) type CurvePoint = (f64, f64, Option<(f64, f64)>);

/// A curve of solved points: the line through them, each point's proven range where
/// its solve stopped within a gap, and a dot at each.
pub(super) fn value_line<DB: DrawingBackend>(
    chart: &mut Plot<DB>,
    root: &DrawingArea<DB, Shift>,
    px: Px,
    points: &[CurvePoint],
) -> Result<(), String> {
    chart
        .draw_series(std::iter::once(PathElement::new(
            points.iter().map(|&(x, y, _)| (x, y)).collect::<Vec<_>>(),
            px.line(BLUE, 3.0),
        )))
        .map_err(plot_err)?;
    for &(x, _, proven) in points {
        if let Some((low, high)) = proven {
            let top = chart.backend_coord(&(x, high));
            let bottom = chart.backend_coord(&(x, low));
            range_bar(root, px, top, bottom, BLUE)?;
        }
    }
    chart
        .draw_series(
            points
                .iter()
                .map(|&(x, y, _)| Circle::new((x, y), px.u(6.0), BLUE.filled())),
        )
        .map_err(plot_err)?;
    Ok(())
}

pub(super) fn dashed_at<DB: DrawingBackend>(
    chart: &mut Plot<DB>,
    px: Px,
    x: f64,
    y_upper: f64,
) -> Result<(), String> {
    chart
        .draw_series(std::iter::once(DashedPathElement::new(
            vec![(x, 0.0), (x, y_upper)],
            px.n(8.0),
            px.n(5.0),
            px.line(INK, 2.0),
        )))
        .map_err(plot_err)?;
    Ok(())
}

/// Row `i` (0 at the top) is centred at this y in a frame of `n` rows.
pub(super) fn row_centre(n: usize, i: usize) -> f64 {
    n as f64 - i as f64 - 0.5
}

/// Row labels are cut to this width (design pixels): room for about 45 characters,
/// enough for most footprint names in full.
pub(super) const ROW_LABEL_MAX: f64 = WIDTH as f64 * 0.42;

/// Row labels cut to `ROW_LABEL_MAX`, and the label column's width.
pub(super) fn row_labels(names: &[String]) -> (Vec<String>, f64) {
    let max = ROW_LABEL_MAX;
    let labels: Vec<String> = names.iter().map(|s| fit(s, TICK, max)).collect();
    let widest = labels
        .iter()
        .map(|l| text_width(l, TICK))
        .fold(0.0, f64::max);
    (labels, widest + 16.0)
}

/// The upper end of an axis that leaves `room` design pixels after the largest value
/// for a text label, on a plot `plot_width` wide.
pub(super) fn upper_with_room(max: f64, room: f64, plot_width: f64) -> f64 {
    let max = if max.is_finite() && max > 0.0 {
        max
    } else {
        1.0
    };
    max / (1.0 - (room / plot_width).min(0.5))
}

/// Text at a data point, shifted by design pixels. Drawn on the root area, whose
/// coordinates are the backend's, so it may sit outside the plotting area.
pub(super) fn label_at<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Plot<'_, DB>,
    px: Px,
    at: (f64, f64),
    shift: (f64, f64),
    text: String,
    style: TextStyle<'static>,
) -> Result<(), String> {
    let (x, y) = chart.backend_coord(&at);
    root.draw(&Text::new(
        text,
        (x + px.n(shift.0), y + px.n(shift.1)),
        style,
    ))
    .map_err(plot_err)
}

pub(super) fn finite(x: f64) -> f64 {
    if x.is_finite() {
        x
    } else {
        0.0
    }
}

/// Height of a figure with nothing to plot: the header alone, whose subtitle says why.
pub(super) fn header_only_height(header: &Header) -> f64 {
    header.height() + MARGIN / 2.0
}

/// Height of a chart with one horizontal row per item: a tall one repeats its money
/// axis at the bottom as well as the top.
pub(super) fn row_chart_height(header: &Header, rows: usize, row: f64) -> f64 {
    let axes = if rows > TALL { 2.0 * AXIS } else { AXIS };
    header.height() + rows.max(1) as f64 * row + axes + MARGIN / 2.0
}
