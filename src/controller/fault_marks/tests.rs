//! The mark decision against fleets in given states.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{NodeCondition, NodeStatus};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::*;
use crate::api::fault_marks::{FaultMark, mark_key, mark_value};

fn at(second: i64) -> Timestamp {
    Timestamp::from_second(1_750_000_000 + second).expect("a valid time")
}

/// An aircraft of `kind`, in `status`, Ready or not, with marks by these task uids.
fn aircraft(name: &str, kind: &str, status: &str, ready: bool, marked_by: &[(&str, i64)]) -> Node {
    let labels = BTreeMap::from([
        (labels::TYPE.to_string(), kind.to_string()),
        (labels::STATUS.to_string(), status.to_string()),
    ]);
    let annotations = (marked_by.iter())
        .map(|(uid, expires)| {
            let mark = FaultMark {
                task: "air/other".into(),
                attempt: 1,
                reason: "exit 1".into(),
                expires: Time(at(*expires)),
            };
            (mark_key(uid), mark_value(&mark))
        })
        .collect();
    Node {
        metadata: ObjectMeta {
            name: Some(name.into()),
            labels: Some(labels),
            annotations: Some(annotations),
            ..ObjectMeta::default()
        },
        status: Some(NodeStatus {
            conditions: Some(vec![NodeCondition {
                type_: "Ready".into(),
                status: if ready { "True" } else { "False" }.into(),
                ..NodeCondition::default()
            }]),
            ..NodeStatus::default()
        }),
        ..Node::default()
    }
}

fn four(marked: &[(&str, &[(&str, i64)])]) -> Vec<Node> {
    (1..=4)
        .map(|i| {
            let name = format!("j20-0{i}");
            let marks = (marked.iter())
                .find(|(node, _)| *node == name)
                .map_or(&[][..], |(_, marks)| *marks);
            aircraft(&name, "j20", "ready", true, marks)
        })
        .collect()
}

#[test]
fn a_first_failure_marks_its_aircraft_until_the_expiry() {
    let decision = decide(&four(&[]), "j20-01", "t1", at(0), MarkSettings::default());
    assert_eq!(
        decision,
        MarkDecision::Mark {
            until: Time(at(600))
        }
    );
}

#[test]
fn a_third_of_four_aircraft_is_one_so_a_second_aircraft_is_not_marked() {
    let fleet = four(&[("j20-01", &[("t0", 100)])]);
    let decision = decide(&fleet, "j20-02", "t1", at(0), MarkSettings::default());
    let MarkDecision::LimitReached(limit) = decision else {
        panic!("the breaker is open: {decision:?}");
    };
    assert_eq!((limit.marked, limit.in_service, limit.allowed), (1, 4, 1));
    assert_eq!(limit.aircraft_type.as_deref(), Some("j20"));
}

#[test]
fn an_aircraft_already_marked_by_another_task_may_be_marked_again() {
    let fleet = four(&[("j20-01", &[("t0", 100)])]);
    let decision = decide(&fleet, "j20-01", "t1", at(0), MarkSettings::default());
    assert!(matches!(decision, MarkDecision::Mark { .. }));
}

#[test]
fn expired_marks_do_not_count_and_a_repeat_of_the_same_mark_is_recognised() {
    let fleet = four(&[("j20-01", &[("t0", 100)]), ("j20-02", &[("t1", 50)])]);
    let decision = decide(&fleet, "j20-03", "t2", at(100), MarkSettings::default());
    assert!(
        matches!(decision, MarkDecision::Mark { .. }),
        "both marks expired"
    );
    let again = decide(&fleet, "j20-02", "t1", at(10), MarkSettings::default());
    assert_eq!(
        again,
        MarkDecision::AlreadyMarked {
            until: Time(at(50))
        }
    );
}

#[test]
fn only_aircraft_of_the_same_type_in_service_count() {
    let mut fleet = four(&[("j20-01", &[("t0", 100)])]);
    fleet.push(aircraft("h6-01", "h6", "ready", true, &[("t9", 100)]));
    fleet.push(aircraft("j20-05", "j20", "maintenance", true, &[]));
    fleet.push(aircraft("j20-06", "j20", "ready", false, &[]));
    let half = MarkSettings {
        max_share: Share {
            numerator: 1,
            denominator: 2,
        },
        ..MarkSettings::default()
    };
    // Four j20s in service: half of them is two, one is marked.
    let decision = decide(&fleet, "j20-02", "t1", at(0), half);
    assert!(
        matches!(decision, MarkDecision::Mark { .. }),
        "{decision:?}"
    );
}

#[test]
fn with_fewer_than_three_aircraft_a_third_allows_none() {
    let fleet: Vec<Node> = four(&[]).into_iter().take(2).collect();
    let decision = decide(&fleet, "j20-01", "t1", at(0), MarkSettings::default());
    assert!(matches!(decision, MarkDecision::LimitReached(_)));
}

#[test]
fn a_share_is_written_as_a_fraction() {
    let share = Share::try_from("1/3".to_string()).expect("a fraction");
    assert_eq!((share.of(4), share.of(9), share.of(2)), (1, 3, 0));
    assert_eq!(share.to_string(), "1/3");
    for bad in ["1", "a/3", "4/3", "1/0"] {
        assert!(Share::try_from(bad.to_string()).is_err(), "{bad}");
    }
}
