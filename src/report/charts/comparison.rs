//! Reports compared: money funded per footprint, one bar per report in each footprint's
//! group, the reference report first. The chart grows taller with the footprints, so a
//! hundred of them stay readable at A4 width.

use super::style::{
    finite, fit, header_only_height, palette, plot_err, row_centre, row_chart_height, row_frame,
    row_labels, Header, Key, MoneyAxis, Px, ROW, SUBTITLE,
};
use super::Figure;
use plotters::coord::Shift;
use plotters::prelude::*;

/// What the comparison chart shows, as plain data.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ComparisonChart {
    /// The reports' names, the reference first: each footprint gets one bar per report,
    /// in this order.
    pub series: Vec<String>,
    /// One row per footprint, drawn top to bottom in this order (largest change first).
    pub rows: Vec<ComparisonRow>,
}

/// One footprint and what each report funds it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ComparisonRow {
    pub footprint: String,
    /// Money funded in each report, £k, in the order of `series`.
    pub funded: Vec<f64>,
}

const TITLE: &str = "Funded per footprint, report by report";
/// Thickness of one report's bar, and the gap between footprints, in design pixels.
const BAR: f64 = 8.0;
const GAP: f64 = 12.0;
/// Report names come from inputs; a long one is cut so the subtitle stays short.
const NAME_MAX: f64 = 400.0;

pub(super) struct ComparisonFigure {
    header: Header,
    /// Nothing is plotted without footprints or reports; the subtitle says so.
    plot: Option<Groups>,
}

struct Groups {
    labels: Vec<String>,
    label_width: f64,
    /// `[footprint][report]` money funded, £k; as many reports in every row.
    funded: Vec<Vec<f64>>,
    reports: usize,
    /// Height of one footprint's group of bars, design pixels.
    row: f64,
    axis: MoneyAxis,
    upper: f64,
}

impl ComparisonFigure {
    pub(super) fn new(input: &ComparisonChart) -> ComparisonFigure {
        let reports = input.series.len();
        if reports == 0 || input.rows.is_empty() {
            let why = if reports == 0 {
                "Nothing to show: no reports to compare."
            } else {
                "Nothing to show: the reports have no footprints."
            };
            return ComparisonFigure {
                header: Header::new(TITLE, why, Vec::new()),
                plot: None,
            };
        }
        let names: Vec<String> = input.rows.iter().map(|r| r.footprint.clone()).collect();
        let (labels, label_width) = row_labels(&names);
        // A missing amount is drawn as nothing funded; funding is never below zero.
        let funded: Vec<Vec<f64>> = input
            .rows
            .iter()
            .map(|r| {
                (0..reports)
                    .map(|j| finite(r.funded.get(j).copied().unwrap_or(0.0)).max(0.0))
                    .collect()
            })
            .collect();
        let max = funded.iter().flatten().copied().fold(0.0, f64::max);
        let legend = input
            .series
            .iter()
            .enumerate()
            .map(|(j, name)| (Key::Bar(palette(j)), name.clone()))
            .collect();
        let reference = fit(&input.series[0], SUBTITLE, NAME_MAX);
        let subtitle = format!(
            "Money funded to each of {} footprints in each of {reports} reports, the largest change from {reference} first. The first bar of each footprint is {reference}.",
            labels.len()
        );
        ComparisonFigure {
            header: Header::new(TITLE, &subtitle, legend),
            plot: Some(Groups {
                labels,
                label_width,
                funded,
                reports,
                row: (reports as f64 * BAR + GAP).max(ROW),
                axis: MoneyAxis::for_max(max),
                upper: if max > 0.0 { max * 1.05 } else { 1.0 },
            }),
        }
    }
}

impl Figure for ComparisonFigure {
    fn title(&self) -> String {
        self.header.title.clone()
    }

    fn height(&self) -> f64 {
        match &self.plot {
            Some(g) => row_chart_height(&self.header, g.labels.len(), g.row),
            None => header_only_height(&self.header),
        }
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        px: Px,
    ) -> Result<(), String> {
        self.header.draw(root, px)?;
        let Some(g) = &self.plot else {
            return Ok(());
        };
        let (_, body) = root.split_vertically(px.n(self.header.height()));
        let axis = g.axis;
        let tick = move |v: &f64| axis.tick(*v);
        let desc = format!("Funded ({})", axis.unit);
        let mut chart = row_frame(
            root,
            &body,
            px,
            &g.labels,
            g.label_width,
            0.0..g.upper,
            &desc,
            &tick,
            0.0,
        )?;
        let n = g.labels.len();
        // In row units: each bar is BAR of the row's height, the group centred on the row.
        let bar = BAR / g.row;
        let half = g.reports as f64 * bar / 2.0;
        for (i, amounts) in g.funded.iter().enumerate() {
            let top = row_centre(n, i) + half;
            chart
                .draw_series(amounts.iter().enumerate().map(|(j, &amount)| {
                    let y = top - j as f64 * bar;
                    Rectangle::new([(0.0, y - bar), (amount, y)], palette(j).filled())
                }))
                .map_err(plot_err)?;
        }
        Ok(())
    }
}
