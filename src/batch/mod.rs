//! Many solves at once: scenarios side by side, budget sweeps and (later) re-solves
//! and draws, all through [`each`]. Each solve builds its own model inside its rayon
//! task (HiGHS models are not `Send`) with one HiGHS thread, so the cores are shared
//! out by rayon and never oversubscribed.

pub mod alternatives;
pub mod explain;
pub mod fairness;
pub mod marginal;
pub mod prices;
pub mod progress;
pub mod resolve;
pub mod scenarios;
pub mod sweep;
pub mod uncertainty;

use progress::{Mode, Progress};
use rayon::prelude::*;

/// Runs `work` on every item in parallel and returns the results in the order given.
/// Every item runs whatever happens to the others, so one failure loses nothing else.
/// `label` names an item in the progress display; `outcome` says in a few words how it
/// ended.
pub fn each<T: Sync, R: Send>(
    items: &[T],
    mode: Mode,
    what: &str,
    label: impl Fn(&T) -> String + Sync,
    work: impl Fn(&T) -> R + Sync,
    outcome: impl Fn(&R) -> String + Sync,
) -> Vec<R> {
    let progress = Progress::new(mode, items.len(), what);
    let results = items
        .par_iter()
        // One item per task, so a core that finishes early takes the next item instead
        // of waiting on a fixed half of the work.
        .with_max_len(1)
        .map(|item| {
            let name = label(item);
            progress.started(&name);
            let r = work(item);
            progress.finished(&name, &outcome(&r));
            r
        })
        .collect();
    progress.done();
    results
}
