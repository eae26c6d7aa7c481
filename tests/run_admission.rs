//! Pods that admission refuses, under `run` on the local cluster: a quota of
//! one pod in front of a parallel stage of three. The refused tasks say why,
//! are told once, wait with a growing backoff instead of hammering the API
//! server, and run once the quota frees.

mod support;

use std::time::Duration;

use k8s_openapi::api::core::v1::{Event, ResourceQuota};
use kube::Api;
use kube::api::{ListParams, PostParams};
use kubectl_airforce::api::conditions::{self, types};
use kubectl_airforce::api::{FlightTask, Mission, MissionPhase};
use support::Operator;

const TIMEOUT: Duration = Duration::from_secs(120);

#[tokio::test]
async fn tasks_a_quota_refuses_say_so_back_off_and_run_once_the_quota_frees() {
    support::with_namespace("admission", |client, ns| async move {
        support::ensure_crds(&client).await;
        let quotas: Api<ResourceQuota> = Api::namespaced(client.clone(), &ns);
        let quota: ResourceQuota = serde_json::from_value(serde_json::json!({
            "metadata": { "name": "one-pod" },
            "spec": { "hard": { "pods": "1" } },
        }))
        .expect("a quota");
        quotas.create(&PostParams::default(), &quota).await.expect("the quota is created");
        let kind = support::tag("aq", &ns);
        let fleet = client.clone();
        support::with_squadron(&fleet, &kind.clone(), 3, move |_| async move {
            let port = support::free_port();
            let address = format!("127.0.0.1:{port}");
            let _operator = Operator::start_with(&ns, &["--metrics-addr", &address]);
            let tasks: String = (1..=3)
                .map(|i| format!("    - name: w{i}\n      aircraftRequirement: {{type: {kind}}}\n      podTemplate: {{metadata: {{annotations: {{sim.airforce.mil/duration: 3s}}}}}}\n"))
                .collect();
            support::submit_yaml(
                &ns,
                &format!("apiVersion: airforce.mil/v1alpha1\nkind: Mission\nmetadata: {{name: squeeze}}\nspec:\n  stages:\n  - name: wave\n    type: parallel\n    flightTasks:\n{tasks}"),
            );

            // Two of the three are refused, and say so.
            let api: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
            let deadline = tokio::time::Instant::now() + TIMEOUT;
            let refused = loop {
                let listed = api.list(&ListParams::default()).await.expect("tasks").items;
                let refused: Vec<FlightTask> = (listed.into_iter())
                    .filter(|t| {
                        let conditions = t.status.as_ref().map_or(&[][..], |s| &s.conditions[..]);
                        conditions::find(conditions, types::POD_CREATED).is_some_and(|c| c.status == "False")
                    })
                    .collect();
                if refused.len() >= 2 {
                    break refused;
                }
                assert!(tokio::time::Instant::now() < deadline, "no task was refused");
                tokio::time::sleep(Duration::from_millis(100)).await;
            };
            for task in &refused {
                let status = task.status.as_ref().expect("a status");
                let created = conditions::find(&status.conditions, types::POD_CREATED).expect("PodCreated");
                println!("{}: PodCreated {} {}: {}", task.metadata.name.clone().unwrap_or_default(), created.status, created.reason, created.message);
                assert_eq!(created.reason, "Forbidden");
                assert!(created.message.contains("exceeded quota: one-pod"), "{}", created.message);
            }

            let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
            let done = support::wait_for(&missions, "squeeze", TIMEOUT, "finished", support::mission_finished).await;
            assert_eq!(done.status.and_then(|s| s.phase), Some(MissionPhase::Succeeded), "they ran once the quota freed");

            let reconciles = support::metric(port, "airforce_reconcile_total", "controller=\"flight_task\"").await;
            let creates = support::metric(port, "airforce_api_requests_total", "verb=\"create\",resource=\"pods\",subresource=\"\"").await;
            println!("flight-task reconciles: {reconciles}, pod creates: {creates}");
            assert!(reconciles > 0.0 && reconciles < 100.0, "{reconciles} reconciles for three tasks");
            assert!(creates < 40.0, "{creates} pod creates: a hot loop");

            let events: Api<Event> = Api::namespaced(client.clone(), &ns);
            let listed = events.list(&ListParams::default().fields("reason=PodRefused")).await.expect("events");
            let told: usize = listed.items.iter().map(|e| e.count.unwrap_or(1).max(1) as usize).sum();
            println!("PodRefused events: {told} for {} refused tasks", refused.len());
            assert!(told <= refused.len() * 2, "{told} events: not one per try");
        })
        .await;
    })
    .await;
}
