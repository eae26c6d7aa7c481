//! Placement, checked without a server.

use serde_json::json;

use super::*;

fn strike_requirement() -> AircraftRequirement {
    AircraftRequirement {
        aircraft_type: Some("j20".into()),
        min_fuel_level: Some(70),
        hardpoints: Some(6),
        capabilities: vec!["stealth".into(), "aesa-radar".into()],
        preferred_zone: Some("east-sea".into()),
    }
}

fn terms(placement: &Placement) -> Vec<(String, String, String)> {
    placement
        .required
        .iter()
        .map(|r| {
            let values = r.values.clone().unwrap_or_default().join(",");
            (r.key.clone(), r.operator.clone(), values)
        })
        .collect()
}

fn term(key: &str, operator: &str, value: &str) -> (String, String, String) {
    (key.into(), operator.into(), value.into())
}

/// How kube-scheduler evaluates `Gt`: the label, as an integer, strictly
/// greater than the value.
fn admits(requirement: &NodeSelectorRequirement, label: i64) -> bool {
    let values = requirement.values.as_deref().unwrap_or_default();
    assert_eq!(requirement.operator, "Gt");
    let bound: i64 = values[0].parse().expect("an integer");
    label > bound
}

#[test]
fn the_default_scheduler_gets_every_requirement_as_node_affinity() {
    let placement = placement(
        &strike_requirement(),
        &["pl-15"],
        &[],
        SchedulerChoice::Default,
    );
    assert_eq!(placement.scheduler_name, "default-scheduler");
    assert!(placement.annotations.is_empty());
    assert_eq!(
        terms(&placement),
        [
            term("aircraft.mil/type", "In", "j20"),
            term("aircraft.mil/status", "In", "ready"),
            term("aircraft.mil/fuel.level", "Gt", "69"),
            term("aircraft.mil/hardpoint.available", "Gt", "5"),
            term("aircraft.mil/capability.stealth", "In", "true"),
            term("aircraft.mil/capability.aesa-radar", "In", "true"),
        ]
    );
    let preferred = placement.preferred.expect("a zone preference");
    assert_eq!(preferred.weight, 100);
    let zone = &preferred.preference.match_expressions.expect("one term")[0];
    assert_eq!(
        (zone.key.as_str(), zone.operator.as_str()),
        ("aircraft.mil/location.zone", "In")
    );
    assert_eq!(zone.values.as_deref(), Some(&["east-sea".to_string()][..]));
}

#[test]
fn gt_terms_admit_exactly_the_minimum_and_above() {
    let placement = placement(&strike_requirement(), &[], &[], SchedulerChoice::Default);
    let fuel = &placement.required[2];
    assert!(admits(fuel, 70), "fuel at the minimum is enough");
    assert!(admits(fuel, 100));
    assert!(!admits(fuel, 69));
    let hardpoints = &placement.required[3];
    assert!(admits(hardpoints, 6));
    assert!(!admits(hardpoints, 5));

    let one = AircraftRequirement {
        min_fuel_level: Some(1),
        ..Default::default()
    };
    let fuel = &required_terms(&one)[1];
    assert_eq!(fuel.values.as_deref(), Some(&["0".to_string()][..]));
    assert!(admits(fuel, 1) && !admits(fuel, 0));
}

#[test]
fn a_requirement_of_zero_or_nothing_asks_only_for_a_ready_aircraft() {
    let zero = AircraftRequirement {
        min_fuel_level: Some(0),
        hardpoints: Some(0),
        ..Default::default()
    };
    for requirement in [zero, AircraftRequirement::default()] {
        let placement = placement(&requirement, &[], &[], SchedulerChoice::Default);
        assert_eq!(
            terms(&placement),
            [term("aircraft.mil/status", "In", "ready")]
        );
        assert_eq!(placement.preferred, None);
    }
}

#[test]
fn the_aircraft_scheduler_reads_annotations_and_keeps_the_required_affinity() {
    let requirement = strike_requirement();
    let placement = placement(
        &requirement,
        &["pl-15", "pl-10"],
        &[],
        SchedulerChoice::Aircraft,
    );
    assert_eq!(placement.scheduler_name, "aircraft-scheduler");
    let annotations: Vec<(&str, &str)> = placement
        .annotations
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        annotations,
        [
            ("airforce.mil/preferred-zone", "east-sea"),
            ("airforce.mil/required-capabilities", "stealth,aesa-radar"),
            ("airforce.mil/required-fuel", "70"),
            ("airforce.mil/required-hardpoints", "6"),
            ("airforce.mil/weapons", "pl-15,pl-10"),
        ]
    );
    let default = super::placement(&requirement, &[], &[], SchedulerChoice::Default);
    assert_eq!(placement.required, default.required);
    assert_eq!(
        placement.preferred, None,
        "the scheduler scores zones itself"
    );
}

#[test]
fn an_empty_requirement_writes_no_annotations() {
    let placement = placement(
        &AircraftRequirement::default(),
        &[],
        &[],
        SchedulerChoice::Aircraft,
    );
    assert!(placement.annotations.is_empty());
}

#[test]
fn applying_ands_with_the_template_affinity_and_keeps_off_the_avoided_nodes() {
    let mut spec: PodSpec = serde_json::from_value(json!({
        "containers": [],
        "schedulerName": "my-scheduler",
        "affinity": {"nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                {"matchExpressions": [{"key": "a", "operator": "Exists"}]},
                {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["j20-01"]}]},
            ]},
            "preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": 10, "preference": {"matchExpressions": [{"key": "b", "operator": "Exists"}]}},
            ],
        }},
        "tolerations": [{"key": "dedicated", "value": "strike", "effect": "NoSchedule"}],
    }))
    .expect("a pod spec");
    let avoid = ["j20-02".to_string()];
    let placement = placement(&strike_requirement(), &[], &avoid, SchedulerChoice::Default);
    placement.apply_to(&mut spec);

    assert_eq!(spec.scheduler_name.as_deref(), Some("default-scheduler"));
    let node = spec
        .affinity
        .and_then(|a| a.node_affinity)
        .expect("node affinity");
    let required = node
        .required_during_scheduling_ignored_during_execution
        .expect("required");
    assert_eq!(
        required.node_selector_terms.len(),
        2,
        "alternatives are kept"
    );
    for term in &required.node_selector_terms {
        let expressions = term.match_expressions.as_deref().unwrap_or_default();
        assert!(expressions.ends_with(&placement.required), "{term:?}");
        let fields = term.match_fields.as_deref().unwrap_or_default();
        let last = fields.last().expect("the avoided nodes");
        assert_eq!(
            (
                last.key.as_str(),
                last.operator.as_str(),
                last.values.clone()
            ),
            ("metadata.name", "NotIn", Some(avoid.to_vec()))
        );
    }
    assert_eq!(
        required.node_selector_terms[1]
            .match_fields
            .as_ref()
            .map(Vec::len),
        Some(2),
        "the template's own field term is kept"
    );
    let preferred = node
        .preferred_during_scheduling_ignored_during_execution
        .expect("preferred");
    assert_eq!(
        preferred.iter().map(|p| p.weight).collect::<Vec<_>>(),
        [10, 100]
    );
    assert_eq!(
        spec.tolerations.map(|t| t.len()),
        Some(1),
        "the template's tolerations are its own"
    );
}

#[test]
fn applying_to_a_spec_without_affinity_makes_one_term() {
    let mut spec = PodSpec::default();
    let placement = placement(&strike_requirement(), &[], &[], SchedulerChoice::Aircraft);
    placement.apply_to(&mut spec);
    let terms = spec
        .affinity
        .and_then(|a| a.node_affinity)
        .and_then(|n| n.required_during_scheduling_ignored_during_execution)
        .expect("required affinity")
        .node_selector_terms;
    assert_eq!(terms.len(), 1);
    assert_eq!(
        terms[0].match_expressions.as_deref(),
        Some(&placement.required[..])
    );
}
