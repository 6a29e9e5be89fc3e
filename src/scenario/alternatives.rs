//! Near-optimal alternatives (`[alternatives]`): what a scenario asks for, and the cuts
//! a re-solve carries to find them. A cut is not a rule of the scenario: it is a
//! question put to the model ("another allocation, this good, this different"), kept
//! beside the rules so the model adds its rows and the independent check tests it.

/// `[alternatives] count = 5, within = 0.005, differ_by = 10`: up to `count` further
/// allocations, each worth at least (1 − `within`) of the optimum's value and differing
/// from the optimum and from every earlier alternative in at least `differ_by` bids
/// (funded in one, not funded in the other).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct AlternativesRequest {
    pub count: usize,
    pub within: f64,
    pub differ_by: usize,
}

/// One extra row of a re-solve.
#[derive(Clone, Debug, PartialEq)]
pub enum Cut {
    /// The allocation's value is at least `value`, in the scenario's value unit.
    ValueAtLeast { value: f64 },
    /// The allocation differs from `reference` (a bid's index is in it when that
    /// allocation funds the bid) in at least `by` whole bids. `label` names the
    /// reference for exported models and errors: `optimum`, `alternative_2`.
    DiffersFrom {
        label: String,
        reference: Vec<usize>,
        by: usize,
    },
}

impl Cut {
    /// A row name for exported models.
    pub fn key(&self) -> String {
        match self {
            Cut::ValueAtLeast { .. } => "cut_value_at_least".into(),
            Cut::DiffersFrom { label, .. } => format!("cut_differs_from_{label}"),
        }
    }
}
