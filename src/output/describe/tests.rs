//! A failed mission with conditions and a handful of Events, described with
//! colour off and on.

use k8s_openapi::api::core::v1::Event;
use serde_json::json;

use super::*;

const T0: i64 = 1_700_000_000;

fn at(second: i64) -> Timestamp {
    Timestamp::from_second(T0 + second).expect("a valid test time")
}

fn mission() -> Mission {
    serde_json::from_value(json!({
        "apiVersion": "airforce.mil/v1alpha1",
        "kind": "Mission",
        "metadata": { "name": "doomed", "namespace": "air" },
        "spec": {
            "missionName": "Doomed Sortie",
            "config": { "failurePolicy": { "maxRetries": 1 } },
            "stages": [{ "name": "loiter", "type": "parallel",
                         "flightTasks": [{ "name": "crash", "aircraftRequirement": { "type": "j20" } }] }],
        },
        "status": {
            "phase": "Failed", "startTime": at(0).to_string(), "completionTime": at(70).to_string(),
            "retryCount": 1,
            "statistics": { "totalFlightTasks": 1, "failedTasks": 1 },
            "message": "stage loiter failed: 1 of 1 tasks failed: crash",
            "conditions": [
                { "type": "Ready", "status": "False", "reason": "StageFailed",
                  "message": "stage loiter failed", "lastTransitionTime": at(70).to_string() },
                { "type": "Completed", "status": "True", "reason": "StageFailed",
                  "message": "", "lastTransitionTime": at(70).to_string() },
            ],
        },
    }))
    .expect("a Mission")
}

fn event(
    reason: &str,
    kind: &str,
    object: (&str, &str),
    second: i64,
    count: i32,
    message: &str,
) -> Event {
    serde_json::from_value(json!({
        "metadata": { "name": format!("{}.{reason}", object.1), "namespace": "air" },
        "type": kind,
        "reason": reason,
        "message": message,
        "count": count,
        "lastTimestamp": at(second).to_string(),
        "reportingComponent": "airforce.mil/flight-task-controller",
        "involvedObject": { "kind": object.0, "name": object.1 },
    }))
    .expect("an Event")
}

fn events() -> Vec<Event> {
    vec![
        event(
            "PodCreated",
            "Normal",
            ("FlightTask", "doomed-loiter-crash"),
            5,
            1,
            "created pod doomed-loiter-crash-1",
        ),
        event(
            "TaskFailed",
            "Warning",
            ("FlightTask", "doomed-loiter-crash"),
            60,
            4,
            "attempt 4 failed: exit code 3",
        ),
        event(
            "MissionFailed",
            "Warning",
            ("Mission", "doomed"),
            70,
            1,
            "stage loiter failed",
        ),
    ]
}

const TREE: &str = "✖ doomed  Failed  1m10s\n└─ ✖ loiter  parallel  0/1  Failed";

#[test]
fn describe_plain() {
    insta::assert_snapshot!(render(&mission(), TREE, &events(), at(130), Palette::PLAIN));
}

#[test]
fn describe_in_colour_differs_only_by_colour() {
    let coloured = render(
        &mission(),
        TREE,
        &events(),
        at(130),
        Palette { enabled: true },
    );
    insta::assert_snapshot!(coloured);
    assert_eq!(
        console::strip_ansi_codes(&coloured),
        render(&mission(), TREE, &events(), at(130), Palette::PLAIN)
    );
}

#[test]
fn nothing_to_show_says_none() {
    let mut quiet = mission();
    if let Some(status) = quiet.status.as_mut() {
        status.conditions.clear();
    }
    let text = render(&quiet, TREE, &[], at(130), Palette::PLAIN);
    assert!(text.contains("Conditions:\n  <none>"), "{text}");
    assert!(text.ends_with("Events:\n  <none>"), "{text}");
}

#[test]
fn only_the_newest_events_are_kept() {
    let many: Vec<Event> = (0..30)
        .map(|i| event(&format!("R{i}"), "Normal", ("Mission", "doomed"), i, 1, "m"))
        .collect();
    let text = render(&mission(), TREE, &many, at(130), Palette::PLAIN);
    assert!(!text.contains(" R9 "), "{text}");
    assert!(text.contains(" R10 ") && text.contains(" R29 "), "{text}");
}
