//! Reading a node once, and keeping its pod counts current.

use k8s_openapi::api::core::v1::{NodeCondition, Taint};

use super::*;
use crate::scheduler::fixtures::{
    aircraft, in_phase, j20, plain_pod, quantities, remove_annotation, set_annotation, set_label,
    strike, strike_request, task_pod,
};

#[test]
fn the_aircraft_labels_are_parsed_once() {
    let mut node = j20();
    set_label(&mut node, "aircraft.mil/capability.strike", "true");
    set_label(&mut node, "aircraft.mil/capability.recon", "false");
    let info = NodeInfo::new(&node, []);
    assert_eq!(info.name, "j20-01");
    assert_eq!(info.aircraft_type.as_deref(), Some("j20"));
    assert_eq!(info.status, Reading::Valid(AircraftStatus::Ready));
    assert_eq!(info.fuel, Reading::Valid(95));
    assert_eq!(info.hardpoints, Reading::Valid(10));
    assert_eq!(info.zone.as_deref(), Some("east-sea"));
    assert_eq!(info.maintenance_days, Reading::Valid(45));
    assert_eq!(
        info.capabilities
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        ["stealth", "strike"]
    );
    let weapons = info.compatible_weapons.as_ref().expect("the annotation");
    assert!(weapons.contains("pl-15") && weapons.contains("pl-10"));
    assert_eq!(info.readiness, Readiness::Ready);
    assert!(!info.unschedulable);
    assert_eq!(
        info.allocatable,
        Allocatable {
            resources: Resources {
                milli_cpu: 16_000,
                memory: 64 << 30
            },
            pods: 20
        }
    );
    assert_eq!(
        info.labels.get("aircraft.mil/type").map(String::as_str),
        Some("j20")
    );
}

#[test]
fn missing_and_malformed_labels_stay_distinguishable() {
    let mut node = aircraft("j20-09", "flying", "ninety", "east-sea", "soon");
    set_label(&mut node, "aircraft.mil/hardpoint.available", "-5");
    remove_annotation(&mut node, "aircraft.mil/compatible-weapons");
    let info = NodeInfo::new(&node, []);
    assert_eq!(info.status, Reading::Malformed("flying".into()));
    assert_eq!(info.fuel, Reading::Malformed("ninety".into()));
    assert_eq!(info.hardpoints, Reading::Malformed("-5".into()));
    assert_eq!(info.maintenance_days, Reading::Malformed("soon".into()));
    assert_eq!(info.compatible_weapons, None);
    let bare = NodeInfo::new(&Node::default(), []);
    assert_eq!(bare.fuel, Reading::Absent);
    assert_eq!(bare.status, Reading::Absent);
    assert_eq!(bare.aircraft_type, None);
    assert_eq!(bare.readiness, Readiness::Unreported);
    assert_eq!(bare.allocatable, Allocatable::default());
}

#[test]
fn readiness_taints_and_cordons_are_read() {
    let mut node = j20();
    let spec = node.spec.as_mut().expect("a spec");
    spec.unschedulable = Some(true);
    spec.taints = Some(vec![Taint {
        key: "dedicated".into(),
        value: Some("strike-1".into()),
        effect: "NoSchedule".into(),
        time_added: None,
    }]);
    let status = node.status.as_mut().expect("a status");
    status.conditions = Some(vec![NodeCondition {
        type_: "Ready".into(),
        status: "Unknown".into(),
        reason: Some("NodeStatusUnknown".into()),
        ..NodeCondition::default()
    }]);
    status.allocatable = Some(quantities(&[("cpu", "lots"), ("pods", "110")]));
    let info = NodeInfo::new(&node, []);
    assert!(info.unschedulable);
    assert_eq!(info.taints.len(), 1);
    assert_eq!(
        info.readiness,
        Readiness::NotReady {
            status: "Unknown".into(),
            reason: Some("NodeStatusUnknown".into())
        }
    );
    assert_eq!(info.allocatable.resources, Resources::default());
    assert_eq!(info.allocatable.pods, 110);
}

#[test]
fn pods_bound_to_the_node_are_summed_and_finished_ones_skipped() {
    let pods = [
        plain_pod("web", &[("cpu", "500m"), ("memory", "1Gi")]),
        task_pod("strike-1", &strike(), &[], &[("cpu", "250m")]),
        in_phase(plain_pod("done", &[("cpu", "4")]), "Succeeded"),
        in_phase(task_pod("strike-0", &strike(), &[], &[]), "Failed"),
        in_phase(task_pod("strike-2", &strike(), &[], &[]), "Running"),
    ];
    let info = NodeInfo::new(&j20(), &pods);
    assert_eq!(
        info.requested(),
        Resources {
            milli_cpu: 750,
            memory: 1 << 30
        }
    );
    assert_eq!(info.pod_count(), 3);
    assert_eq!(info.task_pod_count(), 2);
    assert_eq!(
        info.task_pods().collect::<Vec<_>>(),
        ["default/strike-1", "default/strike-2"]
    );
}

#[test]
fn an_assumed_pod_counts_at_once_and_its_watch_event_does_not_count_twice() {
    let mut info = NodeInfo::new(&j20(), []);
    let request = strike_request();
    info.assume(&request);
    assert_eq!(info.task_pod_count(), 1);
    assert_eq!(info.pod_count(), 1);
    info.add_pod(&task_pod("strike-1", &strike(), &[], &[]));
    assert_eq!(info.task_pod_count(), 1);
    assert_eq!(info.pod_count(), 1);
}

#[test]
fn pods_leave_by_finishing_or_by_removal() {
    let web = plain_pod("web", &[("cpu", "1")]);
    let task = task_pod("strike-1", &strike(), &[], &[("cpu", "250m")]);
    let mut info = NodeInfo::new(&j20(), [&web, &task]);
    info.add_pod(&in_phase(task.clone(), "Succeeded"));
    assert_eq!(info.task_pod_count(), 0);
    assert_eq!(info.requested().milli_cpu, 1000);
    info.remove_pod("default/web");
    assert_eq!(info.requested(), Resources::default());
    assert_eq!(info.pod_count(), 0);
    info.remove_pod("default/web");
    assert_eq!(info.pod_count(), 0, "removing twice changes nothing");
}

#[test]
fn a_changed_pod_replaces_its_old_usage() {
    let mut info = NodeInfo::new(&j20(), [&plain_pod("web", &[("cpu", "1")])]);
    info.add_pod(&plain_pod("web", &[("cpu", "2")]));
    assert_eq!(info.requested().milli_cpu, 2000);
    assert_eq!(info.pod_count(), 1);
}

#[test]
fn updating_the_node_keeps_its_pods() {
    let mut info = NodeInfo::new(
        &j20(),
        [&task_pod("strike-1", &strike(), &[], &[("cpu", "1")])],
    );
    let mut node = j20();
    set_label(&mut node, "aircraft.mil/status", "busy");
    set_annotation(&mut node, "aircraft.mil/maintenance", "3");
    info.update_node(&node);
    assert_eq!(info.status, Reading::Valid(AircraftStatus::Busy));
    assert_eq!(info.maintenance_days, Reading::Valid(3));
    assert_eq!(info.task_pod_count(), 1);
    assert_eq!(info.requested().milli_cpu, 1000);
}

#[test]
fn a_busy_mark_whose_recorded_pod_finished_counts_as_ready() {
    let mut node = j20();
    set_label(&mut node, "aircraft.mil/status", "busy");
    set_annotation(&mut node, "aircraft.mil/busy-with", "default/strike-1");
    let done = in_phase(task_pod("strike-1", &strike(), &[], &[]), "Succeeded");
    let running = in_phase(task_pod("strike-1", &strike(), &[], &[]), "Running");
    let other = in_phase(task_pod("strike-2", &strike(), &[], &[]), "Running");

    let ready = Reading::Valid(AircraftStatus::Ready);
    let busy = Reading::Valid(AircraftStatus::Busy);
    assert_eq!(NodeInfo::new(&node, [&done]).status, ready);
    assert_eq!(NodeInfo::new(&node, [&running]).status, busy);
    assert_eq!(
        NodeInfo::new(&node, [&done, &other]).status,
        busy,
        "another task pod is still on board"
    );
    assert_eq!(
        NodeInfo::new(&node, []).status,
        busy,
        "a recorded pod the scheduler cannot see may be in a namespace it does not watch"
    );
    remove_annotation(&mut node, "aircraft.mil/busy-with");
    assert_eq!(
        NodeInfo::new(&node, [&done]).status,
        busy,
        "a person's busy mark holds"
    );
}
