//! The aircraft-scheduler on the local cluster: the README's
//! scheduling example placed and explained, a pod that fits nowhere waiting with its
//! reasons until an aircraft becomes suitable, tainted and busy aircraft
//! never chosen, and kube-scheduler placing the same task with --scheduler
//! default. Tests that change aircraft bring their own kwok nodes.

mod support;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::{Node, Pod};
use kube::Api;
use kube::api::{Patch, PatchParams, PostParams};
use kubectl_airforce::api::{FlightTask, FlightTaskPhase};
use serde_json::json;
use support::Operator;

const TIMEOUT: Duration = Duration::from_secs(60);

async fn create_task(client: &kube::Client, ns: &str, name: &str, requirement: serde_json::Value) {
    let task: FlightTask = serde_json::from_value(json!({
        "apiVersion": "airforce.mil/v1alpha1",
        "kind": "FlightTask",
        "metadata": { "name": name },
        "spec": {
            "aircraftRequirement": requirement,
            "podTemplate": { "metadata": { "annotations": { "sim.airforce.mil/duration": "60s" } } },
        },
    }))
    .expect("a FlightTask");
    Api::<FlightTask>::namespaced(client.clone(), ns)
        .create(&PostParams::default(), &task)
        .await
        .expect("task created");
}

fn bound_to(pod: Option<&Pod>) -> Option<String> {
    pod?.spec.as_ref()?.node_name.clone()
}

async fn wait_bound(pods: &Api<Pod>, name: &str) -> String {
    let pod = support::wait_for(pods, name, TIMEOUT, "bound", |pod: Option<&Pod>| {
        bound_to(pod).is_some()
    })
    .await;
    bound_to(Some(&pod)).expect("bound")
}

#[tokio::test]
async fn the_spec_example_goes_to_j20_01_and_is_explained() {
    support::with_namespace("sched-k2", |client, ns| async move {
        support::ensure_crds(&client).await;
        let _operator = Operator::start(&ns);
        // Task pods of earlier test binaries may still be leaving the shared
        // fleet (their namespaces are deleted in the background): the example
        // starts from the README's fleet: j20-01, j20-02 and j20-04 ready (j20-04
        // then fails on fuel, not on a pod of someone else's), j20-03 busy.
        let nodes: Api<Node> = Api::all(client.clone());
        for aircraft in ["j20-01", "j20-02", "j20-04"] {
            support::wait_for(&nodes, aircraft, TIMEOUT, "ready", |node: Option<&Node>| {
                node.and_then(|n| n.metadata.labels.as_ref())
                    .and_then(|l| l.get("aircraft.mil/status"))
                    .is_some_and(|status| status == "ready")
            })
            .await;
        }
        create_task(
            &client,
            &ns,
            "strike",
            json!({ "type": "j20", "minFuelLevel": 70, "hardpoints": 6, "preferredZone": "east-sea" }),
        )
        .await;
        let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
        assert_eq!(wait_bound(&pods, "strike-1").await, "j20-01");

        let explained = support::airforce(&["-n", &ns, "schedule", "explain", "strike"]);
        let table = support::text(&explained.stdout);
        assert!(explained.status.success(), "{table}{}", support::text(&explained.stderr));
        println!("{table}");
        let line = |node: &str| {
            table
                .lines()
                .find(|l| l.starts_with(node))
                .unwrap_or_else(|| panic!("no line for {node} in\n{table}"))
                .to_string()
        };
        assert!(line("j20-01").contains("(chosen)") && line("j20-01").contains("585"), "{table}");
        assert!(line("j20-01").contains("95×3=285") && line("j20-01").contains("100×2=200"), "{table}");
        assert!(line("j20-02").contains("450") && line("j20-02").contains("70×2=140"), "{table}");
        assert!(line("j20-03").contains("AircraftAvailability"), "{table}");
        assert!(line("j20-04").contains("FuelCheck") && line("j20-04").contains("60"), "{table}");

        let json = support::airforce(&["-n", &ns, "schedule", "explain", "strike", "-o", "json"]);
        let value: serde_json::Value =
            serde_json::from_slice(&json.stdout).expect("explain -o json prints JSON");
        assert_eq!(value["source"], "recorded");
        assert_eq!(value["decision"]["chosen"], "j20-01");
        assert_eq!(value["decision"]["candidates"][0]["total"], 585);
        assert_eq!(value["decision"]["candidates"][1]["total"], 450);
        let yaml = support::airforce(&["-n", &ns, "schedule", "explain", "strike", "-o", "yaml"]);
        let value: serde_json::Value =
            serde_yaml_ng::from_slice(&yaml.stdout).expect("explain -o yaml prints YAML");
        assert_eq!(value["decision"]["chosen"], "j20-01");

        let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
        let task = support::wait_for(&tasks, "strike", TIMEOUT, "Running", |t: Option<&FlightTask>| {
            t.and_then(|t| t.status.as_ref()).and_then(|s| s.phase) == Some(FlightTaskPhase::Running)
        })
        .await;
        let info = task.status.and_then(|s| s.scheduling_info).expect("scheduling info");
        assert_eq!(info.assigned_node.as_deref(), Some("j20-01"));
    })
    .await;
}

/// Aircraft of this test's own: `tag` is a capability only its tasks ask for.
async fn squadron(
    client: &kube::Client,
    tag: &str,
    fleet: &[(&str, &[(&str, &str)])],
) -> Vec<String> {
    let mut names = Vec::new();
    for (suffix, extra) in fleet {
        let name = format!("{tag}-{suffix}");
        let mut labels: BTreeMap<String, String> = [
            ("aircraft.mil/type", "j20"),
            ("aircraft.mil/status", "ready"),
            ("aircraft.mil/fuel.level", "90"),
            ("aircraft.mil/hardpoint.available", "8"),
            ("aircraft.mil/location.zone", "east-sea"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        labels.insert(format!("aircraft.mil/capability.{tag}"), "true".into());
        for (key, value) in *extra {
            labels.insert(key.to_string(), value.to_string());
        }
        support::create_aircraft(client, std::slice::from_ref(&name), &labels).await;
        names.push(name);
    }
    names
}

#[tokio::test]
async fn a_pod_that_fits_nowhere_waits_with_reasons_and_is_bound_when_an_aircraft_refuels() {
    support::with_namespace("sched-wait", |client, ns| async move {
        support::ensure_crds(&client).await;
        let tag = ns.clone();
        let fleet = squadron(
            &client,
            &tag,
            &[("a", &[("aircraft.mil/fuel.level", "40")])],
        )
        .await;
        let _operator = Operator::start(&ns);
        create_task(
            &client,
            &ns,
            "loiter",
            json!({ "minFuelLevel": 80, "capabilities": [tag] }),
        )
        .await;
        let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
        let pending = support::wait_for(
            &pods,
            "loiter-1",
            TIMEOUT,
            "PodScheduled=False",
            |pod: Option<&Pod>| {
                pod.and_then(|p| p.status.as_ref())
                    .and_then(|s| s.conditions.as_ref())
                    .is_some_and(|c| {
                        // Until the node lifecycle controller lifts the new
                        // aircraft's not-ready taint, that is the reason given.
                        c.iter().any(|c| {
                            c.type_ == "PodScheduled"
                                && c.status == "False"
                                && c.message
                                    .as_deref()
                                    .is_some_and(|m| m.contains("FuelCheck"))
                        })
                    })
            },
        )
        .await;
        let condition = (pending
            .status
            .and_then(|s| s.conditions)
            .unwrap_or_default())
        .into_iter()
        .find(|c| c.type_ == "PodScheduled")
        .expect("PodScheduled");
        let message = condition.message.unwrap_or_default();
        assert_eq!(condition.reason.as_deref(), Some("Unschedulable"));
        assert!(message.contains("FuelCheck"), "{message}");

        let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
        support::wait_for(
            &tasks,
            "loiter",
            TIMEOUT,
            "attempts counted",
            |t: Option<&FlightTask>| {
                t.and_then(|t| t.status.as_ref())
                    .and_then(|s| s.scheduling_info.as_ref())
                    .is_some_and(|i| i.scheduling_attempts >= 1)
            },
        )
        .await;
        let live = support::airforce(&["-n", &ns, "schedule", "explain", "loiter"]);
        let text = support::text(&live.stdout);
        assert!(
            live.status.success(),
            "{text}{}",
            support::text(&live.stderr)
        );
        assert!(
            text.contains("is not bound yet") && text.contains("FuelCheck"),
            "{text}"
        );

        let nodes: Api<Node> = Api::all(client.clone());
        let refuel = json!({ "metadata": { "labels": { "aircraft.mil/fuel.level": "95" } } });
        let refuelled = Instant::now();
        nodes
            .patch(&fleet[0], &PatchParams::default(), &Patch::Merge(&refuel))
            .await
            .expect("refuelled");
        // No timer retries a waiting pod: only the node change can bind it.
        // The latency is a figure to read, not to assert on a shared machine.
        assert_eq!(wait_bound(&pods, "loiter-1").await, fleet[0]);
        println!(
            "bound {:?} after the aircraft was refuelled",
            refuelled.elapsed()
        );
        support::delete_aircraft(&client, &fleet).await;
    })
    .await;
}

#[tokio::test]
async fn tainted_and_busy_aircraft_are_never_chosen_and_kube_scheduler_agrees_when_asked() {
    support::with_namespace("sched-avoid", |client, ns| async move {
        support::ensure_crds(&client).await;
        let tag = ns.clone();
        let fleet = squadron(
            &client,
            &tag,
            &[
                ("busy", &[("aircraft.mil/status", "busy"), ("aircraft.mil/fuel.level", "100")]),
                ("tainted", &[("aircraft.mil/fuel.level", "100")]),
                ("fit", &[("aircraft.mil/fuel.level", "50")]),
            ],
        )
        .await;
        let nodes: Api<Node> = Api::all(client.clone());
        let taint = json!({ "spec": { "taints": [{ "key": "maintenance", "value": "engine", "effect": "NoSchedule" }] } });
        nodes
            .patch(&fleet[1], &PatchParams::default(), &Patch::Merge(&taint))
            .await
            .expect("tainted");
        let requirement = json!({ "type": "j20", "capabilities": [tag] });
        let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
        {
            let _operator = Operator::start(&ns);
            create_task(&client, &ns, "ours", requirement.clone()).await;
            assert_eq!(wait_bound(&pods, "ours-1").await, fleet[2], "the only allowed aircraft");
            let explained = support::airforce(&["-n", &ns, "schedule", "explain", "ours", "-o", "json"]);
            let value: serde_json::Value = serde_json::from_slice(&explained.stdout).expect("JSON");
            // The counts by reason cover every aircraft; the list of
            // rejections keeps only the first few.
            let rejected = value["decision"]["rejectedByReason"].to_string();
            assert!(rejected.contains("TaintToleration") && rejected.contains("AircraftAvailability"), "{rejected}");
        }
        Api::<FlightTask>::namespaced(client.clone(), &ns)
            .delete("ours", &Default::default())
            .await
            .expect("deleted");
        support::wait_deleted(&pods, "ours-1", TIMEOUT).await;

        let _operator = Operator::start_with(&ns, &["--scheduler", "default"]);
        create_task(&client, &ns, "theirs", requirement).await;
        let pod = support::wait_for(&pods, "theirs-1", TIMEOUT, "bound", |pod: Option<&Pod>| {
            bound_to(pod).is_some()
        })
        .await;
        assert_eq!(
            pod.spec.as_ref().and_then(|s| s.scheduler_name.as_deref()),
            Some("default-scheduler")
        );
        assert_eq!(bound_to(Some(&pod)).as_deref(), Some(fleet[2].as_str()));
        support::delete_aircraft(&client, &fleet).await;
    })
    .await;
}
