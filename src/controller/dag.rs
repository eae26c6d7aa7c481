//! Dependencies between named things (the stages of a mission, the tasks of a
//! stage), checked once so the plans can walk them without guarding every step.
//!
//! The CRD's CEL rules refuse most bad graphs, but an object that bypassed them
//! (an older CRD, a CRD installed without validation) must fail with a message,
//! not crash or stall the operator; cycles are not a CEL rule at all.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

/// A checked dependency graph over nodes `0..n`: names unique, every dependency
/// names a node, no node depends on itself, no cycles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dag {
    deps: Vec<Vec<usize>>,
    order: Vec<usize>,
}

/// What the nodes are, for messages: `noun` ("stage") and where they live
/// (`scope`: "this mission").
#[derive(Debug, Clone, Copy)]
pub struct Vocabulary<'a> {
    pub noun: &'a str,
    pub scope: &'a str,
}

impl Dag {
    /// Checks `nodes`, each a name and the names it depends on; the error is a
    /// sentence for a status message.
    pub fn new<'a, I>(nodes: I, words: Vocabulary<'_>) -> Result<Self, String>
    where
        I: IntoIterator<Item = (&'a str, &'a [String])>,
    {
        let nodes: Vec<(&str, &[String])> = nodes.into_iter().collect();
        let mut index: HashMap<&str, usize> = HashMap::new();
        for (position, (name, _)) in nodes.iter().enumerate() {
            if index.insert(name, position).is_some() {
                return Err(format!("{} name {name} is used twice", words.noun));
            }
        }
        let mut deps = Vec::with_capacity(nodes.len());
        for (name, depends_on) in &nodes {
            let mut targets = Vec::with_capacity(depends_on.len());
            for dependency in depends_on.iter() {
                match index.get(dependency.as_str()) {
                    _ if dependency == name => {
                        return Err(format!("{} {name} depends on itself", words.noun));
                    }
                    Some(&target) => targets.push(target),
                    None => {
                        let (noun, scope) = (words.noun, words.scope);
                        return Err(format!(
                            "{noun} {name} depends on {dependency}, which is not a {noun} of {scope}"
                        ));
                    }
                }
            }
            deps.push(targets);
        }
        let order = topological_order(&deps).map_err(|cycle| {
            let mut text: Vec<&str> = cycle.iter().map(|&node| nodes[node].0).collect();
            text.push(text[0]);
            format!(
                "{}s depend on each other in a cycle: {} (→ reads \"depends on\")",
                words.noun,
                text.join(" → ")
            )
        })?;
        Ok(Self { deps, order })
    }

    /// The nodes `node` depends on.
    pub fn deps(&self, node: usize) -> &[usize] {
        &self.deps[node]
    }

    /// Every node after the nodes it depends on; among nodes ready at the same
    /// time, the one listed first comes first, so plans read in spec order.
    pub fn order(&self) -> &[usize] {
        &self.order
    }
}

/// Kahn's algorithm, taking the lowest ready node each time (a heap keeps
/// that to a logarithm, so a dense graph costs its edges, not their square);
/// on a cycle, the nodes of one cycle in dependency order.
fn topological_order(deps: &[Vec<usize>]) -> Result<Vec<usize>, Vec<usize>> {
    let mut waiting: Vec<usize> = deps.iter().map(Vec::len).collect();
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); deps.len()];
    for (node, targets) in deps.iter().enumerate() {
        for &target in targets {
            dependents[target].push(node);
        }
    }
    let mut ready: BinaryHeap<Reverse<usize>> = (0..deps.len())
        .filter(|&node| waiting[node] == 0)
        .map(Reverse)
        .collect();
    let mut done = vec![false; deps.len()];
    let mut order = Vec::with_capacity(deps.len());
    while let Some(Reverse(next)) = ready.pop() {
        done[next] = true;
        order.push(next);
        for &dependent in &dependents[next] {
            waiting[dependent] -= 1;
            if waiting[dependent] == 0 {
                ready.push(Reverse(dependent));
            }
        }
    }
    match (0..deps.len()).find(|&node| !done[node]) {
        None => Ok(order),
        Some(start) => Err(cycle_from(deps, &done, start)),
    }
}

/// Every node left undone waits on another undone node, so following those
/// dependencies from `start` must come back to a node already on the path.
fn cycle_from(deps: &[Vec<usize>], done: &[bool], start: usize) -> Vec<usize> {
    let mut path = vec![start];
    let mut current = start;
    loop {
        let Some(&next) = deps[current].iter().find(|&&d| !done[d]) else {
            return path;
        };
        if let Some(position) = path.iter().position(|&node| node == next) {
            return path.split_off(position);
        }
        path.push(next);
        current = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STAGES: Vocabulary<'static> = Vocabulary {
        noun: "stage",
        scope: "this mission",
    };

    fn dag(nodes: &[(&str, &[&str])]) -> Result<Dag, String> {
        let owned: Vec<(String, Vec<String>)> = nodes
            .iter()
            .map(|(name, deps)| {
                (
                    name.to_string(),
                    deps.iter().map(|d| d.to_string()).collect(),
                )
            })
            .collect();
        Dag::new(
            owned
                .iter()
                .map(|(name, deps)| (name.as_str(), deps.as_slice())),
            STAGES,
        )
    }

    #[test]
    fn a_diamond_is_ordered_with_ties_in_spec_order() {
        let dag = dag(&[("d", &["b", "c"]), ("c", &["a"]), ("b", &["a"]), ("a", &[])]);
        let dag = dag.expect("a diamond is acyclic");
        assert_eq!(dag.order(), &[3, 1, 2, 0]);
        assert_eq!(dag.deps(0), &[2, 1]);
    }

    #[test]
    fn a_dense_graph_is_ordered_lowest_ready_first() {
        let names: Vec<String> = (0..2_000).map(|i| format!("n{i}")).collect();
        // Every node depends on every node listed after it.
        let nodes = (0..names.len()).map(|i| (names[i].as_str(), &names[i + 1..]));
        let dag = Dag::new(nodes, STAGES).expect("no cycle");
        let reversed: Vec<usize> = (0..names.len()).rev().collect();
        assert_eq!(dag.order(), reversed.as_slice());
    }

    #[test]
    fn a_cycle_is_named_in_dependency_order() {
        let error = dag(&[("a", &[]), ("b", &["c"]), ("c", &["d"]), ("d", &["b"])]);
        assert_eq!(
            error,
            Err(
                "stages depend on each other in a cycle: b → c → d → b (→ reads \"depends on\")"
                    .into()
            )
        );
    }

    #[test]
    fn a_missing_dependency_is_named() {
        assert_eq!(
            dag(&[("a", &["ghost"])]),
            Err("stage a depends on ghost, which is not a stage of this mission".into())
        );
    }

    #[test]
    fn a_self_dependency_and_a_duplicate_name_are_refused() {
        assert_eq!(
            dag(&[("a", &["a"])]),
            Err("stage a depends on itself".into())
        );
        assert_eq!(
            dag(&[("a", &[]), ("a", &[])]),
            Err("stage name a is used twice".into())
        );
    }
}
