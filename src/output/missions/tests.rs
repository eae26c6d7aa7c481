//! Three missions in three states, as every output format shows them.

use serde_json::json;

use super::*;

const T0: i64 = 1_700_000_000;

fn at(second: i64) -> Timestamp {
    Timestamp::from_second(T0 + second).expect("a valid test time")
}

fn mission(name: &str, namespace: &str, status: Value) -> Mission {
    mission_with(name, namespace, status, false)
}

fn mission_with(name: &str, namespace: &str, status: Value, suspend: bool) -> Mission {
    serde_json::from_value(json!({
        "apiVersion": "airforce.mil/v1alpha1",
        "kind": "Mission",
        "metadata": {
            "name": name, "namespace": namespace,
            "creationTimestamp": at(0).to_string(),
            "managedFields": [{ "manager": "kubectl-airforce", "operation": "Apply" }],
        },
        "spec": {
            "suspend": suspend,
            "config": { "failurePolicy": { "maxRetries": 2 } },
            "stages": [{ "name": "recon", "type": "parallel",
                         "flightTasks": [{ "name": "look", "aircraftRequirement": { "type": "j20" } }] }],
        },
        "status": status,
    }))
    .expect("a Mission")
}

fn missions() -> Vec<Mission> {
    vec![
        mission(
            "far-sea-strike",
            "air",
            json!({
                "phase": "Running", "startTime": at(5).to_string(), "retryCount": 1,
                "stageProgress": "1/3", "taskProgress": "4/9",
                "statistics": { "totalFlightTasks": 9, "succeededTasks": 4, "failedTasks": 1 },
                "stagesSummary": [{ "name": "strike", "phase": "AwaitingApproval" }, { "name": "recon", "phase": "Succeeded" }, { "name": "egress", "phase": "Running" }],
                "message": "1 stage running, 1 succeeded, 1 pending",
            }),
        ),
        mission(
            "patrol",
            "air",
            json!({
                "phase": "Succeeded", "startTime": at(10).to_string(), "completionTime": at(95).to_string(),
                "stageProgress": "1/1", "taskProgress": "2/2",
                "statistics": { "totalFlightTasks": 2, "succeededTasks": 2 },
                "message": "all 1 stages succeeded",
            }),
        ),
        mission_with("drill", "training", json!(null), true),
    ]
}

fn options(wide: bool, show_namespace: bool, palette: Palette) -> TableOptions<'static> {
    TableOptions {
        wide,
        show_namespace,
        headers: true,
        palette,
        now: at(125),
        label_columns: &[],
    }
}

#[test]
fn the_table_like_kubectl_get() {
    insta::assert_snapshot!(table(&missions(), options(false, false, Palette::PLAIN)));
}

#[test]
fn the_wide_table_with_namespaces() {
    insta::assert_snapshot!(table(&missions(), options(true, true, Palette::PLAIN)));
}

#[test]
fn the_table_in_colour_colours_only_the_phase() {
    let coloured = table(
        &missions(),
        options(false, false, Palette { enabled: true }),
    );
    insta::assert_snapshot!(coloured);
    assert_eq!(
        console::strip_ansi_codes(&coloured),
        table(&missions(), options(false, false, Palette::PLAIN))
    );
}

#[test]
fn names_are_kind_slash_name() {
    assert_eq!(
        names(&missions()[..2]),
        "mission.airforce.mil/far-sea-strike\nmission.airforce.mil/patrol"
    );
}

#[test]
fn one_object_is_itself_and_several_are_a_list_without_managed_fields() {
    let one = document(&missions()[..1], false);
    assert_eq!(one["kind"], "Mission");
    assert!(one["metadata"].get("managedFields").is_none());
    let listed = document(&missions()[..1], true);
    assert_eq!(listed["kind"], "List");
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(1));
    let several = document(&missions(), false);
    assert_eq!(several["items"].as_array().map(Vec::len), Some(3));
}

#[test]
fn label_columns_follow_the_others_named_by_their_key() {
    let mut listed = missions();
    listed[0]
        .labels_mut()
        .insert("airforce.example/team".into(), "blue".into());
    let keys = ["airforce.example/team".to_string(), "tier".to_string()];
    let shown = table(
        &listed[..2],
        TableOptions {
            label_columns: &keys,
            ..options(false, false, Palette::PLAIN)
        },
    );
    let mut lines = shown.lines();
    let header = lines.next().expect("a header");
    let columns: Vec<&str> = header.split_whitespace().collect();
    assert!(columns.ends_with(&["AGE", "TEAM", "TIER"]), "{shown}");
    let first = lines.next().expect("a row");
    assert!(first.trim_end().ends_with("blue"), "{shown}");
}
