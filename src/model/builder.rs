//! The programme under construction: its columns, named rows, and in the elastic
//! model the slack that lets each relaxable rule be broken at a price.

use super::{Relax, Row, Sense};
use crate::domain::Dataset;
use crate::scenario::{Rule, Scenario};
use good_lp::{variable, Expression, IntoAffineExpression, ProblemVariables, Variable};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

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
    /// (column, row) pairs for the solver's first basis (see `Programme::crash`).
    pub(super) crash: Vec<(usize, usize)>,
    /// The bounds each column was given, so a re-solve can change them in place.
    col_lower: Vec<f64>,
    col_upper: Vec<f64>,
    /// Each column's index, for the structure's fingerprint.
    index: HashMap<Variable, usize>,
    /// Everything about the programme except its bounds (see `Programme::structure`);
    /// kept only when asked for, as it reads every row once more.
    structure: Option<std::collections::hash_map::DefaultHasher>,
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
            crash: Vec::new(),
            col_lower: Vec::new(),
            col_upper: Vec::new(),
            index: HashMap::new(),
            structure: None,
        }
    }

    /// Keeps a fingerprint of the programme's structure as it is built.
    pub(super) fn fingerprinted(mut self) -> Self {
        self.structure = Some(Default::default());
        self
    }

    /// A column between `lower` and `upper`, whole-valued if `integer`.
    pub(super) fn add(
        &mut self,
        lower: f64,
        upper: f64,
        integer: bool,
        name: String,
    ) -> (Variable, usize) {
        let col = self.columns;
        self.columns += 1;
        if let Some(h) = &mut self.structure {
            (&name, integer).hash(h);
        }
        self.col_names.push(name);
        if integer {
            self.integer_cols.push(col);
        }
        self.col_lower.push(lower);
        self.col_upper.push(upper);
        let def = variable().min(lower).max(upper);
        let v = self.vars.add(if integer { def.integer() } else { def });
        if self.structure.is_some() {
            self.index.insert(v, col);
        }
        (v, col)
    }

    /// Hashes an expression's coefficients in column order (bounds and constants aside).
    fn hash_terms(&mut self, e: &Expression) {
        let Some(h) = &mut self.structure else { return };
        let mut terms: Vec<(usize, u64)> = e
            .clone()
            .linear_coefficients()
            .map(|(v, c)| (self.index[&v], c.to_bits()))
            .collect();
        terms.sort_unstable();
        terms.hash(h);
    }

    /// The finished programme.
    pub(super) fn finish(
        mut self,
        objective: Expression,
        maximise: bool,
        fraction_col: Vec<usize>,
        exclusions: Vec<Option<super::Exclusion>>,
        money: f64,
    ) -> super::Programme {
        self.hash_terms(&objective);
        let structure = self.structure.take().map(|mut h| {
            (maximise, money.to_bits(), &fraction_col).hash(&mut h);
            h.finish()
        });
        super::Programme {
            vars: self.vars,
            objective,
            maximise,
            rows: self.rows,
            fraction_col,
            slack_cols: self.slack_cols,
            columns: self.columns,
            col_names: self.col_names,
            integer_cols: self.integer_cols,
            exclusions,
            col_lower: self.col_lower,
            col_upper: self.col_upper,
            structure,
            money,
            flex_cols: Default::default(),
            set_aside: Vec::new(),
            crash: self.crash,
        }
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
            let (s, col) = self.add(0.0, f64::INFINITY, false, format!("slack_{name}"));
            self.slack_cols.push((col, r.clone()));
            self.slack_total += s * scale;
            match sense {
                Sense::AtMost => lhs - s,
                Sense::AtLeast => lhs + s,
            }
        } else {
            lhs
        };
        self.record(rule, None, name, lhs, sense, rhs);
    }

    /// A row for the scenario's cut number `cut`, named for exported models.
    pub(super) fn cut(
        &mut self,
        cut: usize,
        name: String,
        lhs: Expression,
        sense: Sense,
        rhs: f64,
    ) {
        self.record(None, Some(cut), name, lhs, sense, rhs);
    }

    /// Adds the row to the programme (and its structure to the fingerprint).
    fn record(
        &mut self,
        rule: Option<Rule>,
        cut: Option<usize>,
        name: String,
        lhs: Expression,
        sense: Sense,
        rhs: f64,
    ) {
        self.hash_terms(&lhs);
        if let Some(h) = &mut self.structure {
            (&name, sense == Sense::AtMost).hash(h);
        }
        // HiGHS holds the row as bounds on its terms, the constant moved across.
        let bound = rhs - lhs.constant();
        let (lower, upper) = match sense {
            Sense::AtMost => (f64::NEG_INFINITY, bound),
            Sense::AtLeast => (bound, f64::INFINITY),
        };
        let constraint = match sense {
            Sense::AtMost => lhs.leq(rhs),
            Sense::AtLeast => lhs.geq(rhs),
        };
        self.rows.push(Row {
            rule,
            name,
            constraint,
            lower,
            upper,
            cut,
        });
    }
}
