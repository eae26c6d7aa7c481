//! Whole decisions: the README's example, ties, weights, unschedulable pods,
//! truncation and the messages people read.

use k8s_openapi::api::core::v1::{Node, Taint};

use super::messages::MAX_MESSAGE_BYTES;
use super::*;
use crate::config_file::ConfigFile;
use crate::scheduler::config::Weights;
use crate::scheduler::fixtures::{
    aircraft, defaults, infos, set_label, spec_fleet, strike, strike_request, task_pod,
};

fn score(plugin: &'static str, raw: i64, weight: u32) -> PluginScore {
    PluginScore {
        plugin: Cow::Borrowed(plugin),
        raw,
        weight,
        weighted: raw * i64::from(weight),
        note: None,
    }
}

fn names(decision: &Decision) -> Vec<&str> {
    decision
        .candidates
        .iter()
        .map(|c| c.node.as_str())
        .collect()
}

fn tainted(mut node: Node, key: &str, value: &str) -> Node {
    node.spec.as_mut().expect("a spec").taints = Some(vec![Taint {
        key: key.into(),
        value: Some(value.into()),
        effect: "NoSchedule".into(),
        time_added: None,
    }]);
    node
}

#[test]
fn the_spec_example_picks_j20_01_at_585_over_j20_02_at_450() {
    let decision = decide(&strike_request(), &infos(&spec_fleet()), &defaults());
    assert_eq!(decision.chosen.as_deref(), Some("j20-01"));
    assert_eq!(decision.nodes_evaluated, 4);
    assert_eq!(decision.feasible, 2);
    assert_eq!(
        decision.candidates,
        [
            Candidate {
                node: "j20-01".into(),
                total: 585,
                scores: vec![
                    score("FuelLevelScore", 95, 3),
                    score("LocationScore", 100, 2),
                    score("MaintenanceScore", 100, 1),
                ],
            },
            Candidate {
                node: "j20-02".into(),
                total: 450,
                scores: vec![
                    score("FuelLevelScore", 80, 3),
                    score("LocationScore", 70, 2),
                    score("MaintenanceScore", 70, 1),
                ],
            },
        ],
        "BalancedAllocation is skipped for a pod without requests"
    );
    assert_eq!(
        decision.rejected,
        [
            Rejection {
                node: "j20-03".into(),
                plugin: "AircraftAvailability".into(),
                reason: "aircraft is busy".into(),
            },
            Rejection {
                node: "j20-04".into(),
                plugin: "FuelCheck".into(),
                reason: "fuel 60 < 70 required".into(),
            },
        ]
    );
    assert_eq!(
        decision.scheduled_message(),
        "bound to j20-01 (585); candidates: j20-01 585 (fuel 95×3, location 100×2, maintenance 100×1), \
         j20-02 450 (fuel 80×3, location 70×2, maintenance 70×1); \
         rejected: j20-03 AircraftAvailability: aircraft is busy, j20-04 FuelCheck: fuel 60 < 70 required"
    );
}

#[test]
fn the_decision_round_trips_through_compact_camel_case_json() {
    let decision = decide(&strike_request(), &infos(&spec_fleet()), &defaults());
    let json = serde_json::to_string(&decision).expect("serialisable");
    assert!(json.starts_with(r#"{"chosen":"j20-01","nodesEvaluated":4,"feasible":2,"candidates":[{"node":"j20-01","total":585,"scores":[{"plugin":"FuelLevelScore","raw":95,"weight":3,"weighted":285}"#), "{json}");
    assert!(json.contains(r#""rejectedByReason":[{"plugin":"AircraftAvailability","reason":"busy","count":1},{"plugin":"FuelCheck","reason":"fuel below 70","count":1}]"#), "{json}");
    assert!(!json.contains("note"), "absent notes are left out: {json}");
    let read: Decision = serde_json::from_str(&json).expect("deserialisable");
    assert_eq!(read, decision);
    assert_eq!(
        serde_json::from_str::<Decision>(r#"{"nodesEvaluated":0,"feasible":0}"#).expect("minimal"),
        Decision::default()
    );
}

#[test]
fn a_tie_goes_to_the_node_name_that_sorts_first_whatever_the_input_order() {
    let twins = [
        aircraft("j20-b", "ready", "90", "east-sea", "45"),
        aircraft("j20-a", "ready", "90", "east-sea", "45"),
        aircraft("j20-c", "ready", "90", "east-sea", "45"),
    ];
    let mut nodes = infos(&twins);
    let first = decide(&strike_request(), &nodes, &defaults());
    nodes.reverse();
    let second = decide(&strike_request(), &nodes, &defaults());
    assert_eq!(first.chosen.as_deref(), Some("j20-a"));
    assert_eq!(names(&first), ["j20-a", "j20-b", "j20-c"]);
    assert_eq!(first, second);
}

#[test]
fn weight_zero_turns_a_score_off() {
    let config = SchedulerConfig {
        weights: Weights {
            fuel_level: 0,
            ..Weights::default()
        },
        ..defaults()
    };
    let decision = decide(&strike_request(), &infos(&spec_fleet()), &config);
    let best = &decision.candidates[0];
    assert_eq!(
        best.scores,
        [
            score("LocationScore", 100, 2),
            score("MaintenanceScore", 100, 1)
        ]
    );
    assert_eq!(best.total, 300);
    assert_eq!(decision.candidates[1].total, 210);
}

#[test]
fn weights_can_change_the_winner() {
    let config = SchedulerConfig::from_yaml(
        "weights: {fuelLevel: 1, location: 0, maintenance: 10}",
        "test",
    )
    .expect("valid");
    let mut fleet = spec_fleet();
    set_label(&mut fleet[1], "aircraft.mil/fuel.level", "99");
    crate::scheduler::fixtures::set_annotation(&mut fleet[1], "aircraft.mil/maintenance", "60");
    let decision = decide(&strike_request(), &infos(&fleet), &config);
    assert_eq!(decision.chosen.as_deref(), Some("j20-02"));
    assert_eq!(decision.candidates[0].total, 99 + 1000);
}

#[test]
fn a_pod_with_requests_is_also_scored_for_balance() {
    let pod = PodRequest::from_pod(&task_pod(
        "strike-1",
        &strike(),
        &[],
        &[("cpu", "4"), ("memory", "16Gi")],
    ));
    let decision = decide(&pod, &infos(&spec_fleet()), &defaults());
    // cpu 4/16 and memory 16/64: perfectly even.
    assert_eq!(
        decision.candidates[0].scores[3],
        score("BalancedAllocation", 100, 1)
    );
    assert_eq!(decision.candidates[0].total, 685);
    assert!(decision.scheduled_message().contains("balance 100×1"));
}

#[test]
fn a_node_is_rejected_by_the_first_filter_it_fails() {
    let fleet = [aircraft("j20-09", "busy", "10", "east-sea", "45")];
    let decision = decide(&strike_request(), &infos(&fleet), &defaults());
    assert_eq!(decision.rejected[0].plugin, "AircraftAvailability");
}

#[test]
fn an_aircraft_of_another_type_is_rejected_as_such_not_by_node_affinity() {
    let mut j10 = aircraft("j10-01", "ready", "95", "east-sea", "45");
    set_label(&mut j10, "aircraft.mil/type", "j10");
    let decision = decide(&strike_request(), &infos(&[j10]), &defaults());
    assert_eq!(decision.rejected[0].plugin, "AircraftType");
    assert_eq!(
        decision.unschedulable_message(),
        "0/1 aircraft are available: 1 AircraftType (not a j20)."
    );
}

#[test]
fn node_affinity_from_the_template_still_applies_after_the_aircraft_checks() {
    let mut pod = strike_request();
    pod.node_selector.insert("squadron".into(), "1st".into());
    let decision = decide(&pod, &infos(&spec_fleet()), &defaults());
    assert_eq!(decision.chosen, None);
    assert_eq!(
        decision.unschedulable_message(),
        "0/4 aircraft are available: 2 NodeAffinity (nodeSelector squadron=1st), \
         1 AircraftAvailability (busy), 1 FuelCheck (fuel below 70)."
    );
}

#[test]
fn an_unschedulable_pod_gets_reasons_grouped_most_frequent_first() {
    let fleet = [
        aircraft("j20-01", "ready", "60", "east-sea", "45"),
        aircraft("j20-02", "ready", "50", "east-sea", "45"),
        aircraft("j20-03", "busy", "90", "east-sea", "45"),
        tainted(
            aircraft("j20-04", "ready", "90", "east-sea", "45"),
            "dedicated",
            "strike-1",
        ),
    ];
    let decision = decide(&strike_request(), &infos(&fleet), &defaults());
    assert_eq!(decision.chosen, None);
    assert!(decision.candidates.is_empty());
    let expected = "0/4 aircraft are available: 2 FuelCheck (fuel below 70), \
                    1 TaintToleration (untolerated taint dedicated), 1 AircraftAvailability (busy).";
    assert_eq!(decision.unschedulable_message(), expected);
    assert_eq!(
        decision.scheduled_message(),
        expected,
        "nothing chosen: the unschedulable message"
    );
}

#[test]
fn with_no_nodes_the_message_says_so() {
    let decision = decide(&strike_request(), &[], &defaults());
    assert_eq!(decision.nodes_evaluated, 0);
    assert_eq!(
        decision.unschedulable_message(),
        "0/0 aircraft are available: no nodes are known to the scheduler."
    );
}

#[test]
fn a_malformed_requirement_rejects_every_node_with_one_reason() {
    let mut pod = task_pod("strike-1", &strike(), &[], &[]);
    let annotations = pod.metadata.annotations.as_mut().expect("annotations");
    annotations.insert("airforce.mil/required-fuel".into(), "ninety".into());
    let decision = decide(
        &PodRequest::from_pod(&pod),
        &infos(&spec_fleet()),
        &defaults(),
    );
    assert_eq!(
        decision.unschedulable_message(),
        "0/4 aircraft are available: 3 FuelCheck (malformed required-fuel annotation), 1 AircraftAvailability (busy)."
    );
}

#[test]
fn a_retry_avoids_the_aircraft_its_task_failed_on() {
    let mut fleet = spec_fleet();
    fleet[0] = tainted(fleet[0].clone(), "dedicated", "other-team");
    let decision = decide(&strike_request(), &infos(&fleet), &defaults());
    assert_eq!(decision.chosen.as_deref(), Some("j20-02"));
    assert_eq!(decision.rejected[0].plugin, "TaintToleration");
}

#[test]
fn an_assumed_pod_makes_the_next_task_go_elsewhere() {
    let mut nodes = infos(&spec_fleet());
    let first = strike_request();
    let decision = decide(&first, &nodes, &defaults());
    let chosen = decision.chosen.expect("a node");
    let node = nodes
        .iter_mut()
        .find(|n| n.name == chosen)
        .expect("the chosen node");
    node.assume(&first);
    let mut second = strike_request();
    second.name = "strike-2".into();
    let decision = decide(&second, &nodes, &defaults());
    assert_eq!(decision.chosen.as_deref(), Some("j20-02"));
    assert!(
        decision
            .rejected
            .iter()
            .any(|r| r.node == "j20-01" && r.reason.contains("default/strike-1"))
    );
}

fn big_fleet(count: usize) -> Vec<NodeInfo> {
    (0..count)
        .map(|i| {
            let (status, fuel) = match i % 4 {
                0 => ("busy", "90"),
                1 => ("ready", "40"),
                _ => ("ready", "95"),
            };
            NodeInfo::new(
                &aircraft(
                    &format!("j20-{i:04}"),
                    status,
                    fuel,
                    "east-sea",
                    &(i % 60).to_string(),
                ),
                [],
            )
        })
        .collect()
}

#[test]
fn a_thousand_node_decision_truncates_to_a_small_annotation() {
    let decision = decide(&strike_request(), &big_fleet(1000), &defaults());
    assert_eq!(decision.nodes_evaluated, 1000);
    assert_eq!(decision.feasible, 500);
    assert_eq!(decision.rejected_count(), 500);
    let full = serde_json::to_string(&decision).expect("json").len();
    let truncated = decision.clone().truncated(10);
    let json = serde_json::to_string(&truncated).expect("json");
    assert!(json.len() < 4096, "{} bytes: {json}", json.len());
    assert!(full > 50_000, "the whole decision is far bigger: {full}");
    assert_eq!(truncated.candidates.len(), 10);
    assert_eq!(truncated.rejected.len(), 10);
    assert_eq!(truncated.candidates[..], decision.candidates[..10]);
    assert_eq!(truncated.rejected_by_reason, decision.rejected_by_reason);
    assert_eq!(truncated.feasible, 500);
    assert_eq!(truncated.chosen, decision.chosen);
}

#[test]
fn messages_stay_under_the_event_limit_and_count_what_they_leave_out() {
    let decision = decide(&strike_request(), &big_fleet(1000), &defaults());
    for decision in [decision.clone(), decision.truncated(10)] {
        let message = decision.scheduled_message();
        assert!(
            message.len() <= MAX_MESSAGE_BYTES,
            "{} bytes",
            message.len()
        );
        assert!(
            message.starts_with("bound to j20-0031 (585); candidates: j20-0031 585 ("),
            "{message}"
        );
        assert!(
            message.contains("more; rejected: j20-0000 AircraftAvailability: aircraft is busy"),
            "{message}"
        );
        assert!(message.ends_with(" more"), "{message}");
        let count = |text: &str, label: &str| {
            let tail = text.split(label).nth(1).expect("the section");
            let rest = tail.split("… and ").nth(1).expect("a count of the rest");
            rest.split(' ')
                .next()
                .expect("a number")
                .parse::<usize>()
                .expect("a number")
        };
        let shown_candidates = message
            .split("; rejected: ")
            .next()
            .expect("candidates")
            .matches("fuel 95×3")
            .count();
        assert_eq!(shown_candidates + count(&message, "; candidates: "), 500);
    }
}

#[test]
fn a_truncation_to_nothing_still_tells_the_rejections_by_cause() {
    let decision = decide(&strike_request(), &infos(&spec_fleet()), &defaults()).truncated(0);
    assert_eq!(
        decision.scheduled_message(),
        "bound to j20-01; candidates: … and 2 more; rejected: 1 AircraftAvailability (busy), 1 FuelCheck (fuel below 70)"
    );
}

#[test]
fn many_distinct_reasons_are_capped_too() {
    let fleet: Vec<Node> = (0..300)
        .map(|i| {
            tainted(
                aircraft(&format!("j20-{i:03}"), "ready", "95", "east-sea", "45"),
                &format!("a-rather-long-taint-key-number-{i}"),
                "x",
            )
        })
        .collect();
    let decision = decide(&strike_request(), &infos(&fleet), &defaults());
    let message = decision.unschedulable_message();
    assert!(
        message.len() <= MAX_MESSAGE_BYTES,
        "{} bytes",
        message.len()
    );
    assert!(message.starts_with("0/300 aircraft are available: 1 TaintToleration (untolerated taint a-rather-long-taint-key-number-0)"));
    assert!(message.ends_with(" more."), "{message}");
}

#[test]
fn a_score_note_is_shown_with_its_score() {
    let mut fleet = spec_fleet();
    crate::scheduler::fixtures::remove_annotation(&mut fleet[0], "aircraft.mil/maintenance");
    let decision = decide(&strike_request(), &infos(&fleet[..1]), &defaults());
    assert_eq!(
        decision.scheduled_message(),
        "bound to j20-01 (505); candidates: j20-01 505 (fuel 95×3, location 100×2, maintenance 20×1: no maintenance annotation, lowest band)"
    );
}

#[test]
fn a_timed_decision_is_the_same_decision_with_the_time_of_each_plugin_that_ran() {
    let (request, fleet) = (strike_request(), infos(&spec_fleet()));
    let mut times = timing::PluginTimes::default();
    let timed = decide_timed(&request, &fleet, &defaults(), &mut times);
    assert_eq!(timed, decide(&request, &fleet, &defaults()));
    let ran: Vec<(&str, &str)> = (times.spent().iter())
        .map(|(plugin, point, _)| (*plugin, *point))
        .collect();
    let filters = FILTERS.iter().map(|filter| (filter.name(), "Filter"));
    let scores = SCORES.iter().map(|score| (score.name(), "Score"));
    assert_eq!(
        ran,
        filters.chain(scores).collect::<Vec<_>>(),
        "every filter ran on some node, and every weighted score on some candidate"
    );
}
