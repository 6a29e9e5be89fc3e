//! Capabilities against a target: each footprint's score before and after the funded
//! projects, drawn as the maturity chart draws them, with the target score marked.

use super::maturity::ScoreRows;
use super::style::{finite, header_only_height, plot_err, Header, Key, Px, INK};
use super::Figure;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

/// What the target chart shows, as plain data.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TargetChart {
    /// The capabilities score (0–100) footprints are to reach.
    pub target: f64,
    /// One row per footprint, drawn top to bottom in this order.
    pub rows: Vec<TargetRow>,
}

/// One footprint's capabilities score before and after funding.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TargetRow {
    pub footprint: String,
    pub before: f64,
    pub after: f64,
}

const TITLE: &str = "Capabilities against the target";

pub(super) struct TargetFigure {
    header: Header,
    /// Nothing is plotted without footprints; the subtitle says so.
    rows: Option<ScoreRows>,
    target: f64,
}

/// A score as people write it: "60", or "62.5" when it has a fraction.
fn score(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

impl TargetFigure {
    pub(super) fn new(input: &TargetChart) -> TargetFigure {
        let target = finite(input.target).clamp(0.0, 100.0);
        if input.rows.is_empty() {
            return TargetFigure {
                header: Header::new(TITLE, "Nothing to show: no footprints.", Vec::new()),
                rows: None,
                target,
            };
        }
        let names: Vec<String> = input.rows.iter().map(|r| r.footprint.clone()).collect();
        let scores: Vec<(f64, f64)> = input
            .rows
            .iter()
            .map(|r| (finite(r.before), finite(r.after)))
            .collect();
        let reached = scores.iter().filter(|s| s.1 >= target).count();
        let subtitle = format!(
            "Capabilities score (Digital Maturity Index, 0–100) before and after the funded projects: {reached} of {} footprints reach the target score of {}.",
            scores.len(),
            score(target)
        );
        let mut legend = ScoreRows::legend();
        legend.push((Key::Dashed(INK), format!("target: {}", score(target))));
        TargetFigure {
            header: Header::new(TITLE, &subtitle, legend),
            rows: Some(ScoreRows::new(&names, scores)),
            target,
        }
    }
}

impl Figure for TargetFigure {
    fn title(&self) -> String {
        self.header.title.clone()
    }

    fn height(&self) -> f64 {
        match &self.rows {
            Some(rows) => rows.height(&self.header),
            None => header_only_height(&self.header),
        }
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        px: Px,
    ) -> Result<(), String> {
        self.header.draw(root, px)?;
        let Some(rows) = &self.rows else {
            return Ok(());
        };
        let (_, body) = root.split_vertically(px.n(self.header.height()));
        let mut chart = rows.frame(root, &body, px)?;
        // Under the dots, so a score sitting on the target stays visible.
        let top = chart.y_range().end;
        chart
            .draw_series(std::iter::once(DashedPathElement::new(
                vec![(self.target, 0.0), (self.target, top)],
                px.n(8.0),
                px.n(5.0),
                px.line(INK, 2.0),
            )))
            .map_err(plot_err)?;
        rows.draw(root, &mut chart, px)
    }
}
