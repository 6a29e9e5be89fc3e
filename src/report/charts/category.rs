//! Allocation by category of project, each bar stacked by financial year.

use super::style::{
    label_at, palette, plot_err, row_centre, row_chart_height, row_frame, row_labels, text_width,
    upper_with_room, Header, Key, MoneyAxis, Px, CATEGORY_ROW, MARGIN, TICK, WHITE_BG, WIDTH,
};
use super::Figure;
use crate::allocation::Allocation;
use crate::format::money;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub(super) struct CategoryFigure {
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
    pub(super) fn new(a: &Allocation) -> CategoryFigure {
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
