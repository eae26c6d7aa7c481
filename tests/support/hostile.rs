//! Hostile mission files, shared by the hostile-input test and the validate
//! benchmark: bombs that expand, nestings that overflow recursive readers,
//! lists past any limit, garbage, and seeded mutations of the examples.

use std::path::PathBuf;

/// xorshift64*: small, seeded, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mission(stages: &str) -> String {
    format!(
        "apiVersion: airforce.mil/v1alpha1\nkind: Mission\nmetadata: {{name: m}}\nspec:\n  stages:\n{stages}"
    )
}

fn task(name: &str) -> String {
    format!("    - name: {name}\n      aircraftRequirement: {{type: j20}}\n")
}

/// The inputs the limits exist for, by name.
pub fn bombs() -> Vec<(String, Vec<u8>)> {
    let mut cases: Vec<(&str, String)> = Vec::new();
    cases.push(("nested-dashes-50000", format!("{}x\n", "- ".repeat(50_000))));
    cases.push((
        "flow-lists-100000",
        format!("{}{}\n", "[".repeat(100_000), "]".repeat(100_000)),
    ));
    cases.push((
        "flow-maps-100000",
        format!("{}1{}\n", "{a: ".repeat(100_000), "}".repeat(100_000)),
    ));
    let block: String = (0..2_000)
        .map(|depth| format!("{}a:\n", " ".repeat(depth)))
        .collect();
    cases.push((
        "block-maps-2000",
        format!("{block}{}1\n", " ".repeat(2_000)),
    ));
    let block: String = (0..10_000)
        .map(|depth| format!("{}-\n", " ".repeat(depth)))
        .collect();
    cases.push(("block-lists-10000", block));
    let anchor = format!(
        "[{}]",
        vec![format!("\"{}\"", "y".repeat(40)); 1_000].join(",")
    );
    cases.push((
        "one-anchor-aliased-10000-times",
        format!("a: &a {anchor}\nb: [{}]\n", vec!["*a"; 10_000].join(",")),
    ));
    let mut laughs = "a0: &a0 [x,x,x,x,x,x,x,x,x,x]\n".to_string();
    for level in 1..10 {
        let previous = vec![format!("*a{}", level - 1); 10].join(",");
        laughs.push_str(&format!("a{level}: &a{level} [{previous}]\n"));
    }
    cases.push(("billion-laughs", laughs));
    let mut merges = "a0: &a0 {k0: 1}\n".to_string();
    for level in 1..16 {
        let previous = vec![format!("*a{}", level - 1); 10].join(",");
        merges.push_str(&format!(
            "a{level}: &a{level} {{<<: [{previous}], k{level}: 1}}\n"
        ));
    }
    cases.push(("merge-key-bomb", merges));
    let tasks: String = (0..100_000).map(|i| task(&format!("t{i}"))).collect();
    cases.push((
        "tasks-100000",
        mission(&format!("  - name: s\n    flightTasks:\n{tasks}")),
    ));
    let stages: String = (0..100_000)
        .map(|i| format!("  - name: s{i}\n    flightTasks:\n{}", task("t")))
        .collect();
    cases.push(("stages-100000", mission(&stages)));
    let dense = tasks_depending_on(2_000, 2_000);
    cases.push((
        "all-to-all-tasks-2000",
        mission(&format!(
            "  - name: s\n    type: mixed\n    flightTasks:\n{dense}"
        )),
    ));
    let dense: String = (0..2_000)
        .map(|i| {
            let deps: Vec<String> = (0..i).map(|d| format!("s{d}")).collect();
            format!(
                "  - name: s{i}\n    dependsOn: [{}]\n    flightTasks:\n{}",
                deps.join(","),
                task("t")
            )
        })
        .collect();
    cases.push(("all-to-all-stages-2000", mission(&dense)));
    let within = tasks_depending_on(100, 20);
    cases.push((
        "dense-tasks-at-the-limits",
        mission(&format!(
            "  - name: s\n    type: mixed\n    flightTasks:\n{within}"
        )),
    ));
    cases.push((
        "huge-string",
        mission(&format!(
            "  - name: {}\n    flightTasks:\n{}",
            "x".repeat(2_000_000),
            task("t")
        )),
    ));
    cases.push(("huge-key", format!("apiVersion: airforce.mil/v1alpha1\nkind: Mission\nmetadata: {{name: m}}\nspec:\n  {}: 1\n", "k".repeat(2_000_000))));
    cases.push((
        "million-numbers",
        format!("[{}]\n", vec!["1"; 1_000_000].join(",")),
    ));
    let bad: String = (0..100).map(|i| task(&format!("T_{i}"))).collect();
    cases.push((
        "a-hundred-bad-names",
        mission(&format!("  - name: s\n    flightTasks:\n{bad}")),
    ));
    cases.push((
        "over-the-size-limit",
        format!("# {}\n", "z".repeat(4 * 1024 * 1024)),
    ));
    cases.push((
        "nan-and-inf",
        mission(&format!("  - name: s\n    flightTasks:\n{}      maxRetries: .nan\n      aircraftRequirement: {{type: j20, minFuelLevel: .inf}}\n", task("t").replace("      aircraftRequirement: {type: j20}\n", ""))),
    ));
    cases.push((
        "bad-quantities",
        mission(&format!("  - name: s\n    flightTasks:\n{}      podTemplate: {{spec: {{containers: [{{name: c, image: busybox, resources: {{requests: {{cpu: 12xx, memory: lots}}}}}}]}}}}\n", task("t"))),
    ));
    cases.push(("empty", String::new()));
    cases.push(("only-comments", "# nothing here\n# at all\n".to_string()));
    cases.push(("only-separators", "---\n---\n...\n".to_string()));
    cases.push(("a-tab-indent", "a:\n\tb: 1\n".to_string()));
    cases.push(("unclosed-flow", "spec: {stages: [\n".to_string()));
    cases.push(("anchor-cycle-ish", "a: &a [*a]\n".to_string()));
    let mut named: Vec<(String, Vec<u8>)> = (cases.into_iter())
        .map(|(name, text)| (name.to_string(), text.into_bytes()))
        .collect();
    named.push((
        "invalid-utf8".into(),
        vec![0x61, 0x3a, 0x20, 0xff, 0xfe, 0x0a],
    ));
    named.push(("nul-bytes".into(), b"a: \0\0\0\n".to_vec()));
    named
}

/// Seeded mutations of the example files: lines dropped, doubled, swapped,
/// re-indented, cut; bytes flipped; values swapped for huge or odd ones.
pub fn mutations(seed: u64, count: usize) -> Vec<(String, Vec<u8>)> {
    let mut examples: Vec<PathBuf> = vec![
        "examples/far-sea-strike.yaml".into(),
        "examples/weapons.yaml".into(),
    ];
    let mut invalid: Vec<PathBuf> = (std::fs::read_dir("examples/invalid")
        .expect("examples/invalid"))
    .map(|entry| entry.expect("an entry").path())
    .collect();
    invalid.sort();
    examples.extend(invalid);
    let texts: Vec<String> = (examples.iter())
        .map(|path| std::fs::read_to_string(path).expect("an example"))
        .collect();
    let odd = [
        "\"\"",
        "null",
        "~",
        "[]",
        "{}",
        ".nan",
        "-.inf",
        "1e999",
        "99999999999999999999",
        "-1",
        "0x10",
        "yes",
        "!!binary aGVsbG8=",
        "*undefined",
        "&a",
        "'",
        "\"",
        "{",
        "[",
        "- - -",
        "? [a]",
        "<<: *a",
        "12xx",
        "-5Gi",
    ];
    let mut rng = Rng(seed.max(1));
    (0..count)
        .map(|case| {
            let base = rng.below(texts.len());
            let mut lines: Vec<String> = texts[base].lines().map(str::to_string).collect();
            for _ in 0..=rng.below(3) {
                let at = rng.below(lines.len());
                match rng.below(9) {
                    0 => {
                        lines.remove(at);
                    }
                    1 => {
                        let line = lines[at].clone();
                        lines.insert(at, line);
                    }
                    2 => {
                        let other = rng.below(lines.len());
                        lines.swap(at, other);
                    }
                    3 => {
                        lines[at] =
                            format!("{}{}", " ".repeat(rng.below(5)), lines[at].trim_start())
                    }
                    4 => lines.truncate(at),
                    5 => {
                        if let Some((key, _)) = lines[at].split_once(": ") {
                            lines[at] = format!("{key}: {}", odd[rng.below(odd.len())]);
                        }
                    }
                    6 => {
                        if let Some((key, _)) = lines[at].split_once(": ") {
                            lines[at] = format!("{key}: {}", "w".repeat(1 + rng.below(200_000)));
                        }
                    }
                    7 => {
                        let block: Vec<String> = lines[at..].iter().take(8).cloned().collect();
                        for _ in 0..rng.below(200) {
                            lines.extend(block.iter().cloned());
                        }
                    }
                    _ => lines.insert(at, odd[rng.below(odd.len())].to_string()),
                }
                if lines.is_empty() {
                    lines.push(String::new());
                }
            }
            let mut bytes = lines.join("\n").into_bytes();
            if rng.below(10) == 0 && !bytes.is_empty() {
                let at = rng.below(bytes.len());
                bytes[at] ^= 1 << rng.below(8);
            }
            (
                format!("mutation-{case}-of-{}", examples[base].display()),
                bytes,
            )
        })
        .collect()
}

/// `count` tasks `t0`, `t1`, … of a mixed stage, each depending on the (at
/// most) `reach` tasks listed just before it.
fn tasks_depending_on(count: usize, reach: usize) -> String {
    (0..count)
        .map(|i| {
            let deps: Vec<String> = (i.saturating_sub(reach)..i)
                .map(|d| format!("t{d}"))
                .collect();
            format!(
                "{}      dependsOn: [{}]\n",
                task(&format!("t{i}")),
                deps.join(",")
            )
        })
        .collect()
}
