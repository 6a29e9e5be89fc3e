//! The fairness frontier (`run --fairness-frontier`): the optimum's value against the
//! footprint floor as a share of fair share, with the range the solver proved where
//! it stopped within its gap, and the scenario's own floor marked.

use super::style::{
    dashed_at, fit, header_only_height, plot_err, text_width, value_line, Header, Key, Px,
    ValueAxis, AXIS, BLUE, GRID, INK, LABEL, MARGIN, SUBTITLE, TICK,
};
use super::Figure;
use crate::allocation::Allocation;
use crate::format::fixed;
use crate::scenario::Limit;
use plotters::coord::Shift;
use plotters::prelude::*;

const TITLE: &str = "The price of fairness: value against the footprint floor";
const PLOT: f64 = 560.0;
const NAME_MAX: f64 = 400.0;

/// One feasible level: the floor's share of fair share, the value found, and the
/// proven range when the solve stopped within its gap.
struct Level {
    level: f64,
    value: f64,
    proven: Option<(f64, f64)>,
}

pub(super) struct FairnessFigure {
    header: Header,
    plot: Option<Plot>,
}

struct Plot {
    levels: Vec<Level>,
    own: Option<f64>,
    y_upper: f64,
    y_axis: ValueAxis,
}

impl FairnessFigure {
    pub(super) fn new(a: &Allocation) -> FairnessFigure {
        let scenario = fit(&a.scenario.name, SUBTITLE, NAME_MAX);
        let levels: Vec<Level> = a
            .fairness_frontier
            .iter()
            .filter_map(|p| {
                let (value, bound) = p.outcome.measured()?;
                let proven = Some((value, bound.max(value))).filter(|(lo, hi)| lo < hi);
                Some(Level {
                    level: p.level,
                    value,
                    proven,
                })
            })
            .filter(|l| l.value.is_finite() && l.level.is_finite())
            .collect();
        let unmet = a.fairness_frontier.len() - levels.len();
        let listed = |n: usize| if n == 1 { "level" } else { "levels" };
        if levels.is_empty() {
            let why = format!(
                "Nothing to show: no level of the footprint floor in scenario {scenario} had an allocation that was measured."
            );
            return FairnessFigure {
                header: Header::new(TITLE, &why, Vec::new()),
                plot: None,
            };
        }
        let own = match a.scenario.rules.footprint_floor {
            Some(Limit::ShareOfFairShare(s)) if (0.0..=1.0).contains(&s) => Some(s),
            _ => None,
        };
        let mut legend = vec![(
            Key::LineDot(BLUE),
            "value of the best allocation found".to_string(),
        )];
        let ranges = levels.iter().filter(|l| l.proven.is_some()).count();
        if ranges > 0 {
            legend.push((
                Key::Range(BLUE),
                "range the best possible value is proven to lie in".to_string(),
            ));
        }
        if let Some(s) = own {
            legend.push((
                Key::Dashed(INK),
                format!(
                    "the scenario's own floor: {}% of fair share",
                    fixed(s * 100.0, 1)
                ),
            ));
        }
        let mut subtitle = format!(
            "Scenario {scenario} solved with every footprint's floor at {} {} from {}% to {}% of its fair share: what each step of fairness costs.",
            levels.len(),
            listed(levels.len()),
            fixed(levels[0].level * 100.0, 1),
            fixed(levels[levels.len() - 1].level * 100.0, 1),
        );
        if unmet > 0 {
            subtitle.push_str(&format!(
                " At {unmet} other {} there is no measured allocation (see fairness_frontier.csv).",
                listed(unmet)
            ));
        }
        let y_max = levels
            .iter()
            .map(|l| l.proven.map_or(l.value, |(_, hi)| hi))
            .fold(0.0, f64::max);
        FairnessFigure {
            header: Header::new(TITLE, &subtitle, legend),
            plot: Some(Plot {
                levels,
                own,
                y_upper: if y_max > 0.0 { y_max * 1.08 } else { 1.0 },
                y_axis: ValueAxis::new(a.value_unit.as_str(), y_max),
            }),
        }
    }
}

impl Figure for FairnessFigure {
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
        let y_tick = |v: &f64| plot.y_axis.tick(*v);
        let x_tick = |v: &f64| format!("{}%", fixed(v * 100.0, 0));
        let y_label_width = text_width(&plot.y_axis.tick(plot.y_upper), TICK) + 60.0;
        // The same frame as every line chart (style::line_frame), with the floor's share
        // of fair share along the bottom instead of money.
        let mut chart = ChartBuilder::on(&body)
            .margin_left(px.u(MARGIN))
            .margin_right(px.u(MARGIN * 2.0))
            .margin_bottom(px.u(MARGIN / 2.0))
            .set_label_area_size(LabelAreaPosition::Left, px.u(y_label_width))
            .set_label_area_size(LabelAreaPosition::Bottom, px.u(AXIS))
            .build_cartesian_2d(-0.02..1.02, 0.0..plot.y_upper)
            .map_err(plot_err)?;
        chart
            .configure_mesh()
            .x_labels(11)
            .y_labels(8)
            .x_label_formatter(&x_tick)
            .y_label_formatter(&y_tick)
            .x_desc("Footprint floor (share of fair share)")
            .y_desc(format!("Value, {}", plot.y_axis.unit))
            .label_style(px.text(TICK))
            .axis_desc_style(px.text(LABEL))
            .axis_style(px.line(INK, 1.0))
            .bold_line_style(px.line(GRID, 1.0))
            .light_line_style(TRANSPARENT)
            .set_all_tick_mark_size(px.u(5.0))
            .draw()
            .map_err(plot_err)?;
        if let Some(s) = plot.own {
            dashed_at(&mut chart, px, s, plot.y_upper)?;
        }
        let points: Vec<_> = plot
            .levels
            .iter()
            .map(|l| (l.level, l.value, l.proven))
            .collect();
        value_line(&mut chart, root, px, &points)
    }
}
