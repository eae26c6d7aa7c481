//! `kubectl airforce crds`: the CustomResourceDefinitions as the types generate them.

use std::process::ExitCode;

use clap::Args;

#[derive(Debug, Args)]
pub struct CrdsArgs {}

pub fn run(_args: CrdsArgs) -> anyhow::Result<ExitCode> {
    out!("{}", render()?);
    Ok(ExitCode::SUCCESS)
}

/// All CRDs as one multi-document YAML stream.
pub fn render() -> anyhow::Result<String> {
    let mut out = String::new();
    for crd in crate::api::all_crds() {
        out.push_str("---\n");
        out.push_str(&serde_yaml_ng::to_string(&crd)?);
    }
    Ok(out)
}
