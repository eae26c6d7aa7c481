use k8s_openapi::api::core::v1::{Pod, PodSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};
use kube::runtime::watcher::Event;

use super::*;

fn node_of(pod: &Pod) -> Option<&str> {
    pod.spec.as_ref()?.node_name.as_deref()
}

fn pod(name: &str, owner: &str, node: Option<&str>, version: &str) -> Pod {
    Pod {
        metadata: ObjectMeta {
            name: Some(name.into()),
            namespace: Some("air".into()),
            uid: Some(format!("uid-{name}")),
            resource_version: Some(version.into()),
            owner_references: Some(vec![OwnerReference {
                api_version: "airforce.mil/v1alpha1".into(),
                kind: "FlightTask".into(),
                name: owner.into(),
                uid: owner.into(),
                controller: Some(true),
                ..OwnerReference::default()
            }]),
            ..ObjectMeta::default()
        },
        spec: Some(PodSpec {
            node_name: node.map(Into::into),
            ..PodSpec::default()
        }),
        ..Pod::default()
    }
}

fn names(pods: Vec<Arc<Pod>>) -> Vec<String> {
    let mut names: Vec<String> = pods.iter().map(|pod| pod.name_any()).collect();
    names.sort();
    names
}

fn told(changed: Vec<Arc<Pod>>) -> Vec<String> {
    let mut names: Vec<String> = changed.iter().map(|pod| pod.name_any()).collect();
    names.sort();
    names
}

fn listed(pods: Vec<Pod>) -> Index<Pod> {
    let mut index = Index::new(Some(node_of));
    index.apply(Event::Init);
    for pod in pods {
        index.apply(Event::InitApply(pod));
    }
    index.apply(Event::InitDone);
    index
}

#[test]
fn objects_are_found_by_their_controller_and_by_their_node() {
    let index = listed(vec![
        pod("t1-1", "t1", Some("j20-1"), "1"),
        pod("t1-2", "t1", None, "2"),
        pod("t2-1", "t2", Some("j20-1"), "3"),
    ]);
    assert_eq!(names(index.find(&index.by_owner, "t1")), ["t1-1", "t1-2"]);
    assert_eq!(
        names(index.find(&index.by_value, "j20-1")),
        ["t1-1", "t2-1"]
    );
    assert!(index.find(&index.by_owner, "t3").is_empty());
}

#[test]
fn a_pod_bound_later_is_filed_under_its_node_and_leaves_it_when_deleted() {
    let mut index = listed(vec![pod("t1-1", "t1", None, "1")]);
    let bound = pod("t1-1", "t1", Some("j20-2"), "2");
    assert_eq!(told(index.apply(Event::Apply(bound.clone()))), ["t1-1"]);
    assert_eq!(names(index.find(&index.by_value, "j20-2")), ["t1-1"]);
    assert_eq!(told(index.apply(Event::Delete(bound))), ["t1-1"]);
    assert!(index.find(&index.by_value, "j20-2").is_empty());
    assert!(index.find(&index.by_owner, "t1").is_empty());
    assert!(index.by_owner.is_empty() && index.by_value.is_empty());
}

#[test]
fn a_relist_answers_from_the_old_picture_until_it_is_done() {
    let mut index = listed(vec![pod("t1-1", "t1", None, "1")]);
    index.apply(Event::Init);
    index.apply(Event::InitApply(pod("t2-1", "t2", None, "5")));
    assert_eq!(names(index.find(&index.by_owner, "t1")), ["t1-1"]);
    assert!(index.find(&index.by_owner, "t2").is_empty());
}

#[test]
fn a_relist_tells_what_changed_and_what_vanished_while_the_watch_was_down() {
    let mut index = listed(vec![
        pod("same", "t1", None, "1"),
        pod("changed", "t1", None, "2"),
        pod("gone", "t2", Some("j20-1"), "3"),
    ]);
    index.apply(Event::Init);
    index.apply(Event::InitApply(pod("same", "t1", None, "1")));
    index.apply(Event::InitApply(pod("changed", "t1", Some("j20-1"), "7")));
    index.apply(Event::InitApply(pod("new", "t3", None, "8")));
    assert_eq!(
        told(index.apply(Event::InitDone)),
        ["changed", "gone", "new"]
    );
    assert_eq!(names(index.find(&index.by_value, "j20-1")), ["changed"]);
    assert!(index.find(&index.by_owner, "t2").is_empty());
}

#[tokio::test]
async fn a_subscriber_hears_a_change_only_once_it_is_indexed() {
    let cache = SharedCache::<Pod>::new(Some(node_of));
    let mut changes = cache.subscribe();
    cache.apply(Event::Init).await;
    cache.apply(Event::InitDone).await;
    cache.ready().await;
    cache
        .apply(Event::Apply(pod("t1-1", "t1", None, "1")))
        .await;
    let heard = changes.next().await.expect("the change is handed on");
    assert_eq!(heard.name_any(), "t1-1");
    assert_eq!(names(cache.controlled_by("t1")), ["t1-1"]);
    drop(changes);
    cache
        .apply(Event::Apply(pod("t1-2", "t1", None, "2")))
        .await;
    assert_eq!(names(cache.controlled_by("t1")), ["t1-1", "t1-2"]);
}
