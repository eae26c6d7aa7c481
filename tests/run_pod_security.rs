//! Task pods in a namespace that enforces Pod Security `restricted`: the far-sea
//! example, weapons and all, flies with the containers the operator adds; a
//! template asking for a privileged container is refused, and the task says
//! so and fails its attempt within its bound.

mod support;

use std::time::Duration;

use k8s_openapi::api::core::v1::{Event, Namespace};
use kube::Api;
use kube::api::{ListParams, Patch, PatchParams};
use kubectl_airforce::api::conditions::{self, reasons, types};
use kubectl_airforce::api::{FlightTask, FlightTaskPhase, Mission, MissionPhase};
use support::Operator;

const TIMEOUT: Duration = Duration::from_secs(120);

#[tokio::test]
async fn in_a_restricted_namespace_the_far_sea_example_flies_and_a_privileged_task_is_refused_with_the_reason()
 {
    support::with_namespace("restricted", |client, ns| async move {
        support::ensure_crds(&client).await;
        let namespaces: Api<Namespace> = Api::all(client.clone());
        let enforce = serde_json::json!({ "metadata": { "labels": {
            "pod-security.kubernetes.io/enforce": "restricted",
        } } });
        namespaces
            .patch(&ns, &PatchParams::default(), &Patch::Merge(&enforce))
            .await
            .expect("the namespace enforces restricted");
        let _operator = Operator::start(&ns);
        support::submit(&ns, &["examples/far-sea-strike.yaml"]);
        support::submit_yaml(
            &ns,
            r#"apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata: {name: rogue}
spec:
  stages:
  - name: s
    flightTasks:
    - name: t
      maxRetries: 0
      schedulingTimeout: 5s
      aircraftRequirement: {type: j20}
      podTemplate:
        spec:
          containers:
          - name: task
            image: busybox:1.37
            securityContext: {privileged: true}
"#,
        );

        let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
        let rogue = support::wait_for(
            &tasks,
            "rogue.s.t",
            TIMEOUT,
            "Failed",
            |t: Option<&FlightTask>| {
                t.and_then(|t| t.status.as_ref()).and_then(|s| s.phase)
                    == Some(FlightTaskPhase::Failed)
            },
        )
        .await;
        let status = rogue.status.clone().expect("a status");
        let created = conditions::find(&status.conditions, types::POD_CREATED).expect("PodCreated");
        println!(
            "rogue: PodCreated {} {}: {}",
            created.status, created.reason, created.message
        );
        println!("rogue: {}", status.message.clone().unwrap_or_default());
        assert_eq!(
            (created.status.as_str(), created.reason.as_str()),
            ("False", "Forbidden")
        );
        assert!(
            created
                .message
                .contains("violates PodSecurity \"restricted"),
            "{}",
            created.message
        );
        let ready = conditions::find(&status.conditions, types::READY).expect("Ready");
        assert_eq!(ready.reason, reasons::POD_REFUSED);
        let events: Api<Event> = Api::namespaced(client.clone(), &ns);
        let fields = "involvedObject.name=rogue.s.t,reason=PodRefused";
        let told = events
            .list(&ListParams::default().fields(fields))
            .await
            .expect("events")
            .items;
        let of = |action: &str| -> i32 {
            (told.iter())
                .filter(|e| e.action.as_deref() == Some(action))
                .map(|e| e.count.unwrap_or(1).max(1))
                .sum()
        };
        assert_eq!(
            of("CreatePod"),
            1,
            "the refusal is told once, not once per try"
        );
        assert_eq!(of("Fail"), 1, "and so is the failed attempt");

        let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
        let far_sea = support::wait_for(
            &missions,
            "far-sea-strike",
            TIMEOUT,
            "finished",
            support::mission_finished,
        )
        .await;
        let status = far_sea.status.expect("a status");
        println!("far-sea-strike: {:?} {:?}", status.phase, status.message);
        assert_eq!(status.phase, Some(MissionPhase::Succeeded));
    })
    .await;
}
