//! Charts for finance readers, drawn by the same code on two backends: SVG for
//! report.html (sharp at any zoom) and PNG at twice the size for Excel and slides.
//!
//! Sizes are in design pixels on a 1,000 px wide canvas, which prints at A4 width with
//! labels near 8 pt. Text is measured and (in PNGs) drawn with the bundled DejaVu Sans,
//! so nothing depends on the fonts of the machine that runs the report. Rows of
//! footprints and categories are labelled by hand, one label per row, and the chart grows
//! taller with the number of rows so labels never overlap.

use crate::allocation::{Allocation, ProjectStatus};
use crate::domain::BudgetLine;
use crate::format::{money, thousands};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{register_font, FontDesc, FontFamily, FontStyle};
use std::ops::Range;
use std::sync::OnceLock;

/// One chart, ready to be written as `charts/<name>.svg` and `charts/<name>.png`.
pub struct Chart {
    pub name: &'static str,
    pub title: String,
    pub svg: String,
    pub png: Vec<u8>,
}

/// The five charts, in the order reports show them.
pub fn render_all(a: &Allocation) -> Result<Vec<Chart>, String> {
    fonts()?;
    Ok(vec![
        render("allocation_by_footprint", &FootprintFigure::new(a))?,
        render("spend_profile", &SpendFigure::new(a))?,
        render("allocation_by_category", &CategoryFigure::new(a))?,
        render("maturity_before_after", &MaturityFigure::new(a))?,
        render("value_for_money_curve", &ValueCurveFigure::new(a))?,
    ])
}

// ---------------------------------------------------------------------------
// Text, value and money helpers shared with the HTML and XLSX writers.

/// The display name of a comparison method.
pub(crate) fn method_name(method: &str) -> String {
    match method {
        "fair_share" => "Population fair-share formula".to_string(),
        "greedy" => "Greedy ranking by value per £".to_string(),
        other => other.replace('_', " "),
    }
}

/// A value in the allocation's unit for prose: money units read as money.
pub(crate) fn value_text(a: &Allocation, v: f64) -> String {
    let (figure, unit) = value_parts(a, v);
    format!("{figure} {unit}")
}

/// A value as a short figure and the words of its unit: ("£1.2m", "of benefit (present value)").
pub(crate) fn value_parts(a: &Allocation, v: f64) -> (String, String) {
    match a.value_unit.strip_prefix("£k ") {
        Some(rest) => (money(v), rest.to_string()),
        None => (thousands(v), a.value_unit.clone()),
    }
}

/// A plain number with as many decimals as its size deserves.
pub(crate) fn number(x: f64) -> String {
    let a = x.abs();
    if a == 0.0 {
        "0".to_string()
    } else if a >= 100.0 {
        thousands(x)
    } else if a >= 1.0 {
        crate::format::fixed(x, 2)
    } else {
        crate::format::fixed(x, 3)
    }
}

/// Money on each budget line in each year, `[line][year]`, summed over projects.
pub(crate) fn spend_by_line_year(a: &Allocation) -> Vec<Vec<f64>> {
    let mut out = vec![vec![0.0; a.years.len()]; a.lines.len()];
    for p in &a.projects {
        for (l, line) in p.amounts.iter().enumerate().take(a.lines.len()) {
            for (y, amount) in line.iter().enumerate().take(a.years.len()) {
                out[l][y] += amount;
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Fonts, sizes and colours.

static DEJAVU_SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static DEJAVU_SANS_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// Registers the bundled fonts once per process. They are registered as "sans-serif":
/// the family plotters asks for, and the one SVG viewers fall back on.
fn fonts() -> Result<(), String> {
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

const WIDTH: u32 = 1000;
/// PNGs are drawn at twice the design size and tagged 192 dpi, so Excel shows them at
/// the design size and they print sharply.
const PNG_SCALE: f64 = 2.0;
const PNG_PIXELS_PER_METRE: u32 = 7559; // 192 dpi

const MARGIN: f64 = 24.0;
// Font sizes in plotters' units (SVG shows them ÷ 1.24 as CSS px): 20 → 16 px → 8 pt at A4.
const TITLE: f64 = 31.0;
const SUBTITLE: f64 = 21.0;
const LABEL: f64 = 22.0;
const TICK: f64 = 20.0;
/// Height of one footprint row: the label's height plus a clear gap.
pub(crate) const ROW: f64 = 28.0;
/// Height of one category row (a stacked bar).
const CATEGORY_ROW: f64 = 40.0;
const AXIS: f64 = 70.0;
/// Charts taller than this also get the money axis at the top.
const TALL: usize = 25;

const WHITE_BG: RGBColor = RGBColor(0xff, 0xff, 0xff);
const INK: RGBColor = RGBColor(0x1a, 0x1a, 0x1a);
const MUTED: RGBColor = RGBColor(0x50, 0x50, 0x50);
const GRID: RGBColor = RGBColor(0xdd, 0xdd, 0xdd);
// Okabe and Ito's palette, distinguishable with every common colour-vision deficiency.
const ORANGE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
const SKY_BLUE: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
const GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
const YELLOW: RGBColor = RGBColor(0xF0, 0xE4, 0x42);
const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
const PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
const GREY: RGBColor = RGBColor(0x99, 0x99, 0x99);
/// Categorical colours in order; black is kept for markers. Past eight, colours repeat.
const PALETTE: [RGBColor; 8] = [
    BLUE, ORANGE, GREEN, SKY_BLUE, VERMILLION, PURPLE, YELLOW, GREY,
];

fn palette(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// Design pixels → backend pixels.
#[derive(Clone, Copy)]
struct Px(f64);

impl Px {
    fn n(self, v: f64) -> i32 {
        (v * self.0).round() as i32
    }
    fn u(self, v: f64) -> u32 {
        (v * self.0).round().max(0.0) as u32
    }
    fn text(self, size: f64) -> TextStyle<'static> {
        FontDesc::new(FontFamily::SansSerif, size * self.0, FontStyle::Normal).color(&INK)
    }
    fn muted(self, size: f64) -> TextStyle<'static> {
        FontDesc::new(FontFamily::SansSerif, size * self.0, FontStyle::Normal).color(&MUTED)
    }
    fn bold(self, size: f64) -> TextStyle<'static> {
        FontDesc::new(FontFamily::SansSerif, size * self.0, FontStyle::Bold).color(&INK)
    }
    fn line(self, colour: RGBColor, width: f64) -> ShapeStyle {
        colour.stroke_width(self.u(width).max(1))
    }
}

/// Width of a text in design pixels, measured with the bundled font.
fn text_width(text: &str, size: f64) -> f64 {
    FontDesc::new(FontFamily::SansSerif, size, FontStyle::Normal)
        .box_size(text)
        .map(|(w, _)| w as f64)
        .unwrap_or(text.chars().count() as f64 * size * 0.6)
}

/// The text, cut with an ellipsis if it is wider than `max` design pixels.
fn fit(text: &str, size: f64, max: f64) -> String {
    if text_width(text, size) <= max {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut keep = chars.len();
    while keep > 1 {
        keep -= 1;
        let cut: String = chars[..keep]
            .iter()
            .collect::<String>()
            .trim_end()
            .to_string()
            + "…";
        if text_width(&cut, size) <= max {
            return cut;
        }
    }
    "…".to_string()
}

/// Words wrapped into lines no wider than `max`.
fn wrap(text: &str, size: f64, max: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if !current.is_empty() && text_width(&candidate, size) > max {
            lines.push(std::mem::replace(&mut current, word.to_string()));
        } else {
            current = candidate;
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

fn plot_err<E: std::fmt::Display>(e: E) -> String {
    format!("drawing a chart failed: {e}")
}

/// How money (held in £k) is shown on an axis: £m from £1m, like `format::money`,
/// so axis ticks and the £m labels on bars read in the same unit.
#[derive(Clone, Copy)]
struct MoneyAxis {
    divisor: f64,
    unit: &'static str,
    decimals: usize,
}

impl MoneyAxis {
    fn for_max(max_k: f64) -> MoneyAxis {
        if max_k >= 1_000.0 {
            let decimals = if max_k / 1000.0 < 20.0 { 1 } else { 0 };
            MoneyAxis {
                divisor: 1000.0,
                unit: "£m",
                decimals,
            }
        } else {
            MoneyAxis {
                divisor: 1.0,
                unit: "£k",
                decimals: 0,
            }
        }
    }
    fn tick(&self, k: f64) -> String {
        let v = k / self.divisor;
        if self.decimals == 0 {
            thousands(v)
        } else {
            crate::format::fixed(v, self.decimals)
        }
    }
}

/// How values in the allocation's unit are shown on an axis.
struct ValueAxis {
    divisor: f64,
    /// e.g. "£m of benefit (present value)" or "millions of need-weighted person-points".
    unit: String,
    money: Option<MoneyAxis>,
}

impl ValueAxis {
    fn new(unit: &str, max: f64) -> ValueAxis {
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
    fn tick(&self, v: f64) -> String {
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
enum Key {
    Bar(RGBColor),
    Line(RGBColor),
    Dashed(RGBColor),
    Dot(RGBColor),
    /// A path with its end point marked.
    LineDot(RGBColor),
    /// The black fair-share tick.
    Tick,
    Triangle(RGBColor),
}

const SWATCH: f64 = 24.0;
const LEGEND_ROW: f64 = 30.0;
const LINE_HEIGHT: f64 = 26.0;

struct Header {
    title: String,
    subtitle: Vec<String>,
    legend: Vec<(Key, String)>,
    /// Each legend entry's x offset and row.
    placed: Vec<(f64, usize)>,
    rows: usize,
}

impl Header {
    fn new(title: &str, subtitle: &str, legend: Vec<(Key, String)>) -> Header {
        let width = WIDTH as f64 - 2.0 * MARGIN;
        let mut placed = Vec::with_capacity(legend.len());
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

    fn height(&self) -> f64 {
        MARGIN
            + 40.0
            + self.subtitle.len() as f64 * LINE_HEIGHT
            + 10.0
            + self.rows as f64 * LEGEND_ROW
            + 12.0
    }

    fn draw<DB: DrawingBackend>(
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

/// A chart that can draw itself at any scale on any backend.
trait Figure {
    /// Height in design pixels (the width is always `WIDTH`).
    fn height(&self) -> f64;
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, px: Px)
        -> Result<(), String>;
    fn title(&self) -> String;
}

fn render<F: Figure>(name: &'static str, figure: &F) -> Result<Chart, String> {
    let height = figure.height().ceil() as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE_BG).map_err(plot_err)?;
        figure.draw(&root, Px(1.0))?;
        root.present().map_err(plot_err)?;
    }
    let (w, h) = (
        (WIDTH as f64 * PNG_SCALE) as u32,
        (height as f64 * PNG_SCALE) as u32,
    );
    let mut rgb = vec![0u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        root.fill(&WHITE_BG).map_err(plot_err)?;
        figure.draw(&root, Px(PNG_SCALE))?;
        root.present().map_err(plot_err)?;
    }
    Ok(Chart {
        name,
        title: figure.title(),
        svg,
        png: encode_png(&rgb, w, h)?,
    })
}

/// PNG bytes from an RGB buffer. The encoder has no clock or random input, so the same
/// pixels always give the same bytes.
fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Default);
    encoder.set_pixel_dims(Some(png::PixelDimensions {
        xppu: PNG_PIXELS_PER_METRE,
        yppu: PNG_PIXELS_PER_METRE,
        unit: png::Unit::Meter,
    }));
    let bad = |e: png::EncodingError| format!("encoding a chart as PNG failed: {e}");
    let mut writer = encoder.write_header().map_err(bad)?;
    writer.write_image_data(rgb).map_err(bad)?;
    writer.finish().map_err(bad)?;
    Ok(out)
}

type Plot<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The plotting frame of a chart with one row per item: rows are labelled by hand
/// (every row keeps its label), the money or score axis runs along the bottom, and
/// along the top too when the chart is tall.
#[allow(clippy::too_many_arguments)]
fn row_frame<'a, DB: DrawingBackend>(
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

/// Row `i` (0 at the top) is centred at this y in a frame of `n` rows.
fn row_centre(n: usize, i: usize) -> f64 {
    n as f64 - i as f64 - 0.5
}

/// Row labels are cut to this width (design pixels): room for about 45 characters,
/// enough for most footprint names in full.
const ROW_LABEL_MAX: f64 = WIDTH as f64 * 0.42;

/// Row labels cut to `ROW_LABEL_MAX`, and the label column's width.
fn row_labels(names: &[String]) -> (Vec<String>, f64) {
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
fn upper_with_room(max: f64, room: f64, plot_width: f64) -> f64 {
    let max = if max.is_finite() && max > 0.0 {
        max
    } else {
        1.0
    };
    max / (1.0 - (room / plot_width).min(0.5))
}

/// Text at a data point, shifted by design pixels. Drawn on the root area, whose
/// coordinates are the backend's, so it may sit outside the plotting area.
fn label_at<DB: DrawingBackend>(
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

// ---------------------------------------------------------------------------
// 1. Allocation by footprint.

struct FootprintFigure {
    header: Header,
    /// Sorted by amount, largest first: (label, colour, funded £k, fair share £k).
    rows: Vec<(String, RGBColor, f64, f64)>,
    label_width: f64,
    axis: MoneyAxis,
    upper: f64,
}

impl FootprintFigure {
    fn new(a: &Allocation) -> FootprintFigure {
        let regions = regions(a);
        let mut order: Vec<usize> = (0..a.footprints.len()).collect();
        order.sort_by(|&i, &j| {
            let (f, g) = (&a.footprints[i], &a.footprints[j]);
            g.funded
                .total_cmp(&f.funded)
                .then_with(|| f.name.cmp(&g.name))
        });
        let names: Vec<String> = order
            .iter()
            .map(|&i| a.footprints[i].name.clone())
            .collect();
        let (labels, label_width) = row_labels(&names);
        let rows: Vec<_> = order
            .iter()
            .zip(labels)
            .map(|(&i, label)| {
                let f = &a.footprints[i];
                let colour = palette(regions.iter().position(|r| *r == f.region).unwrap_or(0));
                (label, colour, finite(f.funded), finite(f.fair_share))
            })
            .collect();
        let max = rows.iter().map(|r| r.2.max(r.3)).fold(0.0, f64::max);
        let axis = MoneyAxis::for_max(max);
        let plot_width = WIDTH as f64 - 2.0 * MARGIN - label_width;
        let upper = upper_with_room(max, text_width("£999.9m", TICK) + 16.0, plot_width);
        let mut legend: Vec<(Key, String)> = regions
            .iter()
            .enumerate()
            .map(|(i, r)| (Key::Bar(palette(i)), r.clone()))
            .collect();
        legend.push((Key::Tick, "population fair share".to_string()));
        let funded = a.footprints.iter().filter(|f| f.funded > 0.0).count();
        let subtitle = format!(
            "{} allocated to {funded} of {} footprints, largest first. Bars are coloured by region; the black mark is each footprint's population share of the whole fund.",
            money(a.total_funded),
            a.footprints.len()
        );
        FootprintFigure {
            header: Header::new("Allocation by footprint", &subtitle, legend),
            rows,
            label_width,
            axis,
            upper,
        }
    }
}

/// Regions in alphabetical order, so each keeps its colour from one run to the next.
fn regions(a: &Allocation) -> Vec<String> {
    let mut regions: Vec<String> = a.footprints.iter().map(|f| f.region.clone()).collect();
    regions.sort();
    regions.dedup();
    regions
}

fn finite(x: f64) -> f64 {
    if x.is_finite() {
        x
    } else {
        0.0
    }
}

/// Height of a chart with one horizontal row per item: a tall one repeats its money
/// axis at the bottom as well as the top.
fn row_chart_height(header: &Header, rows: usize, row: f64) -> f64 {
    let axes = if rows > TALL { 2.0 * AXIS } else { AXIS };
    header.height() + rows.max(1) as f64 * row + axes + MARGIN / 2.0
}

impl Figure for FootprintFigure {
    fn title(&self) -> String {
        self.header.title.clone()
    }

    fn height(&self) -> f64 {
        row_chart_height(&self.header, self.rows.len(), ROW)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        px: Px,
    ) -> Result<(), String> {
        self.header.draw(root, px)?;
        let (_, body) = root.split_vertically(px.n(self.header.height()));
        let labels: Vec<String> = self.rows.iter().map(|r| r.0.clone()).collect();
        let axis = self.axis;
        let tick = move |v: &f64| axis.tick(*v);
        let desc = format!("Allocation ({})", axis.unit);
        let mut chart = row_frame(
            root,
            &body,
            px,
            &labels,
            self.label_width,
            0.0..self.upper,
            &desc,
            &tick,
            0.0,
        )?;
        let n = self.rows.len();
        chart
            .draw_series(self.rows.iter().enumerate().map(|(i, r)| {
                let y = row_centre(n, i);
                Rectangle::new([(0.0, y - 0.36), (r.2, y + 0.36)], r.1.filled())
            }))
            .map_err(plot_err)?;
        // Fair-share marks: black with a white halo so they show on every bar colour.
        for (style, half) in [(px.line(WHITE_BG, 6.0), 0.48), (px.line(INK, 2.5), 0.45)] {
            chart
                .draw_series(self.rows.iter().enumerate().map(|(i, r)| {
                    let y = row_centre(n, i);
                    PathElement::new(vec![(r.3, y - half), (r.3, y + half)], style)
                }))
                .map_err(plot_err)?;
        }
        // Each amount sits just after its bar, or after the fair-share mark when the
        // mark would run through it.
        let style = px.text(TICK).pos(Pos::new(HPos::Left, VPos::Center));
        for (i, r) in self.rows.iter().enumerate() {
            let label = money(r.2);
            let width = px.n(text_width(&label, TICK) + 16.0);
            let (bar, y) = chart.backend_coord(&(r.2, row_centre(n, i)));
            let (mark, _) = chart.backend_coord(&(r.3, row_centre(n, i)));
            let x = if mark >= bar - px.n(4.0) && mark < bar + width {
                mark
            } else {
                bar
            };
            root.draw(&Text::new(label, (x + px.n(8.0), y), style.clone()))
                .map_err(plot_err)?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// 2. Spend profile by financial year.

struct SpendFigure {
    header: Header,
    years: Vec<String>,
    lines: Vec<BudgetLine>,
    /// `[line][year]` money allocated and budget, £k.
    used: Vec<Vec<f64>>,
    budget: Vec<Vec<f64>>,
    axis: MoneyAxis,
    upper: f64,
}

const SPEND_PLOT: f64 = 460.0;

fn line_colour(line: BudgetLine) -> RGBColor {
    match line {
        BudgetLine::Capital => BLUE,
        BudgetLine::Revenue => ORANGE,
    }
}

pub(crate) fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

impl SpendFigure {
    fn new(a: &Allocation) -> SpendFigure {
        let used = spend_by_line_year(a);
        let budget: Vec<Vec<f64>> = a
            .lines
            .iter()
            .map(|&line| {
                let amounts = a.scenario.budget_for(line).unwrap_or(&[]);
                (0..a.years.len())
                    .map(|y| amounts.get(y).copied().unwrap_or(0.0))
                    .collect()
            })
            .collect();
        let total = |m: &Vec<Vec<f64>>, y: usize| m.iter().map(|l| l[y]).sum::<f64>();
        let max = (0..a.years.len())
            .map(|y| total(&used, y).max(total(&budget, y)))
            .fold(0.0, f64::max);
        let axis = MoneyAxis::for_max(max);
        let mut legend: Vec<(Key, String)> = a
            .lines
            .iter()
            .map(|&l| {
                (
                    Key::Bar(line_colour(l)),
                    format!("{} allocated", capitalised(l.name())),
                )
            })
            .collect();
        legend.push((Key::Line(INK), "total budget".to_string()));
        if a.lines.len() > 1 && a.lines.contains(&BudgetLine::Capital) {
            legend.push((Key::Dashed(INK), "capital budget".to_string()));
        }
        let subtitle = format!(
            "Money allocated in each financial year against the year's budget ({} of {} over {} years). Percentages: share of the year's budget used.",
            money(a.total_funded),
            money(a.scenario.total_budget()),
            a.years.len()
        );
        SpendFigure {
            header: Header::new("Spend profile by financial year", &subtitle, legend),
            years: a.years.iter().map(|y| y.label().to_string()).collect(),
            lines: a.lines.clone(),
            used,
            budget,
            axis,
            upper: if max > 0.0 { max * 1.18 } else { 1.0 },
        }
    }
}

impl Figure for SpendFigure {
    fn title(&self) -> String {
        self.header.title.clone()
    }

    fn height(&self) -> f64 {
        self.header.height() + SPEND_PLOT + AXIS + MARGIN / 2.0
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        px: Px,
    ) -> Result<(), String> {
        self.header.draw(root, px)?;
        let (_, body) = root.split_vertically(px.n(self.header.height()));
        let n = self.years.len().max(1);
        let axis = self.axis;
        let tick = move |v: &f64| axis.tick(*v);
        let desc = format!("Money ({})", axis.unit);
        let mut chart = ChartBuilder::on(&body)
            .margin_left(px.u(MARGIN))
            .margin_right(px.u(MARGIN))
            .margin_bottom(px.u(MARGIN / 2.0))
            .set_label_area_size(LabelAreaPosition::Left, px.u(100.0))
            .set_label_area_size(LabelAreaPosition::Bottom, px.u(AXIS))
            .build_cartesian_2d(0.0..n as f64, 0.0..self.upper)
            .map_err(plot_err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_labels(8)
            .y_label_formatter(&tick)
            .y_desc(desc)
            .x_desc("Financial year")
            .label_style(px.text(TICK))
            .axis_desc_style(px.text(LABEL))
            .axis_style(px.line(INK, 1.0))
            .bold_line_style(px.line(GRID, 1.0))
            .light_line_style(TRANSPARENT)
            .set_all_tick_mark_size(px.u(5.0))
            .draw()
            .map_err(plot_err)?;
        let year_style = px.text(TICK).pos(Pos::new(HPos::Center, VPos::Top));
        let note_style = px.muted(TICK).pos(Pos::new(HPos::Center, VPos::Bottom));
        let slot_width = (WIDTH as f64 - 2.0 * MARGIN - 100.0) / n as f64;
        for (y, year) in self.years.iter().enumerate() {
            let centre = y as f64 + 0.5;
            label_at(
                root,
                &chart,
                px,
                (centre, 0.0),
                (0.0, 10.0),
                year.clone(),
                year_style.clone(),
            )?;
            let mut base = 0.0;
            for (l, &line) in self.lines.iter().enumerate() {
                let top = base + self.used[l][y];
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(y as f64 + 0.2, base), (y as f64 + 0.8, top)],
                        line_colour(line).filled(),
                    )))
                    .map_err(plot_err)?;
                base = top;
            }
            let total_budget: f64 = self.budget.iter().map(|b| b[y]).sum();
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![
                        (y as f64 + 0.1, total_budget),
                        (y as f64 + 0.9, total_budget),
                    ],
                    px.line(INK, 3.0),
                )))
                .map_err(plot_err)?;
            if self.lines.len() > 1 {
                if let Some(c) = self.lines.iter().position(|&l| l == BudgetLine::Capital) {
                    let b = self.budget[c][y];
                    chart
                        .draw_series(std::iter::once(DashedPathElement::new(
                            vec![(y as f64 + 0.1, b), (y as f64 + 0.9, b)],
                            px.n(8.0),
                            px.n(5.0),
                            px.line(INK, 2.0),
                        )))
                        .map_err(plot_err)?;
                }
            }
            if total_budget > 0.0 {
                let share = base / total_budget * 100.0;
                let long = format!("{share:.0}% of {}", money(total_budget));
                let text = if text_width(&long, TICK) < slot_width - 8.0 {
                    long
                } else {
                    format!("{share:.0}%")
                };
                label_at(
                    root,
                    &chart,
                    px,
                    (centre, base.max(total_budget)),
                    (0.0, -8.0),
                    text,
                    note_style.clone(),
                )?;
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// 3. Allocation by category, stacked by year.

struct CategoryFigure {
    header: Header,
    labels: Vec<String>,
    /// Per category (largest first), money per year, £k.
    amounts: Vec<Vec<f64>>,
    label_width: f64,
    axis: MoneyAxis,
    upper: f64,
    total: f64,
}

impl CategoryFigure {
    fn new(a: &Allocation) -> CategoryFigure {
        let mut categories: Vec<(String, Vec<f64>)> = Vec::new();
        for p in &a.projects {
            let i = match categories.iter().position(|(c, _)| *c == p.category) {
                Some(i) => i,
                None => {
                    categories.push((p.category.clone(), vec![0.0; a.years.len()]));
                    categories.len() - 1
                }
            };
            for line in p.amounts.iter().take(a.lines.len()) {
                for (y, amount) in line.iter().enumerate().take(a.years.len()) {
                    categories[i].1[y] += amount;
                }
            }
        }
        categories.retain(|(_, v)| v.iter().sum::<f64>() > 0.0);
        categories.sort_by(|(c, u), (d, v)| {
            v.iter()
                .sum::<f64>()
                .total_cmp(&u.iter().sum::<f64>())
                .then_with(|| c.cmp(d))
        });
        let names: Vec<String> = categories.iter().map(|(c, _)| c.clone()).collect();
        let (labels, label_width) = row_labels(&names);
        let max = categories
            .iter()
            .map(|(_, v)| v.iter().sum::<f64>())
            .fold(0.0, f64::max);
        let axis = MoneyAxis::for_max(max);
        let plot_width = WIDTH as f64 - 2.0 * MARGIN - label_width;
        let upper = upper_with_room(max, text_width("£999.9m (100%)", TICK) + 16.0, plot_width);
        let legend = a
            .years
            .iter()
            .enumerate()
            .map(|(y, year)| (Key::Bar(palette(y)), year.label().to_string()))
            .collect();
        let subtitle = format!(
            "Money allocated to each category of project, largest first, split by financial year ({} in all).",
            money(a.total_funded)
        );
        CategoryFigure {
            header: Header::new("Allocation by category", &subtitle, legend),
            labels,
            amounts: categories.into_iter().map(|(_, v)| v).collect(),
            label_width,
            axis,
            upper,
            total: a.total_funded,
        }
    }
}

impl Figure for CategoryFigure {
    fn title(&self) -> String {
        self.header.title.clone()
    }

    fn height(&self) -> f64 {
        row_chart_height(&self.header, self.labels.len(), CATEGORY_ROW)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        px: Px,
    ) -> Result<(), String> {
        self.header.draw(root, px)?;
        let (_, body) = root.split_vertically(px.n(self.header.height()));
        let axis = self.axis;
        let tick = move |v: &f64| axis.tick(*v);
        let desc = format!("Allocation ({})", axis.unit);
        let mut chart = row_frame(
            root,
            &body,
            px,
            &self.labels,
            self.label_width,
            0.0..self.upper,
            &desc,
            &tick,
            0.0,
        )?;
        let n = self.labels.len();
        let style = px.text(TICK).pos(Pos::new(HPos::Left, VPos::Center));
        for (i, years) in self.amounts.iter().enumerate() {
            let yc = row_centre(n, i);
            let mut start = 0.0;
            for (y, amount) in years.iter().enumerate() {
                let end = start + amount;
                chart
                    .draw_series([
                        Rectangle::new([(start, yc - 0.34), (end, yc + 0.34)], palette(y).filled()),
                        // A thin white edge keeps neighbouring years apart.
                        Rectangle::new(
                            [(start, yc - 0.34), (end, yc + 0.34)],
                            px.line(WHITE_BG, 1.0),
                        ),
                    ])
                    .map_err(plot_err)?;
                start = end;
            }
            let share = if self.total > 0.0 {
                start / self.total * 100.0
            } else {
                0.0
            };
            label_at(
                root,
                &chart,
                px,
                (start, yc),
                (8.0, 0.0),
                format!("{} ({share:.0}%)", money(start)),
                style.clone(),
            )?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// 4. Maturity before and after, per footprint.

struct MaturityFigure {
    header: Header,
    labels: Vec<String>,
    /// (before, after) capabilities scores, ordered by the gap closed, largest first.
    scores: Vec<(f64, f64)>,
    label_width: f64,
}

const GAIN_COLUMN: f64 = 70.0;

impl MaturityFigure {
    fn new(a: &Allocation) -> MaturityFigure {
        let mut order: Vec<usize> = (0..a.footprints.len()).collect();
        let gain =
            |i: usize| a.footprints[i].capabilities_after - a.footprints[i].capabilities_before;
        order.sort_by(|&i, &j| {
            gain(j)
                .total_cmp(&gain(i))
                .then_with(|| a.footprints[i].name.cmp(&a.footprints[j].name))
        });
        let names: Vec<String> = order
            .iter()
            .map(|&i| a.footprints[i].name.clone())
            .collect();
        let (labels, label_width) = row_labels(&names);
        let scores: Vec<(f64, f64)> = order
            .iter()
            .map(|&i| {
                (
                    finite(a.footprints[i].capabilities_before),
                    finite(a.footprints[i].capabilities_after),
                )
            })
            .collect();
        let mean_gain = if scores.is_empty() {
            0.0
        } else {
            scores.iter().map(|(b, f)| f - b).sum::<f64>() / scores.len() as f64
        };
        let subtitle = format!(
            "Capabilities score (Digital Maturity Index, 0–100) before and after the funded projects, footprints ordered by the gap closed; on average +{mean_gain:.1} points."
        );
        let legend = vec![
            (Key::Dot(ORANGE), "before funding".to_string()),
            (Key::Dot(BLUE), "after funding".to_string()),
            (
                Key::Line(GREY),
                "gap closed (points gained at right)".to_string(),
            ),
        ];
        MaturityFigure {
            header: Header::new(
                "Digital maturity before and after funding",
                &subtitle,
                legend,
            ),
            labels,
            scores,
            label_width,
        }
    }
}

impl Figure for MaturityFigure {
    fn title(&self) -> String {
        self.header.title.clone()
    }

    fn height(&self) -> f64 {
        let axes = if self.labels.len() > TALL {
            2.0 * AXIS
        } else {
            AXIS
        };
        self.header.height() + self.labels.len().max(1) as f64 * ROW + axes + MARGIN / 2.0
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        px: Px,
    ) -> Result<(), String> {
        self.header.draw(root, px)?;
        let (_, body) = root.split_vertically(px.n(self.header.height()));
        let tick = |v: &f64| format!("{v:.0}");
        let mut chart = row_frame(
            root,
            &body,
            px,
            &self.labels,
            self.label_width,
            0.0..100.0,
            "Capabilities score (0–100)",
            &tick,
            GAIN_COLUMN,
        )?;
        let n = self.labels.len();
        let gain_style = px.muted(TICK).pos(Pos::new(HPos::Right, VPos::Center));
        for (i, &(before, after)) in self.scores.iter().enumerate() {
            let y = row_centre(n, i);
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(before, y), (after, y)],
                    px.line(GREY, 4.0),
                )))
                .map_err(plot_err)?;
            chart
                .draw_series([
                    Circle::new((before, y), px.u(7.0), ORANGE.filled()),
                    Circle::new((after, y), px.u(7.0), BLUE.filled()),
                ])
                .map_err(plot_err)?;
            let (_, py) = chart.backend_coord(&(0.0, y));
            let right = px.n(WIDTH as f64 - MARGIN);
            root.draw(&Text::new(
                format!("+{:.1}", after - before),
                (right, py),
                gain_style.clone(),
            ))
            .map_err(plot_err)?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// 5. The value-for-money curve.

struct ValueCurveFigure {
    header: Header,
    /// Every eligible bid at full cost, best value per £ first, cut at the x axis end.
    candidates: Vec<(f64, f64)>,
    optimal: Vec<(f64, f64)>,
    greedy: Vec<(f64, f64)>,
    fair_share: Option<(f64, f64)>,
    budget: f64,
    x_axis: MoneyAxis,
    y_axis: ValueAxis,
    x_upper: f64,
    y_upper: f64,
}

/// The full value of a project if funded in full, from its value per £ and cost.
fn full_value(a: &Allocation, value_per_pound: f64, cost: f64) -> f64 {
    // Benefit per £ is a ratio of two £k amounts; other value units are per £ (£k × 1,000).
    let per = if a.value_unit.starts_with("£k") {
        1.0
    } else {
        1000.0
    };
    value_per_pound * cost * per
}

/// Cumulative (cost, value) points from the origin.
fn cumulative(steps: impl Iterator<Item = (f64, f64)>) -> Vec<(f64, f64)> {
    let mut out = vec![(0.0, 0.0)];
    let (mut x, mut y) = (0.0, 0.0);
    for (dx, dy) in steps {
        x += dx;
        y += dy;
        out.push((x, y));
    }
    out
}

impl ValueCurveFigure {
    fn new(a: &Allocation) -> ValueCurveFigure {
        let mut order: Vec<usize> = (0..a.projects.len())
            .filter(|&i| {
                a.projects[i].status != ProjectStatus::ExcludedByRule && a.projects[i].cost > 0.0
            })
            .collect();
        order.sort_by(|&i, &j| {
            let (p, q) = (&a.projects[i], &a.projects[j]);
            q.value_per_pound
                .total_cmp(&p.value_per_pound)
                .then_with(|| p.project_id.cmp(&q.project_id))
        });
        let full = |i: usize| full_value(a, a.projects[i].value_per_pound, a.projects[i].cost);
        let mut candidates = cumulative(order.iter().map(|&i| (a.projects[i].cost, full(i))));
        let optimal = cumulative(
            order
                .iter()
                .filter(|&&i| a.projects[i].fraction > 0.0)
                .map(|&i| (a.projects[i].funded, a.projects[i].value)),
        );
        let greedy_cmp = a.comparisons.iter().find(|c| c.method == "greedy");
        let greedy = match greedy_cmp {
            Some(c) => {
                let fraction = |i: usize| c.fractions.get(i).copied().unwrap_or(0.0);
                let mut path = cumulative(
                    order
                        .iter()
                        .filter(|&&i| fraction(i) > 0.0)
                        .map(|&i| (a.projects[i].cost * fraction(i), full(i) * fraction(i))),
                );
                // Per-project values at full funding can overstate a portfolio's value (maturity
                // gains are capped per footprint), so the path is scaled to end at the method's
                // own total; for monetised benefit the factor is 1.
                let end = path.last().map_or(0.0, |p| p.1);
                if end > 0.0 {
                    let k = c.value / end;
                    path.iter_mut().for_each(|p| p.1 *= k);
                }
                path
            }
            None => Vec::new(),
        };
        let fair_share = a
            .comparisons
            .iter()
            .find(|c| c.method == "fair_share")
            .map(|c| (c.spent, c.value));
        let budget = a.scenario.total_budget();

        // Show the bids a little past the budget: the story is where each method stops,
        // and a longer curve would squeeze that into a corner.
        let reach = budget
            .max(a.total_funded)
            .max(greedy.last().map_or(0.0, |p| p.0))
            .max(fair_share.map_or(0.0, |p| p.0))
            * 1.15;
        let total_cost = candidates.last().map_or(0.0, |p| p.0);
        let x_max = if reach > 0.0 {
            total_cost.min(reach).max(budget)
        } else {
            total_cost.max(1.0)
        };
        if let Some(cut) = candidates.iter().position(|p| p.0 > x_max) {
            let (p, q) = (candidates[cut - 1], candidates[cut]);
            let t = (x_max - p.0) / (q.0 - p.0);
            candidates.truncate(cut);
            candidates.push((x_max, p.1 + t * (q.1 - p.1)));
        }
        let y_max = [
            candidates.last().map_or(0.0, |p| p.1),
            a.total_value,
            greedy.last().map_or(0.0, |p| p.1),
            fair_share.map_or(0.0, |p| p.1),
        ]
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);

        // Values without their unit: the y axis names it.
        let short = |v: f64| value_parts(a, v).0;
        let mut legend = vec![
            (
                Key::Line(GREY),
                "all eligible bids, best value per £ first".to_string(),
            ),
            (
                Key::LineDot(BLUE),
                format!("optimal portfolio: {}", short(a.total_value)),
            ),
        ];
        if let Some(c) = greedy_cmp {
            legend.push((
                Key::LineDot(VERMILLION),
                format!("greedy ranking: {}", short(c.value)),
            ));
        }
        if let Some((_, v)) = fair_share {
            legend.push((
                Key::Triangle(PURPLE),
                format!("fair-share formula: {}", short(v)),
            ));
        }
        legend.push((
            Key::Dashed(INK),
            format!("total budget, all years: {}", money(budget)),
        ));
        let subtitle = match greedy_cmp {
            Some(c) if c.value > 0.0 && a.total_value > c.value => format!(
                "Cumulative value against cumulative cost, bids in value-per-£ order. Ranking stops where a bid no longer fits a year's budget or a rule; the optimiser picks the combination that fits, for {:.1}% more value than the greedy ranking.",
                (a.total_value / c.value - 1.0) * 100.0
            ),
            _ => "Cumulative value against cumulative cost, bids in value-per-£ order, with each method's portfolio marked.".to_string(),
        };
        ValueCurveFigure {
            header: Header::new(
                "Value for money: optimiser against ranking",
                &subtitle,
                legend,
            ),
            candidates,
            optimal,
            greedy,
            fair_share,
            budget,
            x_axis: MoneyAxis::for_max(x_max),
            y_axis: ValueAxis::new(&a.value_unit, y_max),
            x_upper: x_max * 1.04,
            y_upper: if y_max > 0.0 { y_max * 1.08 } else { 1.0 },
        }
    }
}

const CURVE_PLOT: f64 = 560.0;

impl Figure for ValueCurveFigure {
    fn title(&self) -> String {
        self.header.title.clone()
    }

    fn height(&self) -> f64 {
        self.header.height() + CURVE_PLOT + AXIS + MARGIN / 2.0
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        px: Px,
    ) -> Result<(), String> {
        self.header.draw(root, px)?;
        let (_, body) = root.split_vertically(px.n(self.header.height()));
        let x_axis = self.x_axis;
        let x_tick = move |v: &f64| x_axis.tick(*v);
        let y_tick = |v: &f64| self.y_axis.tick(*v);
        let y_label_width = text_width(&self.y_axis.tick(self.y_upper), TICK) + 60.0;
        let mut chart = ChartBuilder::on(&body)
            .margin_left(px.u(MARGIN))
            .margin_right(px.u(MARGIN * 2.0))
            .margin_bottom(px.u(MARGIN / 2.0))
            .set_label_area_size(LabelAreaPosition::Left, px.u(y_label_width))
            .set_label_area_size(LabelAreaPosition::Bottom, px.u(AXIS))
            .build_cartesian_2d(0.0..self.x_upper, 0.0..self.y_upper)
            .map_err(plot_err)?;
        chart
            .configure_mesh()
            .x_labels(8)
            .y_labels(8)
            .x_label_formatter(&x_tick)
            .y_label_formatter(&y_tick)
            .x_desc(format!("Cumulative cost to the fund ({})", x_axis.unit))
            .y_desc(format!("Cumulative value, {}", self.y_axis.unit))
            .label_style(px.text(TICK))
            .axis_desc_style(px.text(LABEL))
            .axis_style(px.line(INK, 1.0))
            .bold_line_style(px.line(GRID, 1.0))
            .light_line_style(TRANSPARENT)
            .set_all_tick_mark_size(px.u(5.0))
            .draw()
            .map_err(plot_err)?;
        chart
            .draw_series(std::iter::once(DashedPathElement::new(
                vec![(self.budget, 0.0), (self.budget, self.y_upper)],
                px.n(8.0),
                px.n(5.0),
                px.line(INK, 2.0),
            )))
            .map_err(plot_err)?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                self.candidates.clone(),
                px.line(GREY, 3.0),
            )))
            .map_err(plot_err)?;
        for (path, colour) in [(&self.greedy, VERMILLION), (&self.optimal, BLUE)] {
            if let Some(&end) = path.last() {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        path.clone(),
                        px.line(colour, 3.0),
                    )))
                    .map_err(plot_err)?;
                chart
                    .draw_series([
                        Circle::new(end, px.u(9.0), WHITE_BG.filled()),
                        Circle::new(end, px.u(7.0), colour.filled()),
                    ])
                    .map_err(plot_err)?;
            }
        }
        // A triangle, not a dot, so it stays distinct when it lands on another method's point.
        if let Some(point) = self.fair_share {
            chart
                .draw_series([
                    TriangleMarker::new(point, px.n(13.0), WHITE_BG.filled()),
                    TriangleMarker::new(point, px.n(9.0), PURPLE.filled()),
                ])
                .map_err(plot_err)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    fn png_size(png: &[u8]) -> (u32, u32) {
        let decoder = png::Decoder::new(png);
        let reader = decoder.read_info().expect("a valid PNG");
        let info = reader.info();
        (info.width, info.height)
    }

    fn svg_height(svg: &str) -> u32 {
        let start = svg.find("height=\"").unwrap() + 8;
        svg[start..].split('"').next().unwrap().parse().unwrap()
    }

    #[test]
    fn every_chart_renders_as_svg_and_png() {
        let a = sample::allocation();
        let charts = render_all(&a).unwrap();
        let names: Vec<&str> = charts.iter().map(|c| c.name).collect();
        assert_eq!(
            names,
            [
                "allocation_by_footprint",
                "spend_profile",
                "allocation_by_category",
                "maturity_before_after",
                "value_for_money_curve"
            ]
        );
        for c in &charts {
            assert!(c.svg.starts_with("<svg"), "{}", c.name);
            assert!(
                c.svg.contains(&c.title),
                "{}: the SVG shows its title",
                c.name
            );
            assert!(c.png.starts_with(b"\x89PNG\r\n\x1a\n"), "{}", c.name);
            let (w, h) = png_size(&c.png);
            assert_eq!(w, WIDTH * 2, "{}", c.name);
            assert_eq!(h, svg_height(&c.svg) * 2, "{}", c.name);
        }
    }

    #[test]
    fn chart_text_from_inputs_is_escaped() {
        let a = sample::allocation();
        for c in render_all(&a).unwrap() {
            assert!(
                !c.svg.contains("<b>") && !c.svg.contains("<i>"),
                "{}",
                c.name
            );
        }
        let footprint = &render_all(&a).unwrap()[0].svg;
        assert!(footprint.contains("&lt;b&gt;Bold &amp; &quot;quoted&quot;&lt;/b&gt;"));
    }

    #[test]
    fn charts_are_deterministic() {
        let a = sample::allocation();
        let (one, two) = (render_all(&a).unwrap(), render_all(&a).unwrap());
        for (x, y) in one.iter().zip(&two) {
            assert_eq!(x.svg, y.svg, "{}", x.name);
            assert_eq!(x.png, y.png, "{}", x.name);
        }
    }

    /// The y of every `<text>` drawn with the given content.
    fn text_rows(svg: &str, texts: &[String]) -> Vec<f64> {
        let mut ys = Vec::new();
        for element in svg.split("<text ").skip(1) {
            let (attrs, rest) = element.split_once('>').unwrap();
            let content = rest.split("</text>").next().unwrap().trim();
            if texts.iter().any(|t| t == content) {
                let y = attrs
                    .split("y=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap();
                ys.push(y.parse().unwrap());
            }
        }
        ys
    }

    #[test]
    fn a_hundred_footprints_keep_every_label_apart() {
        let a = sample::synthetic(100, 300, 3);
        let charts = render_all(&a).unwrap();
        let font_height = TICK / 1.24; // the CSS pixel size plotters writes into the SVG
        assert!(ROW >= font_height * 1.5);
        let names: Vec<String> = a
            .footprints
            .iter()
            .map(|f| fit(&f.name, TICK, ROW_LABEL_MAX))
            .collect();
        for chart in [&charts[0], &charts[3]] {
            let mut ys = text_rows(&chart.svg, &names);
            assert_eq!(ys.len(), 100, "{}: one label per footprint", chart.name);
            ys.sort_by(f64::total_cmp);
            let closest = ys
                .windows(2)
                .map(|w| w[1] - w[0])
                .fold(f64::INFINITY, f64::min);
            assert!(
                closest >= font_height,
                "{}: labels {closest} px apart",
                chart.name
            );
            assert!(
                svg_height(&chart.svg) as f64 >= 100.0 * ROW,
                "{}",
                chart.name
            );
        }
    }

    #[test]
    fn empty_allocations_still_render() {
        let mut nothing_funded = sample::allocation();
        for p in &mut nothing_funded.projects {
            p.fraction = 0.0;
            p.funded = 0.0;
            p.value = 0.0;
            p.amounts.iter_mut().flatten().for_each(|x| *x = 0.0);
        }
        for f in &mut nothing_funded.footprints {
            f.funded = 0.0;
            f.capabilities_after = f.capabilities_before;
        }
        nothing_funded.comparisons.clear();
        nothing_funded.total_funded = 0.0;
        nothing_funded.total_value = 0.0;
        let mut no_inputs = nothing_funded.clone();
        no_inputs.projects.clear();
        no_inputs.footprints.clear();
        no_inputs.budget_use.clear();
        no_inputs
            .scenario
            .budget
            .iter_mut()
            .for_each(|(_, b)| b.iter_mut().for_each(|x| *x = 0.0));
        for a in [nothing_funded, no_inputs] {
            let charts = render_all(&a).unwrap();
            assert_eq!(charts.len(), 5);
            crate::report::html::render(&a, &charts);
            crate::report::xlsx::render(&a, &charts).unwrap();
        }
    }

    #[test]
    fn long_labels_are_cut_to_fit() {
        fonts().unwrap();
        let long = "A very long footprint name that goes on and on well past any sensible width for a label";
        let cut = fit(long, TICK, 300.0);
        assert!(cut.ends_with('…') && text_width(&cut, TICK) <= 300.0);
        assert_eq!(fit("Leeds", TICK, 300.0), "Leeds");
    }

    #[test]
    fn axes_pick_readable_units() {
        assert_eq!(MoneyAxis::for_max(250_000.0).unit, "£m");
        assert_eq!(MoneyAxis::for_max(250_000.0).tick(125_000.0), "125");
        assert_eq!(MoneyAxis::for_max(5_000.0).tick(2_500.0), "2.5");
        assert_eq!(MoneyAxis::for_max(800.0).tick(250.0), "250");
        assert_eq!(ValueAxis::new("£k of benefit", 3e6).unit, "£m of benefit");
        assert_eq!(
            ValueAxis::new("person-points", 3e8).unit,
            "millions of person-points"
        );
    }
}
