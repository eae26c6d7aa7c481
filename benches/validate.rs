//! Figures for `mission validate` on hostile input: how long the checks take
//! on each named bomb, deep nesting and oversized list of the hostile corpus,
//! and on 500 seeded mutations of the examples, next to the same checks on the
//! far-sea example (the yardstick: an ordinary mission); and the task graph's order on a dense 2,000-node graph next to
//! merely building its edge lists.
//!
//! `cargo bench --bench validate`. No cluster needed. Figures are printed,
//! never asserted: the machines are shared and noisy.

#[path = "../tests/support/hostile.rs"]
mod hostile;
#[path = "common/run.rs"]
mod run;

use std::time::{Duration, Instant};

use kubectl_airforce::graph::{Dag, Vocabulary};
use kubectl_airforce::validate::{self, CheckOptions, Source};

/// The best of a few runs, which is the least disturbed by other work.
fn best_of(runs: usize, mut work: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn check(name: &str, bytes: &[u8]) -> usize {
    // Invalid UTF-8 never reaches the checks: reading the file refuses it.
    let Ok(text) = std::str::from_utf8(bytes) else {
        return 0;
    };
    let sources = [Source::new(name, text)];
    validate::check(&sources, &CheckOptions::offline("default"))
        .diagnostics
        .len()
}

fn main() {
    if !run::under_cargo_bench("validate") {
        return;
    }
    let example = std::fs::read("examples/far-sea-strike.yaml").expect("the example");
    // The first check of a process also reads the schemas from the committed CRDs,
    // which every `mission validate` and `mission submit` pays once.
    let started = Instant::now();
    check("far-sea-strike.yaml", &example);
    let first = started.elapsed();
    let yardstick = best_of(5, || {
        check("far-sea-strike.yaml", &example);
    });
    println!(
        "yardstick: far-sea-strike.yaml ({} bytes) checked in {:.2} ms",
        example.len(),
        yardstick.as_secs_f64() * 1e3
    );
    println!(
        "the first check of a process, which also reads the schemas: {:.2} ms",
        first.as_secs_f64() * 1e3
    );
    println!(
        "{:<34} {:>10} {:>10} {:>12}",
        "input", "bytes", "ms", "× yardstick"
    );
    let mut slowest = Duration::ZERO;
    for (name, bytes) in hostile::bombs() {
        let mut problems = 0;
        let took = best_of(3, || problems = check(&name, &bytes));
        slowest = slowest.max(took);
        println!(
            "{name:<34} {:>10} {:>10.2} {:>12.1}  ({problems} problems)",
            bytes.len(),
            took.as_secs_f64() * 1e3,
            took.as_secs_f64() / yardstick.as_secs_f64()
        );
    }
    println!("slowest named input: {:.2} ms", slowest.as_secs_f64() * 1e3);

    let mutations = hostile::mutations(2026, 500);
    let mut total = Duration::ZERO;
    let mut worst = (Duration::ZERO, String::new());
    for (name, bytes) in &mutations {
        let started = Instant::now();
        check(name, bytes);
        let took = started.elapsed();
        total += took;
        if took > worst.0 {
            worst = (took, name.clone());
        }
    }
    println!(
        "{} seeded mutations of the examples: {:.1} ms in all, {:.2} ms each on average, slowest {} at {:.2} ms",
        mutations.len(),
        total.as_secs_f64() * 1e3,
        total.as_secs_f64() * 1e3 / mutations.len() as f64,
        worst.1,
        worst.0.as_secs_f64() * 1e3
    );

    let names: Vec<String> = (0..2_000).map(|i| format!("t{i}")).collect();
    let words = Vocabulary {
        noun: "flight task",
        scope: "this stage",
    };
    // Every task depends on every task listed after it: 1,999,000 edges.
    let edges = best_of(3, || {
        let lists: Vec<Vec<usize>> = (0..names.len())
            .map(|i| (i + 1..names.len()).collect())
            .collect();
        std::hint::black_box(lists);
    });
    let ordered = best_of(3, || {
        let nodes = (0..names.len()).map(|i| (names[i].as_str(), &names[i + 1..]));
        std::hint::black_box(Dag::new(nodes, words).expect("no cycle"));
    });
    println!(
        "dense graph of 2,000 tasks: ordered in {:.1} ms; building its edge lists alone {:.1} ms ({:.1}×)",
        ordered.as_secs_f64() * 1e3,
        edges.as_secs_f64() * 1e3,
        ordered.as_secs_f64() / edges.as_secs_f64()
    );
}
