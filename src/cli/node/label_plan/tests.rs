use std::collections::BTreeMap;

use serde_json::json;

use super::*;

fn setting(arg: &str) -> Setting {
    match classify(arg) {
        Argument::Setting(Ok(setting)) => setting,
        other => panic!("{arg} is not a valid setting: {other:?}"),
    }
}

fn problem(arg: &str) -> String {
    match classify(arg) {
        Argument::Setting(Err(problem)) => problem.to_string(),
        other => panic!("{arg} was accepted: {other:?}"),
    }
}

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    (pairs.iter())
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn edits(args: &[&str]) -> Edits {
    Edits::from_settings(args.iter().map(|a| setting(a)).collect()).expect("valid edits")
}

#[test]
fn kubectl_style_arguments_set_remove_or_name_a_node() {
    assert_eq!(classify("j20-01"), Argument::Node("j20-01".into()));
    assert_eq!(
        setting("fuel.level=80"),
        Setting {
            argument: "fuel.level=80".into(),
            key: AircraftKey::FuelLevel,
            value: Some("80".into())
        }
    );
    assert_eq!(setting("capability.radar-").value, None);
    assert_eq!(setting("status=busy").value.as_deref(), Some("busy"));
}

#[test]
fn values_are_written_in_canonical_form() {
    assert_eq!(setting("fuel=080").value.as_deref(), Some("80"));
    assert_eq!(setting("fuel=95%").value.as_deref(), Some("95"));
    assert_eq!(setting("maintenance=45d").value.as_deref(), Some("45"));
    assert_eq!(
        setting("compatible-weapons= pl-15, pl-10,pl-15,")
            .value
            .as_deref(),
        Some("pl-15,pl-10")
    );
}

#[test]
fn invalid_values_name_the_argument_and_the_fix() {
    assert_eq!(
        problem("fuel.level=120"),
        "fuel.level=120: the fuel level must be a whole number from 0 to 100 (e.g. 80)"
    );
    assert_eq!(
        problem("status=flying"),
        "status=flying: the status must be one of ready, busy, maintenance"
    );
    assert_eq!(
        problem("hardpoints=33"),
        "hardpoints=33: the available hardpoints must be a whole number from 0 to 32"
    );
    assert!(problem("hardpoints=-1").contains("from 0 to 32"));
    assert!(problem("maintenance=soon").contains("whole number, 0 or more"));
    assert!(problem("zone=East Sea").contains("not a zone: use up to 63 letters"));
    assert!(problem("type=").contains("not an aircraft type"));
    assert_eq!(
        problem("capability.radar=yes"),
        "capability.radar=yes: a capability must be true or false"
    );
    assert!(problem("capability.-x=true").contains("capability name \"-x\" is not valid"));
    assert!(problem("compatible-weapons=PL_15").contains("\"PL_15\" is not a weapon name"));
    assert!(problem("compatible-weapons=,").contains("name at least one weapon"));
}

#[test]
fn keys_outside_the_aircraft_set_are_refused_with_a_pointer_to_kubectl_label() {
    let message = problem("team=red");
    assert!(
        message.starts_with("team=red: team is not an aircraft key"),
        "{message}"
    );
    assert!(message.contains("kubectl label node"), "{message}");
    assert!(problem("kubernetes.io/arch=arm64").contains("is not an aircraft key"));
    assert!(problem("aircraft.mil/speed=2").contains("is not a known aircraft key: use one of"));
    assert!(problem("aircraft.mil/busy-with=x").contains("kept by the aircraft controller"));
}

#[test]
fn a_bare_key_is_a_setting_missing_its_value() {
    assert_eq!(
        problem("fuel.level"),
        "fuel.level: a key needs a value: fuel.level=VALUE sets it, fuel.level- removes it"
    );
    assert!(problem("aircraft.mil/nope").contains("not a known aircraft key"));
}

#[test]
fn fuel_status_cannot_be_given_and_a_key_given_twice_must_agree() {
    let problems = Edits::from_settings(vec![
        setting("fuel.status=high"),
        Setting::flag("--fuel", AircraftKey::FuelLevel, "95").expect("valid"),
        setting("fuel.level=80"),
        setting("fuel=95"),
    ])
    .expect_err("refused");
    let messages: Vec<String> = problems.iter().map(Problem::to_string).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].starts_with("fuel.status=high: fuel.status follows fuel.level"));
    assert_eq!(
        messages[1],
        "fuel.level=80: fuel.level is also given as --fuel 95: give each key once"
    );
}

#[test]
fn a_fuel_level_brings_its_fuel_status_and_removing_it_removes_both() {
    let labels = map(&[
        ("aircraft.mil/fuel.level", "95"),
        ("aircraft.mil/fuel.status", "high"),
    ]);
    let plan = edits(&["fuel=50"]).plan("j20-01", &labels, &BTreeMap::new());
    assert_eq!(
        plan.merge_patch(),
        json!({"metadata": {"labels": {
            "aircraft.mil/fuel.level": "50",
            "aircraft.mil/fuel.status": "medium",
        }}})
    );
    for (level, status) in [
        ("71", "high"),
        ("70", "medium"),
        ("31", "medium"),
        ("30", "low"),
    ] {
        let plan = edits(&[&format!("fuel={level}")]).plan("n", &BTreeMap::new(), &BTreeMap::new());
        assert_eq!(plan.changes[1].after.as_deref(), Some(status), "{level}");
    }
    let removed = edits(&["fuel.level-"]).plan("j20-01", &labels, &BTreeMap::new());
    assert_eq!(
        removed.merge_patch(),
        json!({"metadata": {"labels": {
            "aircraft.mil/fuel.level": null,
            "aircraft.mil/fuel.status": null,
        }}})
    );
}

#[test]
fn the_plan_lists_every_key_touched_before_and_after_and_patches_only_changes() {
    let labels = map(&[
        ("aircraft.mil/status", "ready"),
        ("aircraft.mil/capability.radar", "true"),
        ("team", "red"),
    ]);
    let annotations = map(&[("aircraft.mil/maintenance", "45")]);
    let plan = edits(&[
        "maintenance=45",
        "status=busy",
        "capability.radar-",
        "zone=east-sea",
    ])
    .plan("j20-01", &labels, &annotations);
    let rows: Vec<(String, Option<&str>, Option<&str>, bool)> = (plan.changes.iter())
        .map(|c| {
            let row = (c.key.short(), c.before.as_deref(), c.after.as_deref());
            (row.0, row.1, row.2, c.changed())
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("status".into(), Some("ready"), Some("busy"), true),
            ("location.zone".into(), None, Some("east-sea"), true),
            ("capability.radar".into(), Some("true"), None, true),
            ("maintenance".into(), Some("45"), Some("45"), false),
        ]
    );
    assert_eq!(
        plan.merge_patch(),
        json!({"metadata": {"labels": {
            "aircraft.mil/status": "busy",
            "aircraft.mil/location.zone": "east-sea",
            "aircraft.mil/capability.radar": null,
        }}})
    );
    assert_eq!(plan.result(), "labeled");
}

#[test]
fn a_second_identical_run_changes_nothing() {
    let edits = edits(&["fuel=80", "compatible-weapons=pl-15"]);
    let first = edits.plan("j20-01", &BTreeMap::new(), &BTreeMap::new());
    let labels = map(&[
        ("aircraft.mil/fuel.level", "80"),
        ("aircraft.mil/fuel.status", "high"),
    ]);
    let annotations = map(&[("aircraft.mil/compatible-weapons", "pl-15")]);
    let second = edits.plan("j20-01", &labels, &annotations);
    assert!(!first.changes_nothing());
    assert!(second.changes_nothing());
    assert_eq!(second.result(), "unchanged");
    assert_eq!(second.merge_patch(), json!({"metadata": {}}));
}

#[test]
fn the_json_view_names_full_keys_and_their_kind() {
    let plan = edits(&["maintenance=10"]).plan("j20-01", &BTreeMap::new(), &BTreeMap::new());
    assert_eq!(
        serde_json::to_value(plan.view(Some("client"))).expect("serializable"),
        json!({
            "node": "j20-01",
            "result": "labeled",
            "dryRun": "client",
            "changes": [{
                "key": "aircraft.mil/maintenance",
                "kind": "annotation",
                "before": null,
                "after": "10",
                "changed": true,
            }],
        })
    );
}
