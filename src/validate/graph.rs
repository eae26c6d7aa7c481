//! Finding dependency cycles, to print them: one cycle for each group of nodes
//! that depend on each other, the shortest through the group's first node.

use std::collections::VecDeque;

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
