//! Allocation by footprint: one bar per footprint, coloured by region, with its
//! population fair share marked.

use super::style::{
    finite, palette, plot_err, row_centre, row_chart_height, row_frame, row_labels, text_width,
    upper_with_room, Header, Key, MoneyAxis, Px, INK, MARGIN, ROW, TICK, WHITE_BG, WIDTH,
};
use super::Figure;
use crate::allocation::Allocation;
use crate::format::money;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub(super) struct FootprintFigure {
    header: Header,
    /// Sorted by amount, largest first: (label, colour, funded £k, fair share £k).
    rows: Vec<(String, RGBColor, f64, f64)>,
    label_width: f64,
    axis: MoneyAxis,
    upper: f64,
}

impl FootprintFigure {
    pub(super) fn new(a: &Allocation) -> FootprintFigure {
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
