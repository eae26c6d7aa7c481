//! `mission validate` on hostile input: bombs that expand, nestings that
//! overflow recursive readers, lists past any limit, garbage, and hundreds of
//! seeded mutations of the examples. Every input must end with exit 0 or 1,
//! never a signal, with output a terminal can hold. The slowest inputs are
//! printed; a hang is cut off and fails the test.
//!
//! `HOSTILE_SEED` picks other mutations; `HOSTILE_CASES` how many.

#[path = "support/hostile.rs"]
mod hostile;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Far past anything the limits allow: a run this long is a hang, whatever
/// the load on the machine.
const HANG: Duration = Duration::from_secs(20);

/// Output a person could still read: the limits keep every report far below.
const MAX_OUTPUT: usize = 64 * 1024;

struct Outcome {
    code: Option<i32>,
    elapsed: Duration,
    output: usize,
    stderr: String,
}

fn validate(file: &Path) -> Outcome {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kubectl-airforce"))
        .args(["mission", "validate", "--offline", "-f"])
        .arg(file)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    // Read while it runs, so a report larger than a pipe cannot stall it.
    let out = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout.read_to_end(&mut bytes);
        bytes
    });
    let err = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stderr.read_to_end(&mut bytes);
        bytes
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break Some(status);
        }
        if started.elapsed() > HANG {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = started.elapsed();
    let out = out.join().expect("stdout read");
    let err = err.join().expect("stderr read");
    Outcome {
        code: status.and_then(|status| status.code()),
        elapsed,
        output: out.len() + err.len(),
        stderr: String::from_utf8_lossy(&err).chars().take(300).collect(),
    }
}

#[test]
fn hostile_input_ends_in_exit_0_or_1_quickly_with_bounded_output() {
    let seed = std::env::var("HOSTILE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2026);
    let count = std::env::var("HOSTILE_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(500);
    let mut inputs = hostile::bombs();
    let named = inputs.len();
    inputs.extend(hostile::mutations(seed, count));
    let dir = std::env::temp_dir().join(format!("airforce-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let mut timings: Vec<(Duration, String)> = Vec::new();
    let mut failures: Vec<String> = Vec::new();
    for (index, (name, bytes)) in inputs.iter().enumerate() {
        let file = dir.join(format!("{index}.yaml"));
        std::fs::write(&file, bytes).expect("the input is written");
        let outcome = validate(&file);
        let _ = std::fs::remove_file(&file);
        timings.push((outcome.elapsed, name.clone()));
        let ended = match outcome.code {
            Some(0 | 1) => None,
            Some(code) => Some(format!("exit {code}")),
            None if outcome.elapsed > HANG => Some(format!("still running after {HANG:?}")),
            None => Some("killed by a signal".to_string()),
        };
        if let Some(ended) = ended {
            failures.push(format!("{name}: {ended}: {}", outcome.stderr));
        } else if outcome.output > MAX_OUTPUT {
            failures.push(format!("{name}: {} bytes of output", outcome.output));
        }
        if index < named {
            println!(
                "{name:<34} exit {:?} in {:>6.3}s, {} bytes: {}",
                outcome.code,
                outcome.elapsed.as_secs_f64(),
                outcome.output,
                outcome.stderr.lines().next().unwrap_or_default()
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    timings.sort();
    let median = timings[timings.len() / 2].0;
    println!(
        "{} inputs (seed {seed}); median {median:?}; slowest:",
        timings.len()
    );
    for (elapsed, name) in timings.iter().rev().take(5) {
        println!("  {:>6.3}s {name}", elapsed.as_secs_f64());
    }
    assert!(
        inputs.len() >= 500,
        "the corpus has {} inputs",
        inputs.len()
    );
    assert!(
        failures.is_empty(),
        "{} inputs failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
