//! `node label` and `node list` against the local cluster, on aircraft of the
//! test's own so the shared fleet stays as other tests expect.

mod support;

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Node;
use kube::{Api, ResourceExt};
use support::{airforce, text};

/// What a write of ours would change: labels, annotations, and the entries
/// of our field managers (with their times). kwok writes the node's status
/// on its own schedule, so the resourceVersion cannot tell.
fn ours(node: &Node) -> impl PartialEq + std::fmt::Debug {
    let managers: Vec<_> = (node.managed_fields().iter())
        .filter(|entry| {
            entry
                .manager
                .as_deref()
                .is_some_and(|m| m.contains("airforce"))
        })
        .cloned()
        .collect();
    (node.labels().clone(), node.annotations().clone(), managers)
}

fn labels(fuel: &str) -> BTreeMap<String, String> {
    [
        ("aircraft.mil/type", "j20"),
        ("aircraft.mil/status", "ready"),
        ("aircraft.mil/fuel.level", fuel),
        ("aircraft.mil/fuel.status", "high"),
        ("aircraft.mil/hardpoint.available", "8"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

#[tokio::test]
async fn label_checks_everything_writes_only_changes_and_list_shows_the_result() {
    support::with_namespace("node-cli", |client, ns| async move {
        let names = vec![format!("{ns}-a"), format!("{ns}-b")];
        support::create_aircraft(&client, &names, &labels("90")).await;
        let nodes: Api<Node> = Api::all(client.clone());
        let outcome = tokio::spawn({
            let (nodes, names) = (nodes.clone(), names.clone());
            async move { label_and_list(&nodes, &names).await }
        })
        .await;
        support::delete_aircraft(&client, &names).await;
        if let Err(panic) = outcome {
            std::panic::resume_unwind(panic.into_panic());
        }
    })
    .await;
}

async fn label_and_list(nodes: &Api<Node>, names: &[String]) {
    let (a, b) = (names[0].as_str(), names[1].as_str());
    let label_of = |node: &Node, key: &str| node.labels().get(key).cloned();

    // One bad value anywhere: nothing is written to either node.
    let refused = airforce(&[
        "node",
        "label",
        a,
        b,
        "--fuel",
        "25",
        "hardpoint.available=many",
    ]);
    assert!(!refused.status.success());
    let stderr = text(&refused.stderr);
    assert!(stderr.contains("nothing was labeled"), "{stderr}");
    assert!(stderr.contains("hardpoint"), "the field is named: {stderr}");
    let before = nodes.get(a).await.expect("node a");
    assert_eq!(
        label_of(&before, "aircraft.mil/fuel.level").as_deref(),
        Some("90")
    );

    // A dry run shows the change and writes nothing.
    let dry = airforce(&["node", "label", a, "--fuel", "25", "--dry-run"]);
    assert!(dry.status.success(), "{}", text(&dry.stderr));
    let shown = text(&dry.stdout);
    assert!(
        shown.contains("fuel.level") && shown.contains("25"),
        "{shown}"
    );
    // Labels and annotations, not the resourceVersion: kwok writes the
    // node's status on its own schedule.
    let unchanged = nodes.get(a).await.expect("node a");
    assert_eq!(ours(&unchanged), ours(&before), "no write of ours");

    // The real write: fuel.status is derived, annotations set, before and after shown.
    let applied = airforce(&[
        "node",
        "label",
        a,
        b,
        "--fuel",
        "25",
        "--zone",
        "south-sea",
        "--maintenance",
        "12",
    ]);
    assert!(applied.status.success(), "{}", text(&applied.stderr));
    let shown = text(&applied.stdout);
    assert!(
        shown.contains("BEFORE") && shown.contains("AFTER"),
        "{shown}"
    );
    for name in [a, b] {
        let node = nodes.get(name).await.expect("node");
        assert_eq!(
            label_of(&node, "aircraft.mil/fuel.level").as_deref(),
            Some("25")
        );
        assert_eq!(
            label_of(&node, "aircraft.mil/fuel.status").as_deref(),
            Some("low")
        );
        assert_eq!(
            label_of(&node, "aircraft.mil/location.zone").as_deref(),
            Some("south-sea")
        );
        assert_eq!(
            node.annotations()
                .get("aircraft.mil/maintenance")
                .map(String::as_str),
            Some("12")
        );
    }

    // The same command again changes nothing and writes nothing.
    let written = nodes.get(a).await.expect("node a");
    let again = airforce(&["node", "label", a, "--fuel", "25", "--zone", "south-sea"]);
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(
        text(&again.stdout).contains("unchanged"),
        "{}",
        text(&again.stdout)
    );
    let after = nodes.get(a).await.expect("node a");
    assert_eq!(ours(&after), ours(&written), "no write of ours");

    // A fleet file sets a whole fleet.
    let file = std::env::temp_dir().join(format!("{a}-fleet.yaml"));
    std::fs::write(
        &file,
        format!(
            "apiVersion: v1\nkind: Node\nmetadata:\n  name: {a}\n  labels:\n    aircraft.mil/fuel.level: \"80\"\n---\n\
             apiVersion: v1\nkind: Node\nmetadata:\n  name: {b}\n  labels:\n    aircraft.mil/status: maintenance\n"
        ),
    )
    .expect("write the fleet file");
    let from_file = airforce(&[
        "node",
        "label",
        "--from-file",
        file.to_str().expect("UTF-8"),
    ]);
    let _ = std::fs::remove_file(&file);
    assert!(from_file.status.success(), "{}", text(&from_file.stderr));
    let node_a = nodes.get(a).await.expect("node a");
    assert_eq!(
        label_of(&node_a, "aircraft.mil/fuel.level").as_deref(),
        Some("80")
    );
    assert_eq!(
        label_of(&node_a, "aircraft.mil/fuel.status").as_deref(),
        Some("high")
    );
    let node_b = nodes.get(b).await.expect("node b");
    assert_eq!(
        label_of(&node_b, "aircraft.mil/status").as_deref(),
        Some("maintenance")
    );

    // node list shows both, as a table and as JSON.
    let listed = airforce(&["node", "list"]);
    assert!(listed.status.success(), "{}", text(&listed.stderr));
    let table = text(&listed.stdout);
    let row = table
        .lines()
        .find(|l| l.starts_with(a))
        .unwrap_or_else(|| panic!("{a} listed: {table}"));
    assert!(
        row.contains("80% high") && row.contains("south-sea"),
        "{row}"
    );
    let json = airforce(&["node", "list", "-o", "json"]);
    let aircraft: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let entry = (aircraft.as_array().expect("an array").iter())
        .find(|entry| entry["name"] == b)
        .unwrap_or_else(|| panic!("{b} in the JSON list"));
    assert_eq!(entry["status"], "maintenance");
    assert_eq!(entry["fuel"]["level"], 25);
    assert_eq!(entry["maintenanceDays"], 12);
}

#[tokio::test]
async fn list_shows_fault_marks_and_clear_marks_takes_them_and_the_suspect_taint_off() {
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
    use k8s_openapi::jiff::{Timestamp, ToSpan};
    use kube::api::{Patch, PatchParams};
    use kubectl_airforce::api::fault_marks::{FaultMark, MARK_TAINT, mark_key, mark_value};

    support::with_namespace("node-marks", |client, ns| async move {
        let kind = support::tag("nm", &ns);
        let fleet = client.clone();
        support::with_squadron(&fleet, &kind.clone(), 2, move |names| async move {
            let nodes: Api<Node> = Api::all(client.clone());
            // A mark as a failed attempt leaves it, with its taint.
            let mark = FaultMark {
                task: format!("{ns}/m-s-crash"),
                attempt: 1,
                reason: "container task exited with code 3 (Error)".into(),
                expires: Time(Timestamp::now().checked_add(9.minutes()).expect("a time")),
            };
            let patch = serde_json::json!({
                "metadata": { "annotations": { mark_key("uid-1"): mark_value(&mark) } },
                "spec": { "taints": [{ "key": MARK_TAINT, "effect": "PreferNoSchedule" }] },
            });
            nodes
                .patch(&names[0], &PatchParams::default(), &Patch::Merge(&patch))
                .await
                .expect("the mark is written");

            let selector = format!("aircraft.mil/type={kind}");
            let listed = airforce(&["node", "list", "-l", &selector]);
            let table = text(&listed.stdout);
            println!("{table}");
            assert!(table.lines().next().is_some_and(|h| h.ends_with("FAULT MARKS")), "{table}");
            let row = table.lines().find(|l| l.starts_with(&names[0])).expect("the marked aircraft");
            assert!(row.contains(&format!("{ns}/m-s-crash (8m")), "{row}");
            let other = table.lines().find(|l| l.starts_with(&names[1])).expect("the other");
            assert!(other.ends_with("<none>"), "{other}");

            let dry = airforce(&["node", "clear-marks", "--all", "--dry-run"]);
            assert!(text(&dry.stdout).contains(&format!("node/{}: would clear the fault mark of {ns}/m-s-crash", names[0])));
            let checked = airforce(&["node", "clear-marks", &names[0], "--dry-run=server"]);
            assert!(checked.status.success(), "{}", text(&checked.stderr));
            assert!(text(&checked.stdout).contains("would clear the fault mark"), "{}", text(&checked.stdout));
            let node = nodes.get(&names[0]).await.expect("the aircraft");
            assert!(node.annotations().contains_key(&mark_key("uid-1")), "a server dry run clears nothing");
            let cleared = airforce(&["node", "clear-marks", &names[0]]);
            assert!(cleared.status.success(), "{}", text(&cleared.stderr));
            assert_eq!(
                text(&cleared.stdout).trim(),
                format!("node/{}: cleared the fault mark of {ns}/m-s-crash (attempt 1: container task exited with code 3 (Error))", names[0])
            );
            let node = nodes.get(&names[0]).await.expect("the aircraft");
            assert!(!node.annotations().contains_key(&mark_key("uid-1")));
            let taints = node.spec.and_then(|s| s.taints).unwrap_or_default();
            assert!(taints.iter().all(|t| t.key != MARK_TAINT), "{taints:?}");
            let again = airforce(&["node", "clear-marks", &names[0]]);
            assert!(again.status.success());
            assert!(text(&again.stderr).contains("No fault marks to clear."));
        })
        .await;
    })
    .await;
}
