//! Dependencies between named things (the stages of a mission, the tasks of a
//! stage): one place for the graph rules that `mission validate` reports and
//! the controllers plan by.
//!
//! [`Dag`] checks a graph once, so the plans can walk it without guarding every
//! step: the CRD's CEL rules refuse most bad graphs, but an object that
//! bypassed them (an older CRD, a CRD installed without validation) must fail
//! with a message, not crash or stall the operator, and cycles are not a CEL
//! rule at all. [`cycles`] finds every cycle, for a report that names each.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};

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
    /// Checks `nodes`, each a name and the names it depends on; the error reads
    /// as a sentence for a status message.
    pub fn new<'a, I>(nodes: I, words: Vocabulary<'_>) -> Result<Self, GraphError>
    where
        I: IntoIterator<Item = (&'a str, &'a [String])>,
    {
        let nodes: Vec<(&str, &[String])> = nodes.into_iter().collect();
        let mut index: HashMap<&str, usize> = HashMap::new();
        for (position, (name, _)) in nodes.iter().enumerate() {
            if index.insert(name, position).is_some() {
                return Err(GraphError::DuplicateName {
                    noun: words.noun.to_string(),
                    name: name.to_string(),
                });
            }
        }
        let mut deps = Vec::with_capacity(nodes.len());
        for (name, depends_on) in &nodes {
            let mut targets = Vec::with_capacity(depends_on.len());
            for dependency in depends_on.iter() {
                match index.get(dependency.as_str()) {
                    _ if dependency == name => {
                        return Err(GraphError::SelfDependency {
                            noun: words.noun.to_string(),
                            name: name.to_string(),
                        });
                    }
                    Some(&target) => targets.push(target),
                    None => {
                        return Err(GraphError::MissingDependency {
                            noun: words.noun.to_string(),
                            scope: words.scope.to_string(),
                            name: name.to_string(),
                            dependency: dependency.clone(),
                        });
                    }
                }
            }
            deps.push(targets);
        }
        let order = topological_order(&deps).ok_or_else(|| {
            let first = cycles(&deps).into_iter().next().unwrap_or_default();
            GraphError::Cycle {
                noun: words.noun.to_string(),
                path: first
                    .iter()
                    .map(|&node| nodes[node].0.to_string())
                    .collect(),
            }
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
/// `None` when a cycle keeps some node from ever being ready.
fn topological_order(deps: &[Vec<usize>]) -> Option<Vec<usize>> {
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
    done.iter().all(|&done| done).then_some(order)
}

/// Why nodes do not form a graph the plans can walk.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GraphError {
    #[error("{noun} name {name} is used twice")]
    DuplicateName { noun: String, name: String },
    #[error("{noun} {name} depends on itself")]
    SelfDependency { noun: String, name: String },
    #[error("{noun} {name} depends on {dependency}, which is not a {noun} of {scope}")]
    MissingDependency {
        noun: String,
        scope: String,
        name: String,
        dependency: String,
    },
    /// `path` in dependency order: each depends on the next, the last on the first.
    #[error(
        "{noun}s depend on each other in a cycle: {} (→ reads \"depends on\")",
        cycle_text(path)
    )]
    Cycle { noun: String, path: Vec<String> },
}

fn cycle_text(path: &[String]) -> String {
    let mut names: Vec<&str> = path.iter().map(String::as_str).collect();
    names.extend(path.first().map(String::as_str));
    names.join(" → ")
}

/// Cycles in a graph of `edges[node] = nodes it depends on`. Each cycle starts at
/// its lowest node and lists every node once (`[a, b]` reads a → b → a).
/// Self-dependencies are left to the caller, who reports them on their own.
pub fn cycles(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut found: Vec<Vec<usize>> = components(edges)
        .into_iter()
        .filter(|component| component.len() > 1)
        .filter_map(|component| {
            let start = *component.iter().min()?;
            shortest_cycle(edges, &component, start)
        })
        .collect();
    found.sort();
    found
}

/// Strongly connected components (Tarjan), each a list of nodes.
fn components(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    struct State<'a> {
        edges: &'a [Vec<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        components: Vec<Vec<usize>>,
    }
    fn visit(state: &mut State<'_>, node: usize) {
        state.index[node] = Some(state.next);
        state.low[node] = state.next;
        state.next += 1;
        state.stack.push(node);
        state.on_stack[node] = true;
        for &target in &state.edges[node] {
            match state.index[target] {
                None => {
                    visit(state, target);
                    state.low[node] = state.low[node].min(state.low[target]);
                }
                Some(index) if state.on_stack[target] => {
                    state.low[node] = state.low[node].min(index);
                }
                Some(_) => {}
            }
        }
        if Some(state.low[node]) == state.index[node] {
            let mut component = Vec::new();
            while let Some(member) = state.stack.pop() {
                state.on_stack[member] = false;
                component.push(member);
                if member == node {
                    break;
                }
            }
            state.components.push(component);
        }
    }
    let count = edges.len();
    let mut state = State {
        edges,
        index: vec![None; count],
        low: vec![0; count],
        on_stack: vec![false; count],
        stack: Vec::new(),
        next: 0,
        components: Vec::new(),
    };
    for node in 0..count {
        if state.index[node].is_none() {
            visit(&mut state, node);
        }
    }
    state.components
}

/// The shortest path from `start` back to itself inside `component` (breadth first).
fn shortest_cycle(edges: &[Vec<usize>], component: &[usize], start: usize) -> Option<Vec<usize>> {
    let mut inside = vec![false; edges.len()];
    for &node in component {
        inside[node] = true;
    }
    let mut parent: Vec<Option<usize>> = vec![None; edges.len()];
    let mut queue = VecDeque::from([start]);
    while let Some(node) = queue.pop_front() {
        for &target in &edges[node] {
            if target == start {
                let mut cycle = vec![node];
                let mut current = node;
                while let Some(previous) = parent[current] {
                    cycle.push(previous);
                    current = previous;
                }
                cycle.reverse();
                return Some(cycle);
            }
            if inside[target] && parent[target].is_none() && target != start {
                parent[target] = Some(node);
                queue.push_back(target);
            }
        }
    }
    None
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
        .map_err(|error| error.to_string())
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

    #[test]
    fn a_graph_without_cycles_has_none() {
        assert_eq!(
            cycles(&[vec![], vec![0], vec![0, 1]]),
            Vec::<Vec<usize>>::new()
        );
    }

    #[test]
    fn a_two_node_cycle_starts_at_its_lowest_node() {
        assert_eq!(cycles(&[vec![], vec![0, 2], vec![1]]), vec![vec![1, 2]]);
    }

    #[test]
    fn a_longer_cycle_is_listed_in_dependency_order() {
        // 0 → 2 → 1 → 0
        assert_eq!(cycles(&[vec![2], vec![0], vec![1]]), vec![vec![0, 2, 1]]);
    }

    #[test]
    fn separate_cycles_are_each_reported() {
        let edges = [vec![1], vec![0], vec![3], vec![2], vec![]];
        assert_eq!(cycles(&edges), vec![vec![0, 1], vec![2, 3]]);
    }

    #[test]
    fn the_shortest_cycle_through_the_first_node_is_chosen() {
        // 0 → 1 → 2 → 0 and 0 → 2 → 0
        let edges = [vec![1, 2], vec![2], vec![0]];
        assert_eq!(cycles(&edges), vec![vec![0, 2]]);
    }

    #[test]
    fn self_dependencies_are_not_cycles_here() {
        assert_eq!(cycles(&[vec![0]]), Vec::<Vec<usize>>::new());
    }
}
