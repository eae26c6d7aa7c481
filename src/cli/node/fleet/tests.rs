use std::collections::BTreeMap;

use super::*;

fn source(text: &str) -> Source {
    Source::new("fleet.yaml", text)
}

fn problems(text: &str) -> Vec<String> {
    let problems = parse(&[source(text)]).expect_err("refused");
    problems.iter().map(Problem::to_string).collect()
}

#[test]
fn the_example_fleet_reads_as_four_nodes_with_their_aircraft_keys() {
    let text = std::fs::read_to_string("examples/fleet.yaml").expect("the example fleet");
    let fleet = parse(&[source(&text)]).expect("valid");
    let names: Vec<&str> = fleet.nodes.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["j20-01", "j20-02", "j20-03", "j20-04"]);
    assert_eq!(fleet.nodes[0].at, "fleet.yaml:7");
    let plan = fleet.nodes[3]
        .edits
        .plan("j20-04", &BTreeMap::new(), &BTreeMap::new());
    let keys: Vec<String> = plan.changes.iter().map(|c| c.key.short()).collect();
    assert_eq!(
        keys,
        [
            "type",
            "status",
            "fuel.level",
            "fuel.status",
            "hardpoint.available",
            "location.zone",
            "capability.air-to-air",
            "capability.stealth",
            "maintenance",
            "compatible-weapons",
        ]
    );
    assert!(fleet.notes.is_empty(), "{:?}", fleet.notes);
}

#[test]
fn nodes_come_from_several_documents_and_other_keys_are_noted() {
    let text = "\
kind: Node
metadata:
  name: a
  labels:
    aircraft.mil/fuel.level: 80
    kubernetes.io/hostname: a
---
---
apiVersion: v1
kind: NodeList
items:
- metadata:
    name: b
    annotations:
      aircraft.mil/busy-with: ns/pod-1
      aircraft.mil/maintenance: \"12\"
";
    let fleet = parse(&[source(text)]).expect("valid");
    assert_eq!(fleet.nodes.len(), 2);
    assert_eq!(fleet.nodes[1].at, "fleet.yaml:12");
    assert_eq!(
        fleet.notes,
        [
            "fleet.yaml: left as they are (not set by node label): aircraft.mil/busy-with, kubernetes.io/hostname"
        ]
    );
}

#[test]
fn a_bad_value_is_placed_by_file_line_and_field_path() {
    let text = "\
kind: List
items:
- kind: Node
  metadata:
    name: j20-01
    labels:
      aircraft.mil/fuel.level: \"120\"
      aircraft.mil/status: flying
";
    assert_eq!(
        problems(text),
        [
            "fleet.yaml:7: items[0].metadata.labels[aircraft.mil/fuel.level]: \"120\": the fuel level must be a whole number from 0 to 100 (e.g. 80)",
            "fleet.yaml:8: items[0].metadata.labels[aircraft.mil/status]: \"flying\": the status must be one of ready, busy, maintenance",
        ]
    );
}

#[test]
fn a_stated_fuel_status_must_follow_the_level() {
    let text = "\
kind: Node
metadata:
  name: a
  labels:
    aircraft.mil/fuel.level: \"25\"
    aircraft.mil/fuel.status: high
";
    assert_eq!(
        problems(text),
        [
            "fleet.yaml:6: metadata.labels[aircraft.mil/fuel.status]: high does not follow from fuel.level 25, which makes it low: set it to low or remove it (it is derived)"
        ]
    );
    let agreeing = text.replace("high", "low");
    assert!(parse(&[source(&agreeing)]).is_ok());
}

#[test]
fn annotations_and_labels_must_be_in_their_own_place() {
    let text = "kind: Node\nmetadata:\n  name: a\n  labels:\n    aircraft.mil/maintenance: \"4\"\n";
    assert_eq!(
        problems(text),
        [
            "fleet.yaml:5: metadata.labels[aircraft.mil/maintenance]: aircraft.mil/maintenance belongs in metadata.annotations: move it there"
        ]
    );
}

#[test]
fn other_kinds_unnamed_nodes_and_repeated_nodes_are_refused() {
    assert_eq!(
        problems("kind: Deployment\nmetadata: {name: x}\n"),
        [
            "fleet.yaml:1: kind: kind Deployment: a fleet file holds Nodes, or a List of Nodes (see examples/fleet.yaml)"
        ]
    );
    assert_eq!(
        problems("kind: Node\nmetadata:\n  labels: {}\n"),
        ["fleet.yaml:2: metadata.name: a Node needs metadata.name: the name of the node to label"]
    );
    assert_eq!(
        problems("kind: Node\nmetadata: {name: a}\n---\nkind: Node\nmetadata: {name: a}\n"),
        ["fleet.yaml:4: node a is also described at fleet.yaml:1: describe each node once"]
    );
}

#[test]
fn broken_yaml_and_empty_files_are_refused() {
    let broken = problems("kind: Node\nmetadata: {name: a\n");
    assert_eq!(broken.len(), 1);
    assert!(
        broken[0].starts_with("fleet.yaml:3: invalid YAML"),
        "{broken:?}"
    );
    assert_eq!(
        problems("# nothing yet\n"),
        [
            "fleet.yaml: holds no Nodes: a fleet file lists Nodes with aircraft.mil/ labels, like examples/fleet.yaml"
        ]
    );
}
