//! Charts for finance readers, drawn by the same code on two backends: SVG for
//! report.html (sharp at any zoom) and PNG at twice the size for Excel and slides.
//!
//! Sizes are in design pixels on a 1,000 px wide canvas, which prints at A4 width with
//! labels near 8 pt. Text is measured and (in PNGs) drawn with the bundled DejaVu Sans,
//! so nothing depends on the fonts of the machine that runs the report. Rows of
//! footprints and categories are labelled by hand, one label per row, and the chart grows
//! taller with the number of rows so labels never overlap.
//!
//! `style` holds what every figure shares; each figure has its own file. Besides the
//! five charts of a run's report, three take plain data from other commands: the
//! frontier of a budget sweep, a comparison of reports, and capabilities against a
//! target.

mod category;
mod comparison;
mod core_index;
mod fairness;
mod footprint;
mod frontier;
mod marginal;
mod maturity;
mod replacement;
mod spend;
mod style;
mod target;
mod value_curve;

#[cfg(test)]
mod new_tests;
#[cfg(test)]
mod tests;

use crate::allocation::Allocation;
use category::CategoryFigure;
use comparison::ComparisonFigure;
pub use comparison::{ComparisonChart, ComparisonRow};
use core_index::CoreIndexFigure;
use fairness::FairnessFigure;
use footprint::FootprintFigure;
use frontier::FrontierFigure;
pub use frontier::{FrontierChart, FrontierPoint};
use marginal::MarginalFigure;
use maturity::MaturityFigure;
use plotters::coord::Shift;
use plotters::prelude::*;
use rayon::prelude::*;
use replacement::ReplacementFigure;
pub use replacement::{ReplacementChart, ReplacementRow};
pub(crate) use spend::spend_by_line_year;
use spend::SpendFigure;
use style::{fonts, plot_err, Px, PNG_PIXELS_PER_METRE, PNG_SCALE, WHITE_BG, WIDTH};
use target::TargetFigure;
pub use target::{TargetChart, TargetRow};
use value_curve::ValueCurveFigure;

/// One chart, ready to be written as `charts/<name>.svg` and `charts/<name>.png`.
pub struct Chart {
    pub name: &'static str,
    pub title: String,
    pub svg: String,
    pub png: Vec<u8>,
}

/// The five charts, in the order reports show them; the marginal values with
/// `run --marginal-values`, and the core index when the run made draws (`[uncertainty]`).
pub fn render_all(a: &Allocation) -> Result<Vec<Chart>, String> {
    // Each chart draws alone (PNG rasterising dominates), so they are drawn in
    // parallel; the order of the list is the order of the report.
    type Draw<'a> = Box<dyn Fn() -> Result<Chart, String> + Send + Sync + 'a>;
    let mut charts: Vec<Draw> = vec![
        Box::new(|| render("allocation_by_footprint", || FootprintFigure::new(a))),
        Box::new(|| render("spend_profile", || SpendFigure::new(a))),
        Box::new(|| render("allocation_by_category", || CategoryFigure::new(a))),
        Box::new(|| render("maturity_before_after", || MaturityFigure::new(a))),
        Box::new(|| render("value_for_money_curve", || ValueCurveFigure::new(a))),
    ];
    // With `run --marginal-values`, the value of each year's money too.
    if !a.marginal_values.is_empty() {
        charts.push(Box::new(|| {
            render("marginal_values", || MarginalFigure::new(a))
        }));
    }
    if let Some(r) = &a.robustness {
        charts.push(Box::new(move || {
            render("core_index", || CoreIndexFigure::new(r))
        }));
    }
    let mut drawn: Vec<Chart> = charts
        .par_iter()
        .map(|draw| draw())
        .collect::<Result<_, _>>()?;
    // The fairness frontier, when the run computed it (`run --fairness-frontier`).
    if !a.fairness_frontier.is_empty() {
        drawn.push(render("fairness_frontier", || FairnessFigure::new(a))?);
    }
    Ok(drawn)
}

/// Value against fund for a budget sweep (`charts/frontier.*`).
pub fn frontier(input: &FrontierChart) -> Result<Chart, String> {
    render("frontier", || FrontierFigure::new(input))
}

/// Money funded per footprint in each of several reports (`charts/comparison.*`).
pub fn comparison(input: &ComparisonChart) -> Result<Chart, String> {
    render("comparison", || ComparisonFigure::new(input))
}

/// Capabilities before and after per footprint against a target score
/// (`charts/target_capabilities.*`).
pub fn target(input: &TargetChart) -> Result<Chart, String> {
    render("target_capabilities", || TargetFigure::new(input))
}

/// Replacement cost of each funded project, largest first (`techfund explain`,
/// `charts/replacement_cost.*`).
pub fn replacement_cost(input: &ReplacementChart) -> Result<Chart, String> {
    render("replacement_cost", || ReplacementFigure::new(input))
}

/// A chart that can draw itself at any scale on any backend.
trait Figure {
    /// Height in design pixels (the width is always `WIDTH`).
    fn height(&self) -> f64;
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, px: Px)
        -> Result<(), String>;
    fn title(&self) -> String;
}

/// Builds a figure and draws it on both backends: SVG at the design size and PNG at
/// `PNG_SCALE` times it. The fonts are registered first because building a figure
/// measures its text; without them every width would be a guess and PNG text would panic.
fn render<F: Figure>(name: &'static str, build: impl FnOnce() -> F) -> Result<Chart, String> {
    fonts()?;
    let figure = build();
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
