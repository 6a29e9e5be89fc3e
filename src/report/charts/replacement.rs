//! Replacement cost of each funded project (`techfund explain`), largest first: the
//! value the portfolio loses if the project is locked out and the rest re-optimised.
//! Irreplaceable projects (no allocation keeps every rule without them) head the chart,
//! marked in words instead of a bar; a bar's proven range is drawn where the re-solve
//! stopped within its gap.

use super::style::{
    header_only_height, label_at, plot_err, row_centre, row_chart_height, row_frame, row_labels,
    text_width, upper_with_room, Header, Key, Px, ValueAxis, BLUE, INK, MARGIN, ROW, TICK, WIDTH,
};
use super::Figure;
use crate::report::words::number;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// What the replacement-cost chart shows, as plain data.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReplacementChart {
    /// The words of the value's unit, as in the allocation.
    pub value_unit: String,
    /// One row per funded project explained, in any order.
    pub rows: Vec<ReplacementRow>,
}

/// One funded project.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReplacementRow {
    /// The project's id and title.
    pub label: String,
    /// The value lost without it; `None` when it is irreplaceable.
    pub cost: Option<f64>,
    /// Where the loss is proven to lie, when the re-solve stopped within its gap.
    pub proven: Option<(f64, f64)>,
}

/// The most rows drawn; the subtitle says how many more there are.
pub const MOST_ROWS: usize = 40;

pub(super) struct ReplacementFigure {
    header: Header,
    labels: Vec<String>,
    rows: Vec<ReplacementRow>,
    label_width: f64,
    axis: ValueAxis,
    upper: f64,
}

impl ReplacementFigure {
    pub(super) fn new(input: &ReplacementChart) -> ReplacementFigure {
        let mut rows: Vec<ReplacementRow> = input
            .rows
            .iter()
            .filter(|r| r.cost.is_none_or(f64::is_finite))
            .cloned()
            .collect();
        // Irreplaceable first, then the largest loss; ties by label so reruns match.
        let key = |r: &ReplacementRow| r.cost.unwrap_or(f64::INFINITY);
        rows.sort_by(|a, b| {
            key(b)
                .total_cmp(&key(a))
                .then_with(|| a.label.cmp(&b.label))
        });
        let all = rows.len();
        rows.truncate(MOST_ROWS);
        let names: Vec<String> = rows.iter().map(|r| r.label.clone()).collect();
        let (labels, label_width) = row_labels(&names);
        let max = rows
            .iter()
            .flat_map(|r| [r.cost, r.proven.map(|p| p.1)])
            .flatten()
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max);
        let axis = ValueAxis::new(&input.value_unit, max);
        let plot_width = WIDTH as f64 - 2.0 * MARGIN - label_width;
        let room = text_width("irreplaceable", TICK).max(text_width(&number(max), TICK)) + 16.0;
        let upper = upper_with_room(max, room, plot_width);
        let shown = if all > rows.len() {
            format!(
                "the {} largest of {all} funded projects explained",
                rows.len()
            )
        } else {
            format!("{all} funded projects explained")
        };
        let subtitle = if all == 0 {
            "No funded project was explained, so there is nothing to plot.".to_string()
        } else {
            format!(
                "The value lost if each project were locked out and the rest re-optimised, largest first ({shown}); irreplaceable: no allocation keeps every rule without it."
            )
        };
        let mut legend = Vec::new();
        if all > 0 {
            legend.push((Key::Bar(BLUE), "replacement cost".to_string()));
        }
        if rows.iter().any(|r| r.proven.is_some_and(|(l, h)| l < h)) {
            legend.push((
                Key::Range(INK),
                "proven range (solved within the gap)".to_string(),
            ));
        }
        ReplacementFigure {
            header: Header::new("Replacement cost of each funded project", &subtitle, legend),
            labels,
            rows,
            label_width,
            axis,
            upper,
        }
    }
}

impl Figure for ReplacementFigure {
    fn title(&self) -> String {
        self.header.title.clone()
    }

    fn height(&self) -> f64 {
        if self.rows.is_empty() {
            return header_only_height(&self.header);
        }
        row_chart_height(&self.header, self.labels.len(), ROW)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        px: Px,
    ) -> Result<(), String> {
        self.header.draw(root, px)?;
        if self.rows.is_empty() {
            return Ok(());
        }
        let (_, body) = root.split_vertically(px.n(self.header.height()));
        let tick = |v: &f64| self.axis.tick(*v);
        let desc = format!("Replacement cost ({})", self.axis.unit);
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
        for (i, r) in self.rows.iter().enumerate() {
            let yc = row_centre(n, i);
            let Some(cost) = r.cost else {
                label_at(
                    root,
                    &chart,
                    px,
                    (0.0, yc),
                    (8.0, 0.0),
                    "irreplaceable".into(),
                    style.clone(),
                )?;
                continue;
            };
            chart
                .draw_series([Rectangle::new(
                    [(0.0, yc - 0.3), (cost, yc + 0.3)],
                    BLUE.filled(),
                )])
                .map_err(plot_err)?;
            let mut end = cost;
            if let Some((low, high)) = r.proven.filter(|(l, h)| l < h) {
                chart
                    .draw_series([PathElement::new(
                        vec![(low, yc), (high, yc)],
                        px.line(INK, 2.0),
                    )])
                    .map_err(plot_err)?;
                end = end.max(high);
            }
            label_at(
                root,
                &chart,
                px,
                (end, yc),
                (8.0, 0.0),
                self.axis.tick(cost),
                style.clone(),
            )?;
        }
        Ok(())
    }
}
