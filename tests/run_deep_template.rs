//! A pod template cannot nest past what the operator reads: the CRDs carry
//! the pod template's own schema, so the API server prunes fields a pod does
//! not have (however deep they nest) and refuses deep nesting where a pod has
//! a field. One such object once stopped the list every controller starts
//! from; now its mission runs next to an ordinary one.

mod support;

use std::time::Duration;

use kube::api::{ListParams, PostParams};
use kube::{Api, Client};
use kubectl_airforce::api::{Mission, MissionPhase};
use serde_json::{Value, json};
use support::Operator;

const TIMEOUT: Duration = Duration::from_secs(120);

/// Far deeper than the 128 levels the operator's JSON reader allows.
const DEPTH: usize = 200;

fn nested(leaf: Value, wrap: impl Fn(Value) -> Value) -> Value {
    (0..DEPTH).fold(leaf, |inner, _| wrap(inner))
}

fn mission(name: &str, template: Value) -> Mission {
    let task = json!({
        "name": "t",
        "aircraftRequirement": {"type": "j20"},
        "podTemplate": template,
    });
    serde_json::from_value(json!({
        "apiVersion": "airforce.mil/v1alpha1",
        "kind": "Mission",
        "metadata": {"name": name},
        "spec": {"stages": [{"name": "s", "flightTasks": [task]}]},
    }))
    .expect("a mission")
}

fn quick() -> Value {
    json!({"metadata": {"annotations": {"sim.airforce.mil/duration": "1s"}}})
}

async fn phase(client: &Client, ns: &str, name: &str) -> Option<MissionPhase> {
    let missions: Api<Mission> = Api::namespaced(client.clone(), ns);
    let mission = support::finished_mission(&missions, name, TIMEOUT).await;
    mission.status.and_then(|status| status.phase)
}

#[tokio::test]
async fn a_template_nested_too_deep_is_pruned_or_refused_and_the_operator_keeps_working() {
    support::with_namespace("deep", |client, ns| async move {
        support::ensure_crds(&client).await;
        let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);

        let mut unknown = quick();
        unknown["deep"] = nested(json!({}), |inner| json!({"x": inner}));
        missions
            .create(&PostParams::default(), &mission("pruned", unknown))
            .await
            .expect("a field a pod does not have is pruned, not refused");
        let stored = missions.get("pruned").await.expect("the pruned mission");
        let template = stored.spec.stages[0].flight_tasks[0]
            .template
            .pod_template
            .clone();
        println!("stored template: {template:?}");
        assert_eq!(template, Some(quick()));

        let mut typed = quick();
        typed["spec"] = json!({"containers": [{
            "name": "task",
            "image": "busybox",
            "args": nested(json!("go"), |inner| json!([inner])),
        }]});
        let refused = missions
            .create(&PostParams::default(), &mission("refused", typed))
            .await
            .expect_err("a list of lists where a pod has strings is refused");
        println!("refused: {refused}");
        let kube::Error::Api(status) = &refused else {
            panic!("an API error, not {refused:?}");
        };
        assert_eq!(status.code, 422);
        assert!(
            status
                .message
                .contains("podTemplate.spec.containers[0].args[0]")
        );

        support::submit_yaml(
            &ns,
            "apiVersion: airforce.mil/v1alpha1\nkind: Mission\nmetadata: {name: ordinary}\n\
             spec:\n  stages:\n  - name: s\n    flightTasks:\n    - name: t\n      \
             aircraftRequirement: {type: j20}\n      podTemplate: {metadata: {annotations: \
             {sim.airforce.mil/duration: 1s}}}\n",
        );
        let _operator = Operator::start(&ns);
        for name in ["pruned", "ordinary"] {
            let phase = phase(&client, &ns, name).await;
            println!("{name}: {phase:?}");
            assert_eq!(phase, Some(MissionPhase::Succeeded));
        }
        let listed = missions.list(&ListParams::default()).await.expect("a list");
        assert_eq!(listed.items.len(), 2);
    })
    .await;
}
