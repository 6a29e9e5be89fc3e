//! The value-for-money curve: cumulative value against cumulative cost, with where the
//! optimiser, the greedy ranking and the fair-share formula end up.

use super::style::{
    dashed_at, line_frame, plot_err, Header, Key, MoneyAxis, Px, ValueAxis, AXIS, BLUE, GREY, INK,
    MARGIN, PURPLE, VERMILLION, WHITE_BG,
};
use super::Figure;
use crate::allocation::{Allocation, Method, ProjectStatus};
use crate::format::money;
use crate::report::words::value_parts;
use plotters::coord::Shift;
use plotters::prelude::*;

pub(super) struct ValueCurveFigure {
    header: Header,
    /// Every eligible bid at full cost, best value per £ first, cut at the x axis end.
    candidates: Vec<(f64, f64)>,
    optimal: Vec<(f64, f64)>,
    greedy: Vec<(f64, f64)>,
    fair_share: Option<(f64, f64)>,
    budget: f64,
    x_axis: MoneyAxis,
    y_axis: ValueAxis,
    x_upper: f64,
    y_upper: f64,
}

/// The full value of a project if funded in full, from its value per £ and cost.
fn full_value(a: &Allocation, value_per_pound: f64, cost: f64) -> f64 {
    // Benefit per £ is a ratio of two £k amounts; other value units are per £ (£k × 1,000).
    let per = if a.value_unit.is_money() { 1.0 } else { 1000.0 };
    value_per_pound * cost * per
}

/// Cumulative (cost, value) points from the origin.
fn cumulative(steps: impl Iterator<Item = (f64, f64)>) -> Vec<(f64, f64)> {
    let mut out = vec![(0.0, 0.0)];
    let (mut x, mut y) = (0.0, 0.0);
    for (dx, dy) in steps {
        x += dx;
        y += dy;
        out.push((x, y));
    }
    out
}

impl ValueCurveFigure {
    pub(super) fn new(a: &Allocation) -> ValueCurveFigure {
        let mut order: Vec<usize> = (0..a.projects.len())
            .filter(|&i| {
                a.projects[i].status != ProjectStatus::ExcludedByRule && a.projects[i].cost > 0.0
            })
            .collect();
        order.sort_by(|&i, &j| {
            let (p, q) = (&a.projects[i], &a.projects[j]);
            q.value_per_pound
                .total_cmp(&p.value_per_pound)
                .then_with(|| p.project_id.cmp(&q.project_id))
        });
        let full = |i: usize| full_value(a, a.projects[i].value_per_pound, a.projects[i].cost);
        let mut candidates = cumulative(order.iter().map(|&i| (a.projects[i].cost, full(i))));
        let optimal = cumulative(
            order
                .iter()
                .filter(|&&i| a.projects[i].fraction > 0.0)
                .map(|&i| (a.projects[i].funded, a.projects[i].value)),
        );
        let greedy_cmp = a.comparisons.iter().find(|c| c.method == Method::Greedy);
        let greedy = match greedy_cmp {
            Some(c) => {
                let fraction = |i: usize| c.fractions.get(i).copied().unwrap_or(0.0);
                let mut path = cumulative(
                    order
                        .iter()
                        .filter(|&&i| fraction(i) > 0.0)
                        .map(|&i| (a.projects[i].cost * fraction(i), full(i) * fraction(i))),
                );
                // Per-project values at full funding can overstate a portfolio's value (maturity
                // gains are capped per footprint), so the path is scaled to end at the method's
                // own total; for monetised benefit the factor is 1.
                let end = path.last().map_or(0.0, |p| p.1);
                if end > 0.0 {
                    let k = c.value / end;
                    path.iter_mut().for_each(|p| p.1 *= k);
                }
                path
            }
            None => Vec::new(),
        };
        let fair_share = a
            .comparisons
            .iter()
            .find(|c| c.method == Method::FairShare)
            .map(|c| (c.spent, c.value));
        let budget = a.scenario.total_budget();

        // Show the bids a little past the budget: the story is where each method stops,
        // and a longer curve would squeeze that into a corner.
        let reach = budget
            .max(a.total_funded)
            .max(greedy.last().map_or(0.0, |p| p.0))
            .max(fair_share.map_or(0.0, |p| p.0))
            * 1.15;
        let total_cost = candidates.last().map_or(0.0, |p| p.0);
        let x_max = if reach > 0.0 {
            total_cost.min(reach).max(budget)
        } else {
            total_cost.max(1.0)
        };
        if let Some(cut) = candidates.iter().position(|p| p.0 > x_max) {
            let (p, q) = (candidates[cut - 1], candidates[cut]);
            let t = (x_max - p.0) / (q.0 - p.0);
            candidates.truncate(cut);
            candidates.push((x_max, p.1 + t * (q.1 - p.1)));
        }
        let y_max = [
            candidates.last().map_or(0.0, |p| p.1),
            a.total_value,
            greedy.last().map_or(0.0, |p| p.1),
            fair_share.map_or(0.0, |p| p.1),
        ]
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);

        // Values without their unit: the y axis names it.
        let short = |v: f64| value_parts(a, v).0;
        let mut legend = vec![
            (
                Key::Line(GREY),
                "all eligible bids, best value per £ first".to_string(),
            ),
            (
                Key::LineDot(BLUE),
                format!("optimal portfolio: {}", short(a.total_value)),
            ),
        ];
        if let Some(c) = greedy_cmp {
            legend.push((
                Key::LineDot(VERMILLION),
                format!("greedy ranking: {}", short(c.value)),
            ));
        }
        if let Some((_, v)) = fair_share {
            legend.push((
                Key::Triangle(PURPLE),
                format!("fair-share formula: {}", short(v)),
            ));
        }
        legend.push((
            Key::Dashed(INK),
            format!("total budget, all years: {}", money(budget)),
        ));
        let subtitle = match greedy_cmp {
            Some(c) if c.value > 0.0 && a.total_value > c.value => format!(
                "Cumulative value against cumulative cost, bids in value-per-£ order. Ranking stops where a bid no longer fits a year's budget or a rule; the optimiser picks the combination that fits, for {:.1}% more value than the greedy ranking.",
                (a.total_value / c.value - 1.0) * 100.0
            ),
            _ => "Cumulative value against cumulative cost, bids in value-per-£ order, with each method's portfolio marked.".to_string(),
        };
        ValueCurveFigure {
            header: Header::new(
                "Value for money: optimiser against ranking",
                &subtitle,
                legend,
            ),
            candidates,
            optimal,
            greedy,
            fair_share,
            budget,
            x_axis: MoneyAxis::for_max(x_max),
            y_axis: ValueAxis::new(a.value_unit.as_str(), y_max),
            x_upper: x_max * 1.04,
            y_upper: if y_max > 0.0 { y_max * 1.08 } else { 1.0 },
        }
    }
}

const CURVE_PLOT: f64 = 560.0;

impl Figure for ValueCurveFigure {
    fn title(&self) -> String {
        self.header.title.clone()
    }

    fn height(&self) -> f64 {
        self.header.height() + CURVE_PLOT + AXIS + MARGIN / 2.0
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        px: Px,
    ) -> Result<(), String> {
        self.header.draw(root, px)?;
        let (_, body) = root.split_vertically(px.n(self.header.height()));
        let mut chart = line_frame(
            &body,
            px,
            0.0..self.x_upper,
            self.y_upper,
            self.x_axis,
            &self.y_axis,
            format!("Cumulative cost to the fund ({})", self.x_axis.unit),
            format!("Cumulative value, {}", self.y_axis.unit),
        )?;
        dashed_at(&mut chart, px, self.budget, self.y_upper)?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                self.candidates.clone(),
                px.line(GREY, 3.0),
            )))
            .map_err(plot_err)?;
        for (path, colour) in [(&self.greedy, VERMILLION), (&self.optimal, BLUE)] {
            if let Some(&end) = path.last() {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        path.clone(),
                        px.line(colour, 3.0),
                    )))
                    .map_err(plot_err)?;
                chart
                    .draw_series([
                        Circle::new(end, px.u(9.0), WHITE_BG.filled()),
                        Circle::new(end, px.u(7.0), colour.filled()),
                    ])
                    .map_err(plot_err)?;
            }
        }
        // A triangle, not a dot, so it stays distinct when it lands on another method's point.
        if let Some(point) = self.fair_share {
            chart
                .draw_series([
                    TriangleMarker::new(point, px.n(13.0), WHITE_BG.filled()),
                    TriangleMarker::new(point, px.n(9.0), PURPLE.filled()),
                ])
                .map_err(plot_err)?;
        }
        Ok(())
    }
}
