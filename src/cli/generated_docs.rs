//! The files under completions/ and man/, generated from the clap definition,
//! and under crds/, generated from the API types.
//!
//! They are committed so that packagers and readers get them without building
//! (and `kubectl apply -f crds/` works from a checkout); `mission validate`
//! reads its schemas from the committed CRDs, which is much cheaper than
//! generating them on every run;
//! `tests/generated_docs.rs` compares the checkout with this list and rewrites
//! it when `AIRFORCE_UPDATE_DOCS=1` is set.

use clap::{CommandFactory, ValueEnum};

use super::Cli;
use super::completion::{BIN_NAME, Shell};

/// The directories this module owns: every file in them is generated.
pub const DIRECTORIES: [&str; 3] = ["completions", "crds", "man"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Relative to the repository root, with `/` separators.
    pub path: String,
    pub contents: Vec<u8>,
    /// Run rather than sourced or read, so it must carry the execute bit.
    pub executable: bool,
}

/// One completion script per shell, one man page per command (subcommands
/// included) and one file per CRD, sorted by path.
pub fn generated_files() -> Vec<GeneratedFile> {
    let mut files: Vec<GeneratedFile> = Shell::value_variants()
        .iter()
        .map(|&shell| GeneratedFile {
            path: format!("completions/{}", shell.file_name()),
            contents: shell.script(),
            executable: shell == Shell::Kubectl,
        })
        .collect();
    // `help SUBCOMMAND` only repeats --help; it deserves no page of its own.
    let mut root = Cli::command().disable_help_subcommand(true);
    // Building names every subcommand after its parents, which the page names use.
    root.build();
    add_man_pages(&root, &mut files);
    files.extend(crate::api::all_crds().into_iter().map(|crd| {
        GeneratedFile {
            path: format!(
                "crds/{}.yaml",
                crd.metadata.name.as_deref().unwrap_or_default()
            ),
            contents: serde_yaml_ng::to_string(&crd)
                .expect("a CRD always serializes")
                .into_bytes(),
            executable: false,
        }
    }));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

fn add_man_pages(command: &clap::Command, files: &mut Vec<GeneratedFile>) {
    // clap_mangen names the subcommand alone as the source; the footer should name
    // the program and version every page belongs to.
    let page = clap_mangen::Man::new(command.clone()).source(format!(
        "{} {}",
        BIN_NAME,
        env!("CARGO_PKG_VERSION")
    ));
    let mut contents = Vec::new();
    page.render(&mut contents)
        .expect("rendering into memory cannot fail");
    files.push(GeneratedFile {
        path: format!("man/{}", page.get_filename()),
        contents,
        executable: false,
    });
    for subcommand in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        add_man_pages(subcommand, files);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_gets_a_page_named_after_its_path() {
        let paths: Vec<String> = generated_files().into_iter().map(|f| f.path).collect();
        for page in [
            "man/kubectl-airforce.1",
            "man/kubectl-airforce-mission-submit.1",
            "man/kubectl-airforce-completion.1",
        ] {
            assert!(
                paths.iter().any(|p| p == page),
                "{page} missing from {paths:?}"
            );
        }
        assert!(
            !paths.iter().any(|p| p.contains("-help")),
            "help pages: {paths:?}"
        );
    }

    #[test]
    fn only_the_kubectl_shim_is_executable() {
        let executables: Vec<String> = generated_files()
            .into_iter()
            .filter(|f| f.executable)
            .map(|f| f.path)
            .collect();
        assert_eq!(executables, ["completions/kubectl_complete-airforce"]);
    }
}
