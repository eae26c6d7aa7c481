//! The shape of `src/`: imports run one way. Top-level modules form layers
//! (types, then shared pure pieces, then the engines, then the views, then the
//! commands), and no file reaches, however indirectly, back to itself.
//!
//! The graph is read from the source text: every `use` and every path that
//! starts at `crate`, `super`, `self` or a child module, resolved through
//! `pub use` re-exports to the file that defines the item. Test code (`#[cfg(test)]`
//! modules, inline or in their own files) may reach anything and is left out.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Top-level modules from the bottom up. A module may import only from its
/// own layer's neighbours below it: a lower index never imports a higher one,
/// and modules of one layer do not import each other unless listed together
/// in [`SAME_LAYER_EDGES`].
const LAYERS: &[&[&str]] = &[
    // The API types and their contract.
    &["api"],
    // Pure pieces every engine shares, and the process's plumbing.
    &[
        "quantity",
        "graph",
        "pod_security",
        "pod_template",
        "placement",
        "compat",
        "config_file",
        "metrics",
        "kube_client",
        "http_endpoint",
        "weapon_protocol",
    ],
    // The engines, the simulated weapon and the way to real ones.
    &[
        "validate",
        "scheduler",
        "install",
        "weapon_sim",
        "weapon_link",
    ],
    &["controller"],
    // The operator process around the controllers.
    &["operator"],
    // What people read.
    &["output"],
    // The commands.
    &["cli"],
];

/// Imports allowed inside one layer of [`LAYERS`], in one direction only.
const SAME_LAYER_EDGES: &[(&str, &str)] = &[
    ("compat", "quantity"),
    ("kube_client", "metrics"),
    ("placement", "quantity"),
    ("pod_security", "quantity"),
    ("pod_template", "quantity"),
];

#[test]
fn top_level_modules_import_only_from_the_layers_below() {
    let graph = Graph::read();
    let layer_of = |module: &str| {
        LAYERS
            .iter()
            .position(|layer| layer.contains(&module))
            .unwrap_or_else(|| panic!("src/{module} is in no layer of tests/architecture.rs"))
    };
    let mut wrong = Vec::new();
    for ((from, to), site) in graph.module_edges() {
        let allowed = match layer_of(&from).cmp(&layer_of(&to)) {
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Equal => SAME_LAYER_EDGES.contains(&(from.as_str(), to.as_str())),
            std::cmp::Ordering::Less => false,
        };
        if !allowed {
            wrong.push(format!("{from} → {to} (at {site})"));
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n  {}",
        wrong.join("\n  ")
    );
}

#[test]
fn no_file_reaches_back_to_itself() {
    let graph = Graph::read();
    let cycles: Vec<String> = (graph.file_cycles().iter())
        .map(|cycle| graph.describe(cycle))
        .collect();
    assert!(
        cycles.is_empty(),
        "import cycles between files (a parent and its child count too; move what \
         both need into a file of its own):\n{}",
        cycles.join("\n")
    );
}

/// A scanner sanity check, so the two tests above cannot pass by reading
/// nothing.
#[test]
fn the_graph_sees_the_imports_it_should() {
    let graph = Graph::read();
    assert!(graph.files.len() > 100, "{} files", graph.files.len());
    let edges = graph.module_edges();
    for (from, to) in [
        ("cli", "controller"),
        ("controller", "api"),
        ("scheduler", "api"),
    ] {
        assert!(
            edges.contains_key(&(from.to_string(), to.to_string())),
            "{from} → {to} not seen"
        );
    }
    let mission = "src/api/mission.rs";
    assert!(
        graph.edges[mission].contains("src/api/phase.rs"),
        "{:?}",
        graph.edges[mission]
    );
}

struct Graph {
    /// Module path (from the crate root) → file, `src/...`.
    files: BTreeMap<Vec<String>, String>,
    /// File → the files it imports from.
    edges: BTreeMap<String, BTreeSet<String>>,
    /// (from, to) → one place the import is written, `file:line`.
    sites: BTreeMap<(String, String), String>,
}

/// One reference read from a file, before resolution.
struct Reference {
    file: String,
    line: usize,
    path: Vec<String>,
}

impl Graph {
    fn read() -> Graph {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = BTreeMap::new();
        for file in rust_files(&root.join("src")) {
            let relative = file.strip_prefix(root).expect("under the root");
            let display = relative.to_string_lossy().replace('\\', "/");
            if let Some(module) = module_path(&display) {
                files.insert(module, display);
            }
        }
        let children = children_of(&files);
        let mut test_files = BTreeSet::new();
        let mut reexports = BTreeMap::new();
        let mut references = Vec::new();
        for (module, file) in &files {
            let text = fs::read_to_string(root.join(file)).expect("a readable source file");
            let scan = Scan::new(file, module.clone(), &children, &text);
            let scanned = scan.run();
            test_files.extend(
                scanned
                    .test_children
                    .into_iter()
                    .filter_map(|child| files.get(&child).cloned()),
            );
            reexports.extend(scanned.reexports);
            references.extend(scanned.references);
        }
        let mut graph = Graph {
            files: files.clone(),
            edges: BTreeMap::new(),
            sites: BTreeMap::new(),
        };
        for file in files.values() {
            if !test_files.contains(file) {
                graph.edges.entry(file.clone()).or_default();
            }
        }
        for reference in references {
            if test_files.contains(&reference.file) {
                continue;
            }
            let Some(target) = resolve(&files, &reexports, reference.path, 0) else {
                continue;
            };
            if target == reference.file || test_files.contains(&target) {
                continue;
            }
            graph
                .edges
                .entry(reference.file.clone())
                .or_default()
                .insert(target.clone());
            graph
                .sites
                .entry((reference.file.clone(), target))
                .or_insert_with(|| format!("{}:{}", reference.file, reference.line));
        }
        graph
    }

    /// (from, to) between top-level modules → one place it is written.
    fn module_edges(&self) -> BTreeMap<(String, String), String> {
        let mut edges = BTreeMap::new();
        for ((from, to), site) in &self.sites {
            let (from, to) = (top_level(from), top_level(to));
            if from != to && from != "lib" && to != "lib" {
                edges.entry((from, to)).or_insert_with(|| site.clone());
            }
        }
        edges
    }

    /// Every strongly connected set of more than one file, each sorted.
    fn file_cycles(&self) -> Vec<Vec<String>> {
        Tarjan::new(&self.edges).components()
    }

    fn describe(&self, cycle: &[String]) -> String {
        let members: BTreeSet<&String> = cycle.iter().collect();
        let mut lines = vec![format!("  {}:", cycle.join(", "))];
        for from in cycle {
            for to in &self.edges[from] {
                if members.contains(to) {
                    let site = &self.sites[&(from.clone(), to.clone())];
                    lines.push(format!("    {from} → {to} (at {site})"));
                }
            }
        }
        lines.join("\n")
    }
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).expect("a readable directory") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// `src/a/b.rs` and `src/a/b/mod.rs` are module `a::b`; `src/lib.rs` is the
/// root; `src/main.rs` is the binary, outside the library.
fn module_path(file: &str) -> Option<Vec<String>> {
    let inner = file.strip_prefix("src/")?.strip_suffix(".rs")?;
    if inner == "main" {
        return None;
    }
    if inner == "lib" {
        return Some(Vec::new());
    }
    let mut parts: Vec<String> = inner.split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|last| last == "mod") {
        parts.pop();
    }
    Some(parts)
}

fn children_of(files: &BTreeMap<Vec<String>, String>) -> BTreeMap<Vec<String>, BTreeSet<String>> {
    let mut children: BTreeMap<Vec<String>, BTreeSet<String>> = BTreeMap::new();
    for module in files.keys() {
        if let Some((last, parent)) = module.split_last() {
            children
                .entry(parent.to_vec())
                .or_default()
                .insert(last.clone());
        }
    }
    children
}

fn top_level(file: &str) -> String {
    match module_path(file).as_deref() {
        Some([first, ..]) => first.clone(),
        _ => "lib".to_string(),
    }
}

/// The file defining what `path` names: the longest module prefix that is a
/// file, followed through a `pub use` when the next segment is re-exported.
fn resolve(
    files: &BTreeMap<Vec<String>, String>,
    reexports: &BTreeMap<(Vec<String>, String), Vec<String>>,
    path: Vec<String>,
    depth: usize,
) -> Option<String> {
    for cut in (0..=path.len()).rev() {
        let module = &path[..cut];
        if let Some(file) = files.get(module) {
            if let Some(next) = path.get(cut)
                && let Some(target) = reexports.get(&(module.to_vec(), next.clone()))
                && depth < 16
            {
                let mut followed = target.clone();
                followed.extend(path[cut + 1..].iter().cloned());
                return resolve(files, reexports, followed, depth + 1);
            }
            return Some(file.clone());
        }
    }
    None
}

struct Scanned {
    references: Vec<Reference>,
    /// (module, name) → the absolute path a `pub use` there names.
    reexports: BTreeMap<(Vec<String>, String), Vec<String>>,
    /// Child modules declared under `#[cfg(test)]`.
    test_children: Vec<Vec<String>>,
}

/// One file, read token by token with comments, strings and character
/// literals removed.
struct Scan<'a> {
    file: &'a str,
    module: Vec<String>,
    children: &'a BTreeMap<Vec<String>, BTreeSet<String>>,
    code: Vec<(char, usize)>,
}

impl<'a> Scan<'a> {
    fn new(
        file: &'a str,
        module: Vec<String>,
        children: &'a BTreeMap<Vec<String>, BTreeSet<String>>,
        text: &str,
    ) -> Self {
        Scan {
            file,
            module,
            children,
            code: strip(text),
        }
    }

    fn run(self) -> Scanned {
        let tokens = tokenize(&self.code);
        let mut scanned = Scanned {
            references: Vec::new(),
            reexports: BTreeMap::new(),
            test_children: Vec::new(),
        };
        // (module path, brace depth it closes at, whether it is test code).
        let mut scopes: Vec<(Vec<String>, usize, bool)> = vec![(self.module.clone(), 0, false)];
        let mut inline_children: BTreeMap<Vec<String>, BTreeSet<String>> = BTreeMap::new();
        let mut depth = 0;
        let mut cfg_test = false;
        let mut i = 0;
        while i < tokens.len() {
            let (token, line) = (&tokens[i].0, tokens[i].1);
            let (current, _, in_test) = scopes.last().expect("the file's scope").clone();
            match token.as_str() {
                "#" if tokens.get(i + 1).is_some_and(|t| t.0 == "[") => {
                    let end = (i..tokens.len()).find(|&j| tokens[j].0 == "]").unwrap_or(i);
                    let attribute: String = tokens[i..=end].iter().map(|t| t.0.as_str()).collect();
                    if attribute == "#[cfg(test)]" {
                        cfg_test = true;
                    }
                    i = end + 1;
                    continue;
                }
                "mod" => {
                    let name = tokens.get(i + 1).map(|t| t.0.clone()).unwrap_or_default();
                    let mut child = current.clone();
                    child.push(name.clone());
                    match tokens.get(i + 2).map(|t| t.0.as_str()) {
                        Some("{") => {
                            inline_children
                                .entry(current.clone())
                                .or_default()
                                .insert(name);
                            depth += 1;
                            scopes.push((child, depth, in_test || cfg_test));
                            i += 3;
                        }
                        _ => {
                            if cfg_test || in_test {
                                scanned.test_children.push(child);
                            }
                            i += 2;
                        }
                    }
                    cfg_test = false;
                    continue;
                }
                "{" => depth += 1,
                "}" => {
                    if scopes.last().is_some_and(|scope| scope.1 == depth) && scopes.len() > 1 {
                        scopes.pop();
                    }
                    depth -= 1;
                }
                "use" => {
                    let end = (i..tokens.len()).find(|&j| tokens[j].0 == ";").unwrap_or(i);
                    let public = i > 0 && is_visibility(&tokens[..i]);
                    let tree: Vec<&str> = tokens[i + 1..end].iter().map(|t| t.0.as_str()).collect();
                    if !in_test && !cfg_test {
                        for (path, alias) in expand_use(&tree.join(" ")) {
                            let Some(absolute) = self.absolute(&path, &current, &inline_children)
                            else {
                                continue;
                            };
                            if public && alias != "*" {
                                scanned
                                    .reexports
                                    .insert((current.clone(), alias), absolute.clone());
                            }
                            scanned.references.push(Reference {
                                file: self.file.to_string(),
                                line,
                                path: absolute,
                            });
                        }
                    }
                    i = end + 1;
                    cfg_test = false;
                    continue;
                }
                _ if is_identifier(token)
                    && tokens.get(i + 1).is_some_and(|t| t.0 == "::")
                    && (i == 0 || tokens[i - 1].0 != "::") =>
                {
                    let mut path = vec![token.clone()];
                    let mut j = i + 1;
                    while tokens.get(j).is_some_and(|t| t.0 == "::")
                        && tokens.get(j + 1).is_some_and(|t| is_identifier(&t.0))
                    {
                        path.push(tokens[j + 1].0.clone());
                        j += 2;
                    }
                    if !in_test
                        && let Some(absolute) = self.absolute(&path, &current, &inline_children)
                    {
                        scanned.references.push(Reference {
                            file: self.file.to_string(),
                            line,
                            path: absolute,
                        });
                    }
                    i = j;
                    continue;
                }
                _ => {}
            }
            if token != "#" && token != "]" {
                cfg_test = cfg_test && matches!(token.as_str(), "pub" | "(" | ")" | "crate");
            }
            i += 1;
        }
        scanned
    }

    /// `path` from the crate root, when it names something in this crate.
    fn absolute(
        &self,
        path: &[String],
        current: &[String],
        inline_children: &BTreeMap<Vec<String>, BTreeSet<String>>,
    ) -> Option<Vec<String>> {
        let first = path.first()?;
        let mut module = current.to_vec();
        let mut rest = path;
        match first.as_str() {
            "crate" => return Some(path[1..].to_vec()),
            "self" | "super" => {
                while let Some(step) = rest.first() {
                    match step.as_str() {
                        "super" => {
                            module.pop();
                        }
                        "self" => {}
                        _ => break,
                    }
                    rest = &rest[1..];
                }
            }
            name => {
                let is_child = |children: &BTreeMap<Vec<String>, BTreeSet<String>>| {
                    children.get(current).is_some_and(|c| c.contains(name))
                };
                if !is_child(self.children) && !is_child(inline_children) {
                    return None;
                }
            }
        }
        module.extend(rest.iter().cloned());
        Some(module)
    }
}

/// Whether the tokens before a `use` make it visible outside its module.
fn is_visibility(before: &[(String, usize)]) -> bool {
    let words: Vec<&str> = before.iter().rev().take(4).map(|t| t.0.as_str()).collect();
    matches!(words.as_slice(), ["pub", ..] | [")", _, "(", "pub", ..])
}

fn is_identifier(token: &str) -> bool {
    token
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
}

/// `a :: { b , c :: { d , e as f } }` (tokens joined by spaces) → (`a::b`,
/// `b`), (`a::c::d`, `d`), (`a::c::e`, `f`); `x::self` is `x`.
fn expand_use(tree: &str) -> Vec<(Vec<String>, String)> {
    fn walk(tree: &str, prefix: &[String], out: &mut Vec<(Vec<String>, String)>) {
        let mut depth = 0;
        let mut start = 0;
        let mut parts = Vec::new();
        for (index, c) in tree.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    parts.push(&tree[start..index]);
                    start = index + 1;
                }
                _ => {}
            }
        }
        parts.push(&tree[start..]);
        for part in parts.into_iter().map(str::trim).filter(|p| !p.is_empty()) {
            if let Some(open) = part.find('{') {
                let mut path = prefix.to_vec();
                path.extend(segments(&part[..open]));
                walk(&part[open + 1..part.len() - 1], &path, out);
                continue;
            }
            let (path_text, alias) = match part.split_once(" as ") {
                Some((path, alias)) => (path, Some(alias.trim())),
                None => (part, None),
            };
            let mut path = prefix.to_vec();
            path.extend(segments(path_text));
            if path.last().is_some_and(|last| last == "self") {
                path.pop();
            }
            let name = alias
                .map(str::to_string)
                .or_else(|| path.last().cloned())
                .unwrap_or_default();
            if path.last().is_some_and(|last| last == "*") {
                path.pop();
                out.push((path, "*".to_string()));
            } else {
                out.push((path, name));
            }
        }
    }
    let mut out = Vec::new();
    walk(tree, &[], &mut out);
    out
}

fn segments(text: &str) -> Vec<String> {
    text.split("::")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The characters of code with their line, comments and literals removed.
fn strip(text: &str) -> Vec<(char, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    let starts = |i: usize, s: &str| {
        s.chars()
            .enumerate()
            .all(|(k, c)| chars.get(i + k) == Some(&c))
    };
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
        }
        if starts(i, "//") {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if starts(i, "/*") {
            let mut nesting = 0;
            while i < chars.len() {
                if starts(i, "/*") {
                    nesting += 1;
                    i += 2;
                } else if starts(i, "*/") {
                    nesting -= 1;
                    i += 2;
                    if nesting == 0 {
                        break;
                    }
                } else {
                    if chars[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
            continue;
        }
        let word_before = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
        if c == 'r' && !word_before && (starts(i, "r\"") || starts(i, "r#")) {
            let hashes = chars[i + 1..].iter().take_while(|&&c| c == '#').count();
            if chars.get(i + 1 + hashes) == Some(&'"') {
                i += 2 + hashes;
                while i < chars.len() {
                    if chars[i] == '"'
                        && chars[i + 1..]
                            .iter()
                            .take(hashes)
                            .filter(|&&c| c == '#')
                            .count()
                            == hashes
                    {
                        i += 1 + hashes;
                        break;
                    }
                    if chars[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
                out.push(('"', line));
                out.push(('"', line));
                continue;
            }
        }
        if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\n' {
                    line += 1;
                }
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push(('"', line));
            out.push(('"', line));
            continue;
        }
        if c == '\'' {
            // A character literal ('a', '\n', '\u{1F600}'), not a lifetime.
            let close = if chars.get(i + 1) == Some(&'\\') {
                (i + 2..chars.len().min(i + 12)).find(|&k| chars[k] == '\'')
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            if let Some(close) = close {
                i = close + 1;
                out.push((' ', line));
                continue;
            }
        }
        out.push((c, line));
        i += 1;
    }
    out
}

/// Identifiers, `::`, and single punctuation characters, each with its line.
fn tokenize(code: &[(char, usize)]) -> Vec<(String, usize)> {
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < code.len() {
        let (c, line) = code[i];
        if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < code.len() && (code[i].0.is_alphanumeric() || code[i].0 == '_') {
                i += 1;
            }
            tokens.push((code[start..i].iter().map(|p| p.0).collect(), line));
            continue;
        }
        if c == ':' && code.get(i + 1).is_some_and(|p| p.0 == ':') {
            tokens.push(("::".to_string(), line));
            i += 2;
            continue;
        }
        if c == '*' {
            tokens.push(("*".to_string(), line));
        } else if !c.is_whitespace() {
            tokens.push((c.to_string(), line));
        }
        i += 1;
    }
    tokens
}

/// Strongly connected components, iteratively (no recursion to overflow).
struct Tarjan<'a> {
    edges: &'a BTreeMap<String, BTreeSet<String>>,
    index: BTreeMap<&'a str, usize>,
    low: BTreeMap<&'a str, usize>,
    stack: Vec<&'a str>,
    on_stack: BTreeSet<&'a str>,
    found: Vec<Vec<String>>,
}

impl<'a> Tarjan<'a> {
    fn new(edges: &'a BTreeMap<String, BTreeSet<String>>) -> Self {
        Tarjan {
            edges,
            index: BTreeMap::new(),
            low: BTreeMap::new(),
            stack: Vec::new(),
            on_stack: BTreeSet::new(),
            found: Vec::new(),
        }
    }

    fn components(mut self) -> Vec<Vec<String>> {
        let nodes: Vec<&'a str> = self.edges.keys().map(String::as_str).collect();
        for node in nodes {
            if !self.index.contains_key(node) {
                self.visit(node);
            }
        }
        self.found
    }

    fn successors(&self, node: &str) -> Vec<&'a str> {
        self.edges
            .get(node)
            .map(|next| next.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }

    fn visit(&mut self, start: &'a str) {
        // (node, its successors, how many of them are done)
        let mut work: Vec<(&'a str, Vec<&'a str>, usize)> = Vec::new();
        self.open(start);
        work.push((start, self.successors(start), 0));
        while let Some((node, next, done)) = work.last_mut() {
            let node = *node;
            if let Some(&successor) = next.get(*done) {
                *done += 1;
                if !self.index.contains_key(successor) {
                    self.open(successor);
                    let successors = self.successors(successor);
                    work.push((successor, successors, 0));
                } else if self.on_stack.contains(successor) {
                    let low = self.low[node].min(self.index[successor]);
                    self.low.insert(node, low);
                }
                continue;
            }
            work.pop();
            if let Some((parent, ..)) = work.last() {
                let low = self.low[*parent].min(self.low[node]);
                self.low.insert(parent, low);
            }
            if self.low[node] == self.index[node] {
                let mut component = Vec::new();
                while let Some(member) = self.stack.pop() {
                    self.on_stack.remove(member);
                    component.push(member.to_string());
                    if member == node {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    self.found.push(component);
                }
            }
        }
    }

    fn open(&mut self, node: &'a str) {
        let next = self.index.len();
        self.index.insert(node, next);
        self.low.insert(node, next);
        self.stack.push(node);
        self.on_stack.insert(node);
    }
}
