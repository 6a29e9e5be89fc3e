//! The programme under construction: its columns, named rows, and in the elastic
//! model the slack that lets each relaxable rule be broken at a price.

use super::{Relax, Row, Sense};
use crate::domain::Dataset;
use crate::scenario::{Rule, Scenario};
use good_lp::{variable, Expression, ProblemVariables, Variable};

pub(super) struct Builder<'a> {
    data: &'a Dataset,
    years: &'a [crate::domain::FinancialYear],
    pub(super) vars: ProblemVariables,
    pub(super) columns: usize,
    pub(super) col_names: Vec<String>,
    pub(super) integer_cols: Vec<usize>,
    pub(super) rows: Vec<Row>,
    relax: &'a Relax,
    pub(super) slack_cols: Vec<(usize, Rule)>,
    pub(super) slack_total: Expression,
}

impl<'a> Builder<'a> {
    pub(super) fn new(data: &'a Dataset, scenario: &'a Scenario, relax: &'a Relax) -> Builder<'a> {
        Builder {
            data,
            years: &scenario.years,
            vars: ProblemVariables::new(),
            columns: 0,
            col_names: Vec::new(),
            integer_cols: Vec::new(),
            rows: Vec::new(),
            relax,
            slack_cols: Vec::new(),
            slack_total: Expression::default(),
        }
    }

    pub(super) fn add(
        &mut self,
        def: good_lp::VariableDefinition,
        integer: bool,
        name: String,
    ) -> (Variable, usize) {
        let col = self.columns;
        self.columns += 1;
        self.col_names.push(name);
        if integer {
            self.integer_cols.push(col);
        }
        (self.vars.add(def), col)
    }

    /// Adds `lhs (<= or >=) rhs` for `rule`; in the elastic model a relaxable rule gets a
    /// slack that absorbs any violation, weighted by `scale` so violations compare in £k.
    pub(super) fn push(
        &mut self,
        rule: Option<Rule>,
        lhs: Expression,
        sense: Sense,
        rhs: f64,
        scale: f64,
    ) {
        let name = match &rule {
            Some(r) => r.key(self.data, self.years),
            None => format!("link_{}", self.rows.len()),
        };
        self.push_named(rule, name, lhs, sense, rhs, scale);
    }

    /// A row that only links the model's own variables, with a name saying what it links.
    pub(super) fn link(&mut self, name: String, lhs: Expression, sense: Sense, rhs: f64) {
        self.push_named(None, name, lhs, sense, rhs, 1.0);
    }

    fn push_named(
        &mut self,
        rule: Option<Rule>,
        name: String,
        lhs: Expression,
        sense: Sense,
        rhs: f64,
        scale: f64,
    ) {
        let relaxable = rule
            .as_ref()
            .filter(|r| r.relaxable() && self.relax.covers(r));
        let lhs = if let Some(r) = relaxable {
            let (s, col) = self.add(variable().min(0.0), false, format!("slack_{name}"));
            self.slack_cols.push((col, r.clone()));
            self.slack_total += s * scale;
            match sense {
                Sense::AtMost => lhs - s,
                Sense::AtLeast => lhs + s,
            }
        } else {
            lhs
        };
        let constraint = match sense {
            Sense::AtMost => lhs.leq(rhs),
            Sense::AtLeast => lhs.geq(rhs),
        };
        self.rows.push(Row {
            rule,
            name,
            constraint,
        });
    }
}
