use std::collections::BTreeMap;

use clap::Parser;

use super::*;
use crate::cli::node::NodeCommand;
use crate::cli::{Cli, Command};

fn parse(args: &[&str]) -> Result<LabelArgs, clap::Error> {
    let cli = Cli::try_parse_from(["kubectl-airforce", "node", "label"].iter().chain(args))?;
    match cli.command {
        Command::Node(NodeCommand::Label(args)) => Ok(*args),
        other => panic!("not node label: {other:?}"),
    }
}

fn request(args: &[&str]) -> anyhow::Result<Request> {
    Request::from_args(&parse(args).expect("parsed"))
}

#[test]
fn flags_and_positional_settings_make_one_set_of_edits_for_every_node() {
    let request = request(&[
        "j20-01",
        "--type",
        "j20",
        "--capability",
        "stealth,supercruise=false",
        "j20-02",
        "fuel.level=80",
        "--capability",
        "radar-",
        "j20-01",
    ])
    .expect("valid");
    let Targets::Named(targets) = request.targets else {
        panic!("named targets");
    };
    let names: Vec<&str> = targets.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["j20-01", "j20-02"]);
    let plan = targets[0]
        .edits
        .plan("j20-01", &BTreeMap::new(), &BTreeMap::new());
    let shown: Vec<(String, Option<&str>)> = (plan.changes.iter())
        .map(|c| (c.key.short(), c.after.as_deref()))
        .collect();
    assert_eq!(
        shown,
        [
            ("type".to_string(), Some("j20")),
            ("fuel.level".to_string(), Some("80")),
            ("fuel.status".to_string(), Some("high")),
            ("capability.radar".to_string(), None),
            ("capability.stealth".to_string(), Some("true")),
            ("capability.supercruise".to_string(), Some("false")),
        ]
    );
}

#[test]
fn a_bad_flag_value_is_refused_by_clap_with_the_fix() {
    let error = parse(&["j20-01", "--fuel", "120"]).expect_err("refused");
    let text = error.to_string();
    assert!(text.contains("'--fuel <PERCENT>'"), "{text}");
    assert!(text.contains("from 0 to 100"), "{text}");
    let error = parse(&["j20-01", "--status", "flying"]).expect_err("refused");
    assert!(
        error
            .to_string()
            .contains("[possible values: ready, busy, maintenance]")
    );
}

#[test]
fn every_problem_of_the_arguments_is_reported_at_once() {
    let error = request(&[
        "j20-01",
        "fuel=120",
        "team=red",
        "status=busy",
        "--status",
        "ready",
    ])
    .err()
    .expect("refused");
    let text = error.to_string();
    assert!(
        text.starts_with("nothing was labeled: 3 problems to fix first:"),
        "{text}"
    );
    assert!(text.contains("\n  fuel=120: the fuel level"), "{text}");
    assert!(
        text.contains("\n  team=red: team is not an aircraft key"),
        "{text}"
    );
    assert!(
        text.contains("status=busy: status is also given as --status ready"),
        "{text}"
    );
}

#[test]
fn nodes_and_settings_are_both_needed() {
    let nothing = request(&["j20-01"]).err().expect("refused").to_string();
    assert!(nothing.starts_with("nothing to set"), "{nothing}");
    let nobody = request(&["--fuel", "80"])
        .err()
        .expect("refused")
        .to_string();
    assert!(nobody.starts_with("name the nodes to label"), "{nobody}");
    assert!(parse(&["--from-file", "f.yaml", "j20-01"]).is_err());
}

#[test]
fn the_change_table_marks_what_changes_and_what_does_not() {
    let labels = [("aircraft.mil/fuel.level".to_string(), "95".to_string())].into();
    let edits = Edits::from_settings(vec![
        Setting::flag("--fuel", AircraftKey::FuelLevel, "95").expect("valid"),
        Setting::flag("--zone", AircraftKey::Zone, "east-sea").expect("valid"),
    ])
    .expect("valid");
    let plan = edits.plan("j20-01", &labels, &BTreeMap::new());
    assert_eq!(
        render_changes(&[plan], false, Palette::PLAIN),
        "\
NODE     KEY             BEFORE   AFTER
j20-01   fuel.level      95       unchanged
         fuel.status     <none>   high
         location.zone   <none>   east-sea"
    );
}
