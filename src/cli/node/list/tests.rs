use k8s_openapi::api::core::v1::{Node, Pod};
use serde_json::json;

use super::*;

fn node(
    name: &str,
    labels: serde_json::Value,
    annotations: serde_json::Value,
    ready: &str,
) -> Node {
    serde_json::from_value(json!({
        "metadata": { "name": name, "labels": labels, "annotations": annotations },
        "status": { "conditions": [{ "type": "Ready", "status": ready }] },
    }))
    .expect("a Node")
}

fn pod(namespace: &str, name: &str, node: &str, phase: &str, owner: Option<&str>) -> Pod {
    let owners: Vec<_> = (owner.into_iter())
        .map(|task| {
            json!({"apiVersion": "airforce.mil/v1alpha1", "kind": "FlightTask",
                   "name": task, "uid": "u", "controller": true})
        })
        .collect();
    serde_json::from_value(json!({
        "metadata": { "namespace": namespace, "name": name, "ownerReferences": owners,
                      "labels": { "airforce.mil/task": "escort" } },
        "spec": { "nodeName": node, "containers": [] },
        "status": { "phase": phase },
    }))
    .expect("a Pod")
}

fn fleet() -> Vec<Node> {
    vec![
        node(
            "j20-02",
            json!({
                "aircraft.mil/type": "j20", "aircraft.mil/status": "busy",
                "aircraft.mil/fuel.level": "25", "aircraft.mil/fuel.status": "low",
                "aircraft.mil/location.zone": "south-sea", "aircraft.mil/hardpoint.available": "8",
                "aircraft.mil/capability.stealth": "true", "aircraft.mil/capability.radar": "false",
            }),
            json!({
                "aircraft.mil/maintenance": "20", "aircraft.mil/compatible-weapons": "pl-15, pl-10",
                "fault.aircraft.mil/uid-1": r#"{"task":"ops/strike-escort","attempt":1,"reason":"exit 3","expires":"2026-01-01T10:10:00Z"}"#,
            }),
            "True",
        ),
        node(
            "j20-01",
            json!({ "aircraft.mil/type": "j20" }),
            json!({}),
            "False",
        ),
    ]
}

#[test]
fn aircraft_are_sorted_and_carry_their_active_task_pods() {
    let pods = [
        pod(
            "ops",
            "strike-escort-1",
            "j20-02",
            "Running",
            Some("strike-escort"),
        ),
        pod("ops", "old-1", "j20-02", "Succeeded", Some("old")),
        pod("lab", "solo-1", "j20-02", "Pending", None),
    ];
    let shown = aircraft(&fleet(), Some(&pods));
    assert_eq!(shown[0].name, "j20-01");
    assert_eq!(shown[0].tasks, Some(vec![]));
    assert_eq!(
        shown[1].tasks,
        Some(vec![
            "lab/escort".to_string(),
            "ops/strike-escort".to_string()
        ])
    );
    assert_eq!(shown[1].compatible_weapons, ["pl-15", "pl-10"]);
    assert_eq!(aircraft(&fleet(), None)[0].tasks, None);
}

fn now() -> Timestamp {
    "2026-01-01T10:00:30Z".parse().expect("a time")
}

#[test]
fn the_table_reads_like_kubectl_get() {
    let pods = [pod("ops", "p", "j20-02", "Running", Some("strike-escort"))];
    let table = render_table(
        &aircraft(&fleet(), Some(&pods)),
        false,
        Palette::PLAIN,
        now(),
    );
    assert_eq!(
        table,
        "\
NAME     TYPE   STATUS   FUEL      ZONE        HARDPOINTS   MAINTENANCE   CURRENT TASK        READY   FAULT MARKS
j20-01   j20    <none>   <none>    <none>      <none>       <none>        <none>              False   <none>
j20-02   j20    busy     25% low   south-sea   8            20d           ops/strike-escort   True    ops/strike-escort (9m30s left)"
    );
    let later = "2026-01-01T10:11:00Z".parse().expect("a time");
    let expired = render_table(
        &aircraft(&fleet(), Some(&pods)),
        false,
        Palette::PLAIN,
        later,
    );
    assert!(
        expired.ends_with("ops/strike-escort (expired)"),
        "{expired}"
    );
}

#[test]
fn the_wide_table_adds_capabilities_weapons_and_preloaded_images() {
    let mut fleet = aircraft(&fleet(), None);
    let running = |node: &str| -> Pod {
        serde_json::from_value(json!({
            "spec": {"nodeName": node, "containers": []},
            "status": {"phase": "Running"},
        }))
        .expect("a pod")
    };
    with_preload(&mut fleet, Some(&[running("j20-02")]));
    let table = render_table(&fleet, true, Palette::PLAIN, now());
    let last = table.lines().last().expect("a row");
    assert!(last.contains("<unknown>"), "{table}");
    assert!(
        last.ends_with("radar=false,stealth   pl-15,pl-10   yes"),
        "{table}"
    );
}

#[test]
fn an_aircraft_is_preloaded_once_every_preload_pod_on_it_runs() {
    let pod = |node: &str, phase: &str| -> Pod {
        serde_json::from_value(json!({
            "spec": {"nodeName": node, "containers": []},
            "status": {"phase": phase},
        }))
        .expect("a pod")
    };
    let named = |name: &str| Aircraft {
        name: name.into(),
        ..Aircraft::default()
    };
    let mut fleet = [named("a"), named("b"), named("c")];
    let pods = [
        pod("a", "Running"),
        pod("b", "Running"),
        pod("b", "Pending"),
    ];
    with_preload(&mut fleet, Some(&pods));
    let states: Vec<_> = fleet.iter().map(|a| a.preloaded).collect();
    let expected = [Preloaded::Yes, Preloaded::Pulling, Preloaded::Nothing];
    assert_eq!(states, expected.map(Some));
    with_preload(&mut fleet, None);
    assert_eq!(fleet[0].preloaded, Some(Preloaded::Unknown));
}

#[test]
fn json_has_numbers_where_the_labels_hold_them() {
    let value = to_json(&aircraft(&fleet(), Some(&[])));
    assert_eq!(
        value[1],
        json!({
            "name": "j20-02", "type": "j20", "status": "busy",
            "fuel": { "level": 25, "status": "low" },
            "zone": "south-sea", "hardpoints": 8, "maintenanceDays": 20,
            "capabilities": { "radar": false, "stealth": true },
            "compatibleWeapons": ["pl-15", "pl-10"],
            "currentTasks": [], "ready": "True",
            "faultMarks": [{"task": "ops/strike-escort", "attempt": 1, "reason": "exit 3",
                            "expires": "2026-01-01T10:10:00Z"}],
        })
    );
    assert_eq!(value[0]["fuel"]["level"], json!(null));
}

#[test]
fn only_typed_nodes_are_aircraft_unless_all() {
    assert_eq!(
        node_selector(false, None).as_deref(),
        Some("aircraft.mil/type")
    );
    assert_eq!(
        node_selector(false, Some("aircraft.mil/status=ready")).as_deref(),
        Some("aircraft.mil/type,aircraft.mil/status=ready")
    );
    assert_eq!(node_selector(true, None), None);
    assert_eq!(node_selector(true, Some("a=b")).as_deref(), Some("a=b"));
}
