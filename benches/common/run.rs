//! What every benchmark here does first: run only under `cargo bench`
//! (`cargo test --all-targets` runs bench targets too, without `--bench`).

/// Whether this is `cargo bench`; otherwise says how to run benchmark `name`.
pub fn under_cargo_bench(name: &str) -> bool {
    let benching = std::env::args().any(|arg| arg == "--bench");
    if !benching {
        println!("{name} benchmark: run it with `cargo bench --bench {name}`");
    }
    benching
}
