//! A model check of the failure policy. Random missions (stage DAGs of every
//! stage type, tasks with their own retries and a scripted outcome for every
//! attempt, abort or continue, mission retries) are flown through the pure
//! plans of the mission, stage and flight-task controllers, applied the way
//! their reconcilers apply them, with a simulated kubelet running the pods.
//! The end state is compared with a small reference model of the rules,
//! written here from their description and sharing no code with the plans.
//!
//! `MODEL_SEED=<n>` replays a run; `MODEL_CASES=<n>` changes how many
//! missions are tried (1,000 by default).

mod missions;
mod reference;
mod world;

use kubectl_airforce::api::{FlightTaskPhase, MissionPhase, StagePhase};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestError, TestRng, TestRunner};

use missions::{Spec, spec};

/// How long every pod runs, in seconds.
const FLIGHT: i64 = 5;
/// The mission's retry backoff, in seconds (doubling per retry).
const MISSION_BACKOFF: i64 = 3;

/// What a mission came to, as both sides report it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Outcome {
    phase: MissionPhase,
    /// The second the mission ended.
    ended_at: i64,
    retries: i32,
    /// Succeeded, failed, pending tasks by the mission's statistics.
    tasks: (i32, i32, i32),
    /// Each stage's phase; `None` for a stage never started.
    stages: Vec<Option<StagePhase>>,
    /// Each task's phase; `None` for a task never started.
    task_phases: Vec<Vec<Option<FlightTaskPhase>>>,
}

fn check(spec: Spec) -> Result<(), TestCaseError> {
    let expected = reference::reference(&spec);
    let world = world::World::new(&spec)
        .fly()
        .map_err(|why| TestCaseError::fail(format!("{why}\n{spec:#?}")))?;
    let got = world.outcome(&spec);
    prop_assert_eq!(
        &got,
        &expected,
        "the plans and the reference model disagree on {:#?}",
        spec
    );
    Ok(())
}

#[test]
fn the_plans_end_every_random_mission_as_the_reference_model_says() {
    let seed: u64 = std::env::var("MODEL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
            now.map_or(0, |d| d.as_nanos() as u64)
        });
    let cases: u32 = std::env::var("MODEL_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let mut bytes = [0u8; 32];
    for (index, byte) in bytes.iter_mut().enumerate() {
        *byte = (seed >> ((index % 8) * 8)) as u8 ^ index as u8;
    }
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
    let mut runner = TestRunner::new_with_rng(config, rng);
    println!("model check: {cases} random missions, seed {seed}");
    match runner.run(&spec(), check) {
        Ok(()) => {}
        Err(TestError::Fail(reason, spec)) => panic!(
            "the model check failed with seed {seed} (replay: MODEL_SEED={seed} cargo test --test failure_policy_model); smallest failing mission:\n{spec:#?}\n{reason}"
        ),
        Err(TestError::Abort(reason)) => {
            panic!("the model check gave up with seed {seed}: {reason}")
        }
    }
}
