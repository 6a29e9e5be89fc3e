//! The value of each year's money (`run --marginal-values`): for every financial year
//! and budget line, the value one more £1m would add and the value the last £1m adds,
//! side by side, so the case for moving money between years can be seen at a glance.

use super::style::{
    label_at, plot_err, row_centre, row_chart_height, row_frame, row_labels, text_width,
    upper_with_room, Header, Key, Px, ValueAxis, BLUE, MARGIN, ORANGE, TICK, WIDTH,
};
use super::Figure;
use crate::allocation::Allocation;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Height of one year and line: two bars, each with its label beside it.
const PAIR_ROW: f64 = 56.0;

/// One year and line: the two figures, or why there is none.
struct Row {
    next: Result<f64, String>,
    last: Result<f64, String>,
}

pub(super) struct MarginalFigure {
    header: Header,
    labels: Vec<String>,
    rows: Vec<Row>,
    label_width: f64,
    axis: ValueAxis,
    upper: f64,
}

impl MarginalFigure {
    pub(super) fn new(a: &Allocation) -> MarginalFigure {
        let figure = |f: &Result<(f64, f64, f64), String>| match f {
            Ok((m, _, _)) if m.is_finite() => Ok(m.max(0.0)),
            Ok(_) => Err("not measured".to_string()),
            Err(why) => Err(why.clone()),
        };
        let rows: Vec<Row> = a
            .marginal_values
            .iter()
            .map(|m| Row {
                next: figure(&m.next),
                last: figure(&m.last),
            })
            .collect();
        let names: Vec<String> = a
            .marginal_values
            .iter()
            .map(|m| format!("{} {}", m.year.label(), m.line))
            .collect();
        let (labels, label_width) = row_labels(&names);
        let max = rows
            .iter()
            .flat_map(|r| [&r.next, &r.last])
            .filter_map(|f| f.as_ref().ok().copied())
            .fold(0.0, f64::max);
        let unit = a.value_unit.to_string();
        let axis = ValueAxis::new(&unit, max);
        let plot_width = WIDTH as f64 - 2.0 * MARGIN - label_width;
        let widest_why = rows
            .iter()
            .flat_map(|r| [&r.next, &r.last])
            .filter_map(|f| f.as_ref().err())
            .map(|w| text_width(w, TICK))
            .fold(text_width(&axis.tick(max), TICK), f64::max);
        let upper = upper_with_room(max, widest_why + 16.0, plot_width);
        let legend = vec![
            (Key::Bar(BLUE), "value of the next £1m".to_string()),
            (Key::Bar(ORANGE), "value of the last £1m".to_string()),
        ];
        let subtitle = format!(
            "What one more £1m, and the last £1m, is worth on each budget line in each financial year, in {} (exact re-solves).",
            axis.unit
        );
        MarginalFigure {
            header: Header::new("The value of each year's money", &subtitle, legend),
            labels,
            rows,
            label_width,
            axis,
            upper,
        }
    }
}

impl Figure for MarginalFigure {
    fn title(&self) -> String {
        self.header.title.clone()
    }

    fn height(&self) -> f64 {
        row_chart_height(&self.header, self.labels.len(), PAIR_ROW)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        px: Px,
    ) -> Result<(), String> {
        self.header.draw(root, px)?;
        let (_, body) = root.split_vertically(px.n(self.header.height()));
        let tick = |v: &f64| self.axis.tick(*v);
        let desc = format!("Value of £1m ({})", self.axis.unit);
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
        let text = px.text(TICK).pos(Pos::new(HPos::Left, VPos::Center));
        let muted = px.muted(TICK).pos(Pos::new(HPos::Left, VPos::Center));
        for (i, r) in self.rows.iter().enumerate() {
            let yc = row_centre(n, i);
            // The next £1m above the centre line, the last £1m below it.
            for (f, colour, (lo, hi)) in [
                (&r.next, BLUE, (yc + 0.02, yc + 0.4)),
                (&r.last, ORANGE, (yc - 0.4, yc - 0.02)),
            ] {
                let mid = (lo + hi) / 2.0;
                match f {
                    Ok(v) => {
                        chart
                            .draw_series([Rectangle::new([(0.0, lo), (*v, hi)], colour.filled())])
                            .map_err(plot_err)?;
                        label_at(
                            root,
                            &chart,
                            px,
                            (*v, mid),
                            (6.0, 0.0),
                            self.axis.tick(*v),
                            text.clone(),
                        )?;
                    }
                    Err(why) => {
                        label_at(
                            root,
                            &chart,
                            px,
                            (0.0, mid),
                            (6.0, 0.0),
                            why.clone(),
                            muted.clone(),
                        )?;
                    }
                }
            }
        }
        Ok(())
    }
}
