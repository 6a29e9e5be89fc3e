//! Bundles: projects that require each other, directly or round a circle, can only be
//! funded together. They are the strongly connected sets of the `requires` graph.

use crate::domain::Project;

/// Every set of two or more projects that require each other, each in project order,
/// the sets ordered by their first member.
pub fn bundles(projects: &[Project]) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = strongly_connected(projects)
        .into_iter()
        .filter(|c| c.len() > 1)
        .map(|mut c| {
            c.sort_unstable();
            c
        })
        .collect();
    out.sort_unstable();
    out
}

/// Tarjan's algorithm, iterative so that a long chain of `requires` cannot overflow
/// the stack; linear in projects and dependencies.
fn strongly_connected(projects: &[Project]) -> Vec<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    let n = projects.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut components = Vec::new();
    let mut next_index = 0;
    for start in 0..n {
        if index[start] != UNSEEN {
            continue;
        }
        // (node, position in its `requires` list)
        let mut calls: Vec<(usize, usize)> = vec![(start, 0)];
        index[start] = next_index;
        low[start] = next_index;
        next_index += 1;
        stack.push(start);
        on_stack[start] = true;
        while let Some(&mut (v, ref mut edge)) = calls.last_mut() {
            if let Some(&w) = projects[v].requires.get(*edge) {
                *edge += 1;
                if index[w] == UNSEEN {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    calls.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                components.push(component);
            }
        }
    }
    components
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_requires(edges: &[&[usize]]) -> Vec<Project> {
        edges
            .iter()
            .enumerate()
            .map(|(i, r)| Project {
                id: format!("P{i}"),
                footprint: 0,
                title: String::new(),
                category: String::new(),
                benefit: 0.0,
                maturity_uplift: 0.0,
                capital: vec![],
                revenue: vec![],
                min_fraction: 0.0,
                requires: r.to_vec(),
                exclusive_group: None,
                must_fund: false,
                never_fund: false,
                cost_outside_years: 0.0,
                match_share: 0.0,
                own_match_share: 0.0,
                may_defer: None,
                line: i as u64 + 2,
                whole_life: Default::default(),
            })
            .collect()
    }

    #[test]
    fn circles_of_requires_are_bundles_and_chains_are_not() {
        // 0 → 1 → 2 → 0 is a circle; 3 → 0 hangs off it; 4 ↔ 5; 6 alone.
        let p = with_requires(&[&[1], &[2], &[0], &[0], &[5], &[4], &[]]);
        assert_eq!(bundles(&p), vec![vec![0, 1, 2], vec![4, 5]]);
        let chain = with_requires(&[&[1], &[2], &[]]);
        assert!(bundles(&chain).is_empty());
    }

    #[test]
    fn a_long_chain_does_not_overflow_the_stack() {
        let n = 200_000;
        let mut edges: Vec<Vec<usize>> = (0..n).map(|i| vec![(i + 1) % n]).collect();
        edges[n - 1] = vec![0];
        let refs: Vec<&[usize]> = edges.iter().map(Vec::as_slice).collect();
        let b = bundles(&with_requires(&refs));
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].len(), n);
    }
}
