//! The efficient frontier of a budget sweep: the value of the best allocation found at
//! each fund level, with the range the solver proved where it stopped within its gap,
//! and the scenario's own fund marked.

use super::style::{
    dashed_at, fit, header_only_height, line_frame, value_line, Header, Key, MoneyAxis, Px,
    ValueAxis, AXIS, BLUE, INK, MARGIN, SUBTITLE,
};
use super::Figure;
use crate::format::money;
use plotters::coord::Shift;
use plotters::prelude::*;

/// What the frontier chart shows, as plain data.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FrontierChart {
    /// The scenario swept.
    pub scenario: String,
    /// The words of the value's unit, as in the allocation: "£k of benefit (present
    /// value)" or "need-weighted person-points".
    pub value_unit: String,
    /// One point per fund level with a feasible allocation, in any order.
    pub points: Vec<FrontierPoint>,
    /// The scenario's own fund, £k, marked with a vertical line (when finite).
    pub fund_k: f64,
}

/// One fund level of the sweep.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FrontierPoint {
    /// The fund at this level, £k.
    pub fund_k: f64,
    /// The value of the best allocation found.
    pub value: f64,
    /// Where the best possible value is proven to lie, (low, high), when the solver
    /// stopped within its gap; `None` when the point is proven optimal.
    pub proven: Option<(f64, f64)>,
}

const TITLE: &str = "Efficient frontier: value against fund";
const PLOT: f64 = 560.0;
/// Scenario names come from input files; a long one is cut so the subtitle stays short.
const NAME_MAX: f64 = 400.0;

pub(super) struct FrontierFigure {
    header: Header,
    /// Nothing is plotted without a feasible point; the subtitle says so.
    plot: Option<Levels>,
}

struct Levels {
    /// In order of fund, with only finite numbers and ranges that span something.
    points: Vec<FrontierPoint>,
    fund_k: Option<f64>,
    x: (f64, f64),
    y_upper: f64,
    x_axis: MoneyAxis,
    y_axis: ValueAxis,
}

impl FrontierFigure {
    pub(super) fn new(input: &FrontierChart) -> FrontierFigure {
        let scenario = fit(&input.scenario, SUBTITLE, NAME_MAX);
        let mut points: Vec<FrontierPoint> = input
            .points
            .iter()
            .filter(|p| p.fund_k.is_finite() && p.value.is_finite())
            // The value found is always inside its proven range.
            .map(|p| FrontierPoint {
                proven: p
                    .proven
                    .filter(|(low, high)| low.is_finite() && high.is_finite())
                    .map(|(low, high)| (low.min(p.value), high.max(p.value)))
                    .filter(|(low, high)| low < high),
                ..*p
            })
            .collect();
        points.sort_by(|p, q| p.fund_k.total_cmp(&q.fund_k));
        if points.is_empty() {
            let why = format!(
                "Nothing to show: no fund level of the sweep of scenario {scenario} had a feasible allocation."
            );
            return FrontierFigure {
                header: Header::new(TITLE, &why, Vec::new()),
                plot: None,
            };
        }
        let fund_k = Some(input.fund_k).filter(|f| f.is_finite());
        // The x axis spans the sweep and the scenario's own fund, a little either side.
        let (lo, hi) = points
            .iter()
            .map(|p| p.fund_k)
            .chain(fund_k)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
                (lo.min(x), hi.max(x))
            });
        let pad = if hi > lo {
            (hi - lo) * 0.04
        } else {
            hi.abs().max(1.0) * 0.1
        };
        let x = ((lo - pad).max(lo.min(0.0)), hi + pad);
        let y_max = points
            .iter()
            .map(|p| p.proven.map_or(p.value, |(_, high)| high))
            .fold(0.0, f64::max);
        let ranges = points.iter().filter(|p| p.proven.is_some()).count();
        let mut legend = vec![(
            Key::LineDot(BLUE),
            "value of the best allocation found".to_string(),
        )];
        if ranges > 0 {
            legend.push((
                Key::Range(BLUE),
                "range the best possible value is proven to lie in".to_string(),
            ));
        }
        if let Some(f) = fund_k {
            legend.push((
                Key::Dashed(INK),
                format!("the scenario's own fund: {}", money(f)),
            ));
        }
        let levels = |n: usize| if n == 1 { "level" } else { "levels" };
        let mut subtitle = format!(
            "Scenario {scenario} solved at {} fund {} from {} to {}: what each level of fund buys.",
            points.len(),
            levels(points.len()),
            money(points[0].fund_k),
            money(points[points.len() - 1].fund_k),
        );
        if ranges > 0 {
            subtitle.push_str(&format!(
                " At {ranges} {} the solver stopped within its gap; the bars show how much better the best allocation could be.",
                levels(ranges)
            ));
        }
        FrontierFigure {
            header: Header::new(TITLE, &subtitle, legend),
            plot: Some(Levels {
                points,
                fund_k,
                x,
                y_upper: if y_max > 0.0 { y_max * 1.08 } else { 1.0 },
                x_axis: MoneyAxis::for_max(x.1.abs().max(x.0.abs())),
                y_axis: ValueAxis::new(&input.value_unit, y_max),
            }),
        }
    }
}

impl Figure for FrontierFigure {
    fn title(&self) -> String {
        self.header.title.clone()
    }

    fn height(&self) -> f64 {
        match self.plot {
            Some(_) => self.header.height() + PLOT + AXIS + MARGIN / 2.0,
            None => header_only_height(&self.header),
        }
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        px: Px,
    ) -> Result<(), String> {
        self.header.draw(root, px)?;
        let Some(plot) = &self.plot else {
            return Ok(());
        };
        let (_, body) = root.split_vertically(px.n(self.header.height()));
        let mut chart = line_frame(
            &body,
            px,
            plot.x.0..plot.x.1,
            plot.y_upper,
            plot.x_axis,
            &plot.y_axis,
            format!("Fund ({})", plot.x_axis.unit),
            format!("Value, {}", plot.y_axis.unit),
        )?;
        if let Some(f) = plot.fund_k {
            dashed_at(&mut chart, px, f, plot.y_upper)?;
        }
        let points: Vec<_> = plot
            .points
            .iter()
            .map(|p| (p.fund_k, p.value, p.proven))
            .collect();
        value_line(&mut chart, root, px, &points)
    }
}
