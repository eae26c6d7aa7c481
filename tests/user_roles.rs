//! People's access to missions through Kubernetes' own roles: a user bound
//! to `view` in a namespace lists its missions (the installed
//! `airforce-view` is aggregated into it); one bound to nothing gets one line
//! that names the verb, the resource and the roles to ask for.

mod support;

use k8s_openapi::api::rbac::v1::{RoleBinding, RoleRef, Subject};
use kube::Api;
use kube::api::{ObjectMeta, PostParams};
use support::text;

/// `mission list` in `namespace` as the ServiceAccount `name`.
async fn list_as(client: &kube::Client, namespace: &str, name: &str) -> std::process::Output {
    let kubeconfig = support::kubeconfig_of(client, namespace, name).await;
    let output = assert_cmd::Command::cargo_bin("kubectl-airforce")
        .expect("the binary")
        .arg("--kubeconfig")
        .arg(&kubeconfig)
        .args(["-n", namespace, "mission", "list"])
        .env("NO_COLOR", "1")
        .output()
        .expect("it runs");
    let _ = std::fs::remove_file(kubeconfig);
    output
}

#[tokio::test]
async fn the_standard_view_role_reads_missions_and_a_stranger_is_told_what_to_ask_for() {
    support::with_namespace("user-roles", |client, ns| async move {
        support::ensure_crds(&client).await;
        support::submit(&ns, &["examples/far-sea-strike.yaml"]);
        support::create_service_account(&client, &ns, "reader").await;
        support::create_service_account(&client, &ns, "stranger").await;
        let binding = RoleBinding {
            metadata: ObjectMeta {
                name: Some("reader-view".into()),
                ..ObjectMeta::default()
            },
            role_ref: RoleRef {
                api_group: Some("rbac.authorization.k8s.io".into()),
                kind: "ClusterRole".into(),
                name: "view".into(),
            },
            subjects: Some(vec![Subject {
                kind: "ServiceAccount".into(),
                name: "reader".into(),
                namespace: Some(ns.clone()),
                ..Subject::default()
            }]),
        };
        Api::<RoleBinding>::namespaced(client.clone(), &ns)
            .create(&PostParams::default(), &binding)
            .await
            .expect("the binding");

        // The aggregation controller folds airforce-view into view shortly
        // after the roles are applied; RBAC itself is read at once.
        let mut listed = list_as(&client, &ns, "reader").await;
        for _ in 0..40 {
            if listed.status.success() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
            listed = list_as(&client, &ns, "reader").await;
        }
        assert!(listed.status.success(), "{}", text(&listed.stderr));
        assert!(
            text(&listed.stdout).contains("far-sea-strike"),
            "{}",
            text(&listed.stdout)
        );

        let refused = list_as(&client, &ns, "stranger").await;
        let said = text(&refused.stderr);
        assert_eq!(refused.status.code(), Some(1), "{said}");
        assert_eq!(said.trim_end().lines().count(), 1, "one line:\n{said}");
        for expected in [
            "cannot list resource \"missions\"",
            "ClusterRole view",
            "edit",
        ] {
            assert!(said.contains(expected), "{expected}:\n{said}");
        }
    })
    .await;
}
