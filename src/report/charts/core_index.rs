//! Projects by core index (`[uncertainty]`): the share of draws in which each
//! borderline project is funded (the least certain, when there are many), highest
//! first, coloured by whether this allocation funds it. Core and exterior projects (always and never funded) are counted in the
//! subtitle rather than drawn, so the chart stays readable with 1,000 bids.

use super::style::{
    fit, header_only_height, label_at, plot_err, row_centre, row_chart_height, row_frame,
    row_labels, Header, Key, Px, BLUE, ORANGE, ROW, TICK,
};
use super::Figure;
use crate::allocation::robustness::{CoreClass, Robustness};
use crate::format::fixed;
use crate::report::robustness::least_certain;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// At most this many rows; the rest are in core_index.csv.
const MOST_ROWS: usize = 40;

pub(super) struct CoreIndexFigure {
    header: Header,
    labels: Vec<String>,
    /// Per row: core index and whether this allocation funds the project.
    rows: Vec<(f64, bool)>,
    label_width: f64,
}

impl CoreIndexFigure {
    pub(super) fn new(r: &Robustness) -> CoreIndexFigure {
        let borderline = r.count(CoreClass::Borderline);
        let shown = least_certain(r, MOST_ROWS);
        let names: Vec<String> = shown
            .iter()
            .map(|c| fit(&format!("{} {}", c.project_id, c.title), TICK, 360.0))
            .collect();
        let (labels, label_width) = row_labels(&names);
        let more = if borderline > shown.len() {
            format!(
                " The {} least certain (core index nearest 50%) are shown; all are in core_index.csv.",
                shown.len()
            )
        } else {
            String::new()
        };
        let subtitle = format!(
            "Share of {} solved draws (of {}) in which each borderline project is funded. Core (funded in every draw): {}; exterior (in none): {}; borderline: {}.{more}",
            r.solved,
            r.draws,
            r.count(CoreClass::Core),
            r.count(CoreClass::Exterior),
            borderline,
        );
        let legend = vec![
            (Key::Bar(BLUE), "funded in this allocation".to_string()),
            (
                Key::Bar(ORANGE),
                "not funded in this allocation".to_string(),
            ),
        ];
        CoreIndexFigure {
            header: Header::new("Projects by core index", &subtitle, legend),
            labels,
            rows: shown
                .iter()
                .map(|c| (c.core_index.unwrap_or(0.0), c.funded_in_base))
                .collect(),
            label_width,
        }
    }
}

impl Figure for CoreIndexFigure {
    fn title(&self) -> String {
        self.header.title.clone()
    }

    fn height(&self) -> f64 {
        if self.rows.is_empty() {
            header_only_height(&self.header)
        } else {
            row_chart_height(&self.header, self.rows.len(), ROW)
        }
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
        let tick = |v: &f64| format!("{}%", fixed(v * 100.0, 0));
        let mut chart = row_frame(
            root,
            &body,
            px,
            &self.labels,
            self.label_width,
            0.0..1.15,
            "Core index (share of solved draws in which the project is funded)",
            &tick,
            0.0,
        )?;
        let n = self.rows.len();
        let style = px.text(TICK).pos(Pos::new(HPos::Left, VPos::Center));
        for (i, &(index, funded)) in self.rows.iter().enumerate() {
            let yc = row_centre(n, i);
            let colour = if funded { BLUE } else { ORANGE };
            chart
                .draw_series([Rectangle::new(
                    [(0.0, yc - 0.34), (index, yc + 0.34)],
                    colour.filled(),
                )])
                .map_err(plot_err)?;
            label_at(
                root,
                &chart,
                px,
                (index, yc),
                (8.0, 0.0),
                format!("{}%", fixed(index * 100.0, 1)),
                style.clone(),
            )?;
        }
        Ok(())
    }
}
