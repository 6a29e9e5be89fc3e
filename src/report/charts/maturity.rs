//! Digital maturity (capabilities score) before and after funding, per footprint. The
//! rows of dots are shared with the target figure.

use super::style::{
    finite, plot_err, row_centre, row_chart_height, row_frame, row_labels, Header, Key, Plot, Px,
    BLUE, GREY, MARGIN, ORANGE, ROW, TICK, WIDTH,
};
use super::Figure;
use crate::allocation::Allocation;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Footprints' capabilities scores before and after, one row each on the 0–100 scale,
/// with the points gained written at the right.
pub(super) struct ScoreRows {
    labels: Vec<String>,
    /// (before, after) capabilities scores, in drawing order (top first).
    scores: Vec<(f64, f64)>,
    label_width: f64,
}

const GAIN_COLUMN: f64 = 70.0;

impl ScoreRows {
    pub(super) fn new(names: &[String], scores: Vec<(f64, f64)>) -> ScoreRows {
        let (labels, label_width) = row_labels(names);
        ScoreRows {
            labels,
            scores,
            label_width,
        }
    }

    /// The legend entries for the dots and the line between them.
    pub(super) fn legend() -> Vec<(Key, String)> {
        vec![
            (Key::Dot(ORANGE), "before funding".to_string()),
            (Key::Dot(BLUE), "after funding".to_string()),
            (
                Key::Line(GREY),
                "gap closed (points gained at right)".to_string(),
            ),
        ]
    }

    pub(super) fn height(&self, header: &Header) -> f64 {
        row_chart_height(header, self.labels.len(), ROW)
    }

    /// The labelled rows and the score axis, for the caller to draw on before the dots.
    pub(super) fn frame<'a, DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        body: &'a DrawingArea<DB, Shift>,
        px: Px,
    ) -> Result<Plot<'a, DB>, String> {
        let tick = |v: &f64| format!("{v:.0}");
        row_frame(
            root,
            body,
            px,
            &self.labels,
            self.label_width,
            0.0..100.0,
            "Capabilities score (0–100)",
            &tick,
            GAIN_COLUMN,
        )
    }

    /// The dots, the line between them and the points gained, row by row.
    pub(super) fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        chart: &mut Plot<'_, DB>,
        px: Px,
    ) -> Result<(), String> {
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

pub(super) struct MaturityFigure {
    header: Header,
    /// Ordered by the gap closed, largest first.
    rows: ScoreRows,
}

impl MaturityFigure {
    pub(super) fn new(a: &Allocation) -> MaturityFigure {
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
        MaturityFigure {
            header: Header::new(
                "Digital maturity before and after funding",
                &subtitle,
                ScoreRows::legend(),
            ),
            rows: ScoreRows::new(&names, scores),
        }
    }
}

impl Figure for MaturityFigure {
    fn title(&self) -> String {
        self.header.title.clone()
    }

    fn height(&self) -> f64 {
        self.rows.height(&self.header)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        px: Px,
    ) -> Result<(), String> {
        self.header.draw(root, px)?;
        let (_, body) = root.split_vertically(px.n(self.header.height()));
        let mut chart = self.rows.frame(root, &body, px)?;
        self.rows.draw(root, &mut chart, px)
    }
}
