//! p50, p99 and max of a set of durations, as the benchmarks print them.

use std::time::Duration;

pub fn print_percentiles(what: &str, samples: &mut [Duration]) {
    samples.sort();
    let at = |q: f64| -> String {
        if samples.is_empty() {
            return "-".into();
        }
        let index = ((samples.len() as f64 * q).ceil() as usize).clamp(1, samples.len()) - 1;
        format!("{:.0} ms", samples[index].as_secs_f64() * 1000.0)
    };
    println!(
        "  {what}: p50 {}, p99 {}, max {} (n = {})",
        at(0.50),
        at(0.99),
        at(1.0),
        samples.len()
    );
}
