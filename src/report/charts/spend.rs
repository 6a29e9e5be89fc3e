//! Spend profile: money allocated in each financial year against the year's budget.

use super::style::{
    label_at, plot_err, text_width, Header, Key, MoneyAxis, Px, AXIS, BLUE, GRID, INK, LABEL,
    MARGIN, ORANGE, TICK, WIDTH,
};
use super::Figure;
use crate::allocation::Allocation;
use crate::domain::BudgetLine;
use crate::format::money;
use crate::report::words::capitalised;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub(super) struct SpendFigure {
    header: Header,
    years: Vec<String>,
    lines: Vec<BudgetLine>,
    /// `[line][year]` money allocated and budget, £k.
    used: Vec<Vec<f64>>,
    budget: Vec<Vec<f64>>,
    axis: MoneyAxis,
    upper: f64,
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

const SPEND_PLOT: f64 = 460.0;

fn line_colour(line: BudgetLine) -> RGBColor {
    match line {
        BudgetLine::Capital => BLUE,
        BudgetLine::Revenue => ORANGE,
    }
}

impl SpendFigure {
    pub(super) fn new(a: &Allocation) -> SpendFigure {
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
        let mut subtitle = format!(
            "Money allocated in each financial year against the year's budget ({} of {} over {} years). Percentages: share of the year's budget used.",
            money(a.total_funded),
            money(a.scenario.total_budget()),
            a.years.len()
        );
        // Phasing: bids are drawn in the years they spend once moved; say how many moved.
        let late = crate::report::flex::late(a);
        if !late.is_empty() {
            let moved: f64 = late.iter().map(|p| p.funded).sum();
            subtitle.push_str(&format!(
                " {} bid(s) start later than bid ({} of fund money), drawn in the years they now spend.",
                late.len(),
                money(moved)
            ));
        }
        if a.moves.any() {
            subtitle.push_str(
                " Budgets are as set, before carry-forward and switches (see Budget flexibility).",
            );
        }
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
