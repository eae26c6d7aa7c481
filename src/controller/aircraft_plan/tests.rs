//! Unit tests of the aircraft plan.
use super::*;

struct Node {
    labels: BTreeMap<String, String>,
    annotations: BTreeMap<String, String>,
}

fn node(status: &str, level: Option<&str>, fuel: &str, busy_with: Option<&str>) -> Node {
    let mut labels = BTreeMap::from([
        (labels::STATUS.to_string(), status.to_string()),
        (labels::FUEL_STATUS.to_string(), fuel.to_string()),
    ]);
    if let Some(level) = level {
        labels.insert(labels::FUEL_LEVEL.to_string(), level.to_string());
    }
    let annotations = busy_with
        .map(|pod| BTreeMap::from([(BUSY_WITH.to_string(), pod.to_string())]))
        .unwrap_or_default();
    Node {
        labels,
        annotations,
    }
}

fn pod(key: &str, active: bool) -> TaskPod {
    TaskPod {
        key: key.to_string(),
        active,
    }
}

fn plan_for(node: &Node, pods: &[TaskPod], recorded_unseen: bool) -> AircraftPlan {
    plan(&NodeObserved {
        labels: &node.labels,
        annotations: &node.annotations,
        pods,
        recorded_unseen,
        health: None,
        taints: &[],
        orphaned: &[],
        now: at(0),
    })
}

fn at(second: i64) -> Timestamp {
    Timestamp::from_second(1_750_000_000 + second).expect("a valid time")
}

fn change(value: Option<&str>) -> Option<String> {
    value.map(str::to_string)
}

#[test]
fn fuel_status_follows_the_level() {
    let plan = plan_for(&node("ready", Some("25"), "high", None), &[], false);
    assert_eq!(
        plan.labels,
        BTreeMap::from([(labels::FUEL_STATUS.to_string(), change(Some("low")))])
    );
    assert_eq!(plan.events[0].reason, reasons::FUEL_STATUS);
}

#[test]
fn a_consistent_idle_node_needs_no_write_and_no_event() {
    let plan = plan_for(&node("ready", Some("95"), "high", None), &[], false);
    assert!(plan.changes_nothing());
    assert!(plan.events.is_empty());
}

#[test]
fn a_malformed_or_missing_level_leaves_fuel_status_alone_and_is_reported() {
    for level in [Some("lots"), Some("101"), Some("-1"), None] {
        let plan = plan_for(&node("ready", level, "high", None), &[], false);
        assert!(plan.changes_nothing(), "{level:?}: {plan:?}");
        assert_eq!(plan.events.len(), 1);
        assert_eq!(plan.events[0].reason, reasons::FUEL_LEVEL_INVALID);
        assert_eq!(plan.events[0].type_, EventType::Warning);
    }
}

#[test]
fn an_active_task_pod_makes_a_ready_node_busy_and_is_recorded() {
    let plan = plan_for(
        &node("ready", Some("95"), "high", None),
        &[pod("ns/t-1", true)],
        false,
    );
    assert_eq!(
        plan.labels,
        BTreeMap::from([(labels::STATUS.to_string(), change(Some("busy")))])
    );
    assert_eq!(
        plan.annotations,
        BTreeMap::from([(BUSY_WITH.to_string(), change(Some("ns/t-1")))])
    );
    assert!(plan.events.is_empty(), "a busy spell is told by no event");
}

#[test]
fn a_finished_pod_does_not_make_a_node_busy() {
    let plan = plan_for(
        &node("ready", Some("95"), "high", None),
        &[pod("ns/t-1", false)],
        false,
    );
    assert!(plan.changes_nothing());
}

#[test]
fn the_node_is_ready_again_once_its_pod_is_done() {
    let busy = node("busy", Some("95"), "high", Some("ns/t-1"));
    let plan = plan_for(&busy, &[pod("ns/t-1", false)], false);
    assert_eq!(
        plan.labels,
        BTreeMap::from([(labels::STATUS.to_string(), change(Some("ready")))])
    );
    assert_eq!(
        plan.annotations,
        BTreeMap::from([(BUSY_WITH.to_string(), None)])
    );
    // The pod deleted altogether: the same.
    assert_eq!(plan_for(&busy, &[], false).labels, plan.labels);
}

#[test]
fn a_node_stays_busy_while_its_pod_runs() {
    let busy = node("busy", Some("95"), "high", Some("ns/t-1"));
    assert!(plan_for(&busy, &[pod("ns/t-1", true)], false).changes_nothing());
}

#[test]
fn a_node_busy_with_a_finished_pod_and_another_active_one_stays_busy_with_that() {
    let busy = node("busy", Some("95"), "high", Some("ns/t-1"));
    let plan = plan_for(&busy, &[pod("ns/t-1", false), pod("ns/t-2", true)], false);
    assert!(plan.labels.is_empty());
    assert_eq!(
        plan.annotations,
        BTreeMap::from([(BUSY_WITH.to_string(), change(Some("ns/t-2")))])
    );
}

#[test]
fn a_node_busy_by_hand_stays_busy() {
    let by_hand = node("busy", Some("90"), "high", None);
    assert!(plan_for(&by_hand, &[], false).changes_nothing());
    assert!(plan_for(&by_hand, &[pod("ns/t-1", false)], false).changes_nothing());
    assert!(plan_for(&by_hand, &[pod("ns/t-1", true)], false).changes_nothing());
}

#[test]
fn a_node_in_maintenance_is_never_made_busy_or_ready() {
    let maintenance = node("maintenance", Some("90"), "high", None);
    assert!(plan_for(&maintenance, &[pod("ns/t-1", true)], false).changes_nothing());
    let was_busy = node("maintenance", Some("90"), "high", Some("ns/t-1"));
    assert!(plan_for(&was_busy, &[], false).changes_nothing());
}

#[test]
fn a_node_busy_with_a_pod_that_cannot_be_looked_up_is_left_alone() {
    let busy = node("busy", Some("95"), "high", Some("other/t-1"));
    assert!(plan_for(&busy, &[], true).changes_nothing());
    let ready = node("ready", Some("95"), "high", Some("other/t-1"));
    assert!(plan_for(&ready, &[], true).changes_nothing());
    // Looked up and gone: released like any other.
    assert!(!plan_for(&busy, &[], false).changes_nothing());
}

#[test]
fn a_stale_record_on_a_ready_node_is_removed() {
    let stale = node("ready", Some("95"), "high", Some("ns/t-1"));
    let plan = plan_for(&stale, &[], false);
    assert!(plan.labels.is_empty());
    assert_eq!(
        plan.annotations,
        BTreeMap::from([(BUSY_WITH.to_string(), None)])
    );
}

#[test]
fn the_patch_holds_only_the_changes_and_nulls_for_removals() {
    let busy = node("busy", Some("25"), "high", Some("ns/t-1"));
    let patch = plan_for(&busy, &[], false).patch();
    assert_eq!(
        patch,
        json!({ "metadata": {
            "labels": { labels::STATUS: "ready", labels::FUEL_STATUS: "low" },
            "annotations": { BUSY_WITH: null },
        }})
    );
}

#[test]
fn a_pod_without_a_phase_or_pending_is_active_and_a_finished_one_is_not() {
    let mut pod = Pod::default();
    pod.metadata.namespace = Some("ns".into());
    pod.metadata.name = Some("t-1".into());
    assert_eq!(TaskPod::from_pod(&pod), self::pod("ns/t-1", true));
    for (phase, active) in [
        ("Pending", true),
        ("Running", true),
        ("Succeeded", false),
        ("Failed", false),
    ] {
        pod.status = Some(k8s_openapi::api::core::v1::PodStatus {
            phase: Some(phase.into()),
            ..Default::default()
        });
        assert_eq!(TaskPod::from_pod(&pod).active, active, "{phase}");
    }
}

fn plan_with_health(node: &Node, ready: bool, message: Option<&str>) -> AircraftPlan {
    plan(&NodeObserved {
        labels: &node.labels,
        annotations: &node.annotations,
        pods: &[],
        recorded_unseen: false,
        health: Some(Health { ready, message }),
        taints: &[],
        orphaned: &[],
        now: at(0),
    })
}

fn online(node: &mut Node, value: &str) {
    node.annotations
        .insert(ONLINE.to_string(), value.to_string());
}

#[test]
fn a_ready_node_seen_for_the_first_time_is_recorded_on_line_without_an_event() {
    let node = node("ready", Some("95"), "high", None);
    let plan = plan_with_health(&node, true, None);
    assert_eq!(
        plan.annotations,
        BTreeMap::from([(ONLINE.to_string(), change(Some("true")))])
    );
    assert!(plan.events.is_empty());
}

#[test]
fn going_off_line_is_told_once_with_the_reason_the_node_gives() {
    let mut node = node("ready", Some("95"), "high", None);
    online(&mut node, "true");
    let plan = plan_with_health(&node, false, Some("Kubelet stopped posting node status."));
    assert_eq!(
        plan.annotations,
        BTreeMap::from([(ONLINE.to_string(), change(Some("false")))])
    );
    let event = &plan.events[0];
    assert_eq!(
        (event.type_, event.reason),
        (EventType::Warning, reasons::OFFLINE)
    );
    assert_eq!(
        event.note,
        "aircraft went off line, its node is not Ready: Kubelet stopped posting node status.; new tasks avoid it"
    );
    online(&mut node, "false");
    let again = plan_with_health(&node, false, Some("Kubelet stopped posting node status."));
    assert!(
        again.changes_nothing() && again.events.is_empty(),
        "no event per heartbeat"
    );
}

#[test]
fn coming_back_on_line_is_an_event_and_a_node_first_seen_off_line_is_a_warning() {
    let mut node = node("ready", Some("95"), "high", None);
    online(&mut node, "false");
    let back = plan_with_health(&node, true, None);
    assert_eq!(back.annotations[ONLINE], change(Some("true")));
    assert_eq!(
        (back.events[0].type_, back.events[0].reason),
        (EventType::Normal, reasons::ONLINE)
    );
    node.annotations.clear();
    let first = plan_with_health(&node, false, None);
    assert_eq!(first.annotations[ONLINE], change(Some("false")));
    assert_eq!(
        first.events[0].note,
        "aircraft went off line, its node is not Ready; new tasks avoid it"
    );
}

#[test]
fn a_node_with_no_ready_condition_yet_is_not_judged() {
    let node = node("ready", Some("95"), "high", None);
    let plan = plan_for(&node, &[], false);
    assert!(plan.changes_nothing());
}

mod marks {
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

    use super::*;
    use crate::api::fault_marks::{FaultMark, MARK_TAINT, MARK_TAINT_EFFECT, mark_key, mark_value};

    fn marked(expires: &[(&str, i64)]) -> Node {
        let mut node = node("ready", Some("90"), "high", None);
        for (uid, expires) in expires {
            let mark = FaultMark {
                task: "air/m-s-t".into(),
                attempt: 1,
                reason: "container task exited with code 3 (Error)".into(),
                expires: Time(at(*expires)),
            };
            node.annotations.insert(mark_key(uid), mark_value(&mark));
        }
        node
    }

    fn plan_at(node: &Node, taints: &[Taint], now: i64) -> AircraftPlan {
        plan(&NodeObserved {
            labels: &node.labels,
            annotations: &node.annotations,
            pods: &[],
            recorded_unseen: false,
            health: None,
            taints,
            orphaned: &[],
            now: at(now),
        })
    }

    fn suspect() -> Taint {
        Taint {
            key: MARK_TAINT.into(),
            value: None,
            effect: MARK_TAINT_EFFECT.into(),
            time_added: None,
        }
    }

    fn other() -> Taint {
        Taint {
            key: "dedicated".into(),
            value: Some("strike".into()),
            effect: "NoSchedule".into(),
            time_added: None,
        }
    }

    #[test]
    fn a_live_mark_puts_the_suspect_taint_on_beside_the_others_and_wakes_at_its_expiry() {
        let plan = plan_at(&marked(&[("u1", 600), ("u2", 300)]), &[other()], 100);
        assert_eq!(plan.taints, Some(vec![other(), suspect()]));
        assert_eq!(
            plan.requeue_after,
            Some(ORPHAN_CHECK),
            "looked at again for deleted tasks before the mark expires"
        );
        assert_eq!(
            plan.events.last().map(|e| e.reason),
            Some(reasons::SUSPICIOUS)
        );
        assert!(plan.annotations.is_empty(), "no mark has expired");
    }

    #[test]
    fn expired_marks_are_removed_and_the_taint_goes_with_the_last_one() {
        let node = marked(&[("u1", 50)]);
        let plan = plan_at(&node, &[suspect(), other()], 100);
        assert_eq!(plan.annotations.get(&mark_key("u1")), Some(&None));
        assert_eq!(plan.taints, Some(vec![other()]));
        assert_eq!(plan.requeue_after, None);
        assert_eq!(plan.events.last().map(|e| e.reason), Some(reasons::CLEARED));
    }

    #[test]
    fn a_node_in_step_with_its_marks_needs_no_write() {
        let plan = plan_at(&marked(&[("u1", 600)]), &[suspect()], 100);
        assert!(plan.changes_nothing());
        let plain = plan_at(&marked(&[]), &[], 100);
        assert!(plain.changes_nothing() && plain.requeue_after.is_none());
    }

    #[test]
    fn the_no_schedule_taints_of_earlier_versions_go() {
        let legacy = Taint {
            key: "task-failed".into(),
            value: Some("air/m-s-t".into()),
            effect: "NoSchedule".into(),
            time_added: None,
        };
        let plan = plan_at(&marked(&[]), &[legacy.clone(), other()], 100);
        assert_eq!(plan.taints, Some(vec![other()]));
        let marked_too = plan_at(&marked(&[("u1", 600)]), &[legacy, other()], 100);
        assert_eq!(marked_too.taints, Some(vec![other(), suspect()]));
    }

    #[test]
    fn the_mark_of_a_task_that_is_gone_is_removed_with_its_taint() {
        let node = marked(&[("u1", 600)]);
        let plan = plan(&NodeObserved {
            labels: &node.labels,
            annotations: &node.annotations,
            pods: &[],
            recorded_unseen: false,
            health: None,
            taints: &[suspect(), other()],
            orphaned: &["u1".to_string()],
            now: at(100),
        });
        assert_eq!(plan.annotations.get(&mark_key("u1")), Some(&None));
        assert_eq!(plan.taints, Some(vec![other()]));
        assert_eq!(plan.requeue_after, None);
    }

    #[test]
    fn a_mark_expiring_before_the_next_check_wakes_the_controller_at_its_expiry() {
        let plan = plan_at(&marked(&[("u1", 110)]), &[suspect()], 100);
        assert_eq!(plan.requeue_after, Some(Duration::from_secs(10)));
    }
}
