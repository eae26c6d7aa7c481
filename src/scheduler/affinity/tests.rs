//! Required node affinity: every operator, terms ORed, expressions ANDed.

use k8s_openapi::api::core::v1::NodeSelectorTerm;

use super::*;

fn requirement(key: &str, operator: &str, values: &[&str]) -> NodeSelectorRequirement {
    NodeSelectorRequirement {
        key: key.into(),
        operator: operator.into(),
        values: (!values.is_empty()).then(|| values.iter().map(|v| v.to_string()).collect()),
    }
}

fn term(expressions: Vec<NodeSelectorRequirement>) -> NodeSelectorTerm {
    NodeSelectorTerm {
        match_expressions: Some(expressions),
        match_fields: None,
    }
}

fn affinity(terms: Vec<NodeSelectorTerm>) -> RequiredAffinity {
    RequiredAffinity::parse(&NodeSelector {
        node_selector_terms: terms,
    })
}

fn one(key: &str, operator: &str, values: &[&str]) -> RequiredAffinity {
    affinity(vec![term(vec![requirement(key, operator, values)])])
}

fn node_labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn check(affinity: &RequiredAffinity, pairs: &[(&str, &str)]) -> Result<(), String> {
    affinity.matches("j20-01", &node_labels(pairs))
}

#[test]
fn in_and_not_in_compare_the_label_value() {
    let is_j20 = one("aircraft.mil/type", "In", &["j20", "j16"]);
    assert_eq!(check(&is_j20, &[("aircraft.mil/type", "j16")]), Ok(()));
    assert_eq!(
        check(&is_j20, &[("aircraft.mil/type", "j10")]),
        Err("node affinity: aircraft.mil/type is j10, not one of [j20, j16]".into())
    );
    assert_eq!(
        check(&is_j20, &[]),
        Err("node affinity: no aircraft.mil/type label (needs one of [j20, j16])".into())
    );
    let not_j10 = one("aircraft.mil/type", "NotIn", &["j10"]);
    assert_eq!(check(&not_j10, &[("aircraft.mil/type", "j20")]), Ok(()));
    assert_eq!(
        check(&not_j10, &[]),
        Ok(()),
        "NotIn holds when the label is absent"
    );
    assert_eq!(
        check(&not_j10, &[("aircraft.mil/type", "j10")]),
        Err("node affinity: aircraft.mil/type is j10, one of the excluded [j10]".into())
    );
}

#[test]
fn exists_and_does_not_exist_look_only_at_presence() {
    let exists = one("aircraft.mil/capability.stealth", "Exists", &[]);
    assert_eq!(
        check(&exists, &[("aircraft.mil/capability.stealth", "false")]),
        Ok(())
    );
    assert_eq!(
        check(&exists, &[]),
        Err("node affinity: no aircraft.mil/capability.stealth label".into())
    );
    let absent = one("drained", "DoesNotExist", &[]);
    assert_eq!(check(&absent, &[]), Ok(()));
    assert_eq!(
        check(&absent, &[("drained", "yes")]),
        Err("node affinity: drained is yes, but must be absent".into())
    );
}

#[test]
fn gt_and_lt_compare_integers_strictly() {
    let fuel = one("aircraft.mil/fuel.level", "Gt", &["69"]);
    assert_eq!(check(&fuel, &[("aircraft.mil/fuel.level", "70")]), Ok(()));
    assert_eq!(
        check(&fuel, &[("aircraft.mil/fuel.level", "69")]),
        Err("node affinity: aircraft.mil/fuel.level is 69, not > 69".into())
    );
    assert_eq!(
        check(&fuel, &[("aircraft.mil/fuel.level", "ninety")]),
        Err(
            "node affinity: aircraft.mil/fuel.level \"ninety\" is not an integer to compare > 69"
                .into()
        )
    );
    assert_eq!(
        check(&fuel, &[]),
        Err("node affinity: no aircraft.mil/fuel.level label to compare > 69".into())
    );
    let low = one("load", "Lt", &["-2"]);
    assert_eq!(check(&low, &[("load", "-5")]), Ok(()));
    assert!(check(&low, &[("load", "-2")]).is_err());
}

#[test]
fn malformed_operators_match_nothing_and_say_why() {
    let cases = [
        (
            one("load", "Gt", &["many"]),
            "load: Gt needs an integer, not \"many\"",
        ),
        (
            one("load", "Lt", &["1", "2"]),
            "load: Lt needs exactly one value",
        ),
        (
            one("load", "Near", &["1"]),
            "load: operator \"Near\" is unknown",
        ),
    ];
    for (affinity, why) in cases {
        assert_eq!(
            check(&affinity, &[("load", "1")]),
            Err(format!("node affinity: {why}"))
        );
    }
}

#[test]
fn expressions_in_a_term_are_all_required() {
    let both = affinity(vec![term(vec![
        requirement("aircraft.mil/type", "In", &["j20"]),
        requirement("aircraft.mil/status", "In", &["ready"]),
    ])]);
    assert_eq!(
        check(
            &both,
            &[
                ("aircraft.mil/type", "j20"),
                ("aircraft.mil/status", "ready")
            ]
        ),
        Ok(())
    );
    assert_eq!(
        check(
            &both,
            &[
                ("aircraft.mil/type", "j20"),
                ("aircraft.mil/status", "busy")
            ]
        ),
        Err("node affinity: aircraft.mil/status is busy, not one of [ready]".into())
    );
}

#[test]
fn any_one_term_is_enough() {
    let either = affinity(vec![
        term(vec![requirement("aircraft.mil/type", "In", &["j20"])]),
        term(vec![requirement("aircraft.mil/type", "In", &["j16"])]),
    ]);
    assert_eq!(check(&either, &[("aircraft.mil/type", "j16")]), Ok(()));
    assert_eq!(
        check(&either, &[("aircraft.mil/type", "j10")]),
        Err("matches none of the 2 node affinity terms; the first: aircraft.mil/type is j10, not one of [j20]".into())
    );
}

#[test]
fn empty_terms_match_no_node() {
    assert_eq!(
        check(&affinity(vec![]), &[]),
        Err("node affinity: it has no terms".into())
    );
    assert_eq!(
        check(&affinity(vec![NodeSelectorTerm::default()]), &[]),
        Err("node affinity: an empty term matches no node".into())
    );
}

#[test]
fn match_fields_compare_the_node_name() {
    let by_name = |operator, key: &str| {
        affinity(vec![NodeSelectorTerm {
            match_expressions: None,
            match_fields: Some(vec![requirement(key, operator, &["j20-01"])]),
        }])
    };
    assert_eq!(check(&by_name("In", "metadata.name"), &[]), Ok(()));
    assert_eq!(
        check(&by_name("NotIn", "metadata.name"), &[]),
        Err("node affinity: metadata.name is j20-01, one of the excluded [j20-01]".into())
    );
    assert_eq!(
        check(&by_name("In", "metadata.uid"), &[]),
        Err("node affinity: field metadata.uid cannot be matched, only metadata.name".into())
    );
}

#[test]
fn required_types_are_known_only_when_every_term_names_them() {
    let typed = affinity(vec![
        term(vec![
            requirement("aircraft.mil/status", "In", &["ready"]),
            requirement("aircraft.mil/type", "In", &["j20"]),
        ]),
        term(vec![requirement(
            "aircraft.mil/type",
            "In",
            &["j16", "j20"],
        )]),
    ]);
    assert_eq!(
        typed.required_types(),
        Some(vec!["j16".to_string(), "j20".to_string()])
    );
    let open = affinity(vec![
        term(vec![requirement("aircraft.mil/type", "In", &["j20"])]),
        term(vec![requirement("aircraft.mil/status", "In", &["ready"])]),
    ]);
    assert_eq!(open.required_types(), None);
    assert_eq!(
        one("aircraft.mil/type", "NotIn", &["j10"]).required_types(),
        None
    );
    assert_eq!(affinity(vec![]).required_types(), None);
}
