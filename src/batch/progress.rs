//! Progress for long batches: a bar on a terminal, plain lines when output is piped
//! or logged, nothing under `--quiet`.

use indicatif::{ProgressBar, ProgressStyle};
use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Instant;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Bar,
    Lines,
    Quiet,
}

impl Mode {
    pub fn detect(quiet: bool) -> Mode {
        if quiet {
            Mode::Quiet
        } else if std::io::stderr().is_terminal() {
            Mode::Bar
        } else {
            Mode::Lines
        }
    }
}

/// Shared by every rayon task of a batch.
pub struct Progress {
    mode: Mode,
    bar: Option<ProgressBar>,
    running: Mutex<BTreeSet<String>>,
    start: Instant,
}

impl Progress {
    pub fn new(mode: Mode, total: usize, what: &str) -> Progress {
        let bar = (mode == Mode::Bar).then(|| {
            let bar = ProgressBar::new(total as u64);
            bar.set_style(
                ProgressStyle::with_template(&format!(
                    "{{elapsed_precise}} [{{bar:30}}] {{pos}}/{{len}} {what} — running: {{msg}}"
                ))
                .expect("valid template")
                .progress_chars("=> "),
            );
            bar
        });
        Progress {
            mode,
            bar,
            running: Mutex::new(BTreeSet::new()),
            start: Instant::now(),
        }
    }

    fn show_running(&self) {
        if let Some(bar) = &self.bar {
            let running = self.running.lock().expect("progress lock");
            bar.set_message(running.iter().cloned().collect::<Vec<_>>().join(", "));
        }
    }

    pub fn started(&self, name: &str) {
        self.running
            .lock()
            .expect("progress lock")
            .insert(name.to_string());
        self.show_running();
    }

    /// Marks `name` done; `outcome` is a short line such as "optimal, value 123".
    pub fn finished(&self, name: &str, outcome: &str) {
        self.running.lock().expect("progress lock").remove(name);
        match self.mode {
            Mode::Bar => {
                if let Some(bar) = &self.bar {
                    bar.inc(1);
                }
                self.show_running();
            }
            Mode::Lines => eprintln!(
                "[{:>7.1} s] {name}: {outcome}",
                self.start.elapsed().as_secs_f64()
            ),
            Mode::Quiet => {}
        }
    }

    pub fn done(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
