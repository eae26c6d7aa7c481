//! Asking before destructive commands: a prompt on a terminal, `--yes` to
//! skip it, and never a hang when there is no terminal to ask on.

use std::io::IsTerminal;

use anyhow::{Context, bail};

/// Whether to go ahead with what `prompt` describes. `yes` answers for the
/// user; without a terminal and without `yes` this fails and names the flag.
pub fn confirm(prompt: &str, yes: bool) -> anyhow::Result<bool> {
    if yes {
        return Ok(true);
    }
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        bail!("{prompt} There is no terminal to confirm on: pass --yes to go ahead");
    }
    dialoguer::Confirm::new()
        .with_prompt(prompt)
        .default(false)
        .interact()
        .context("cannot read the confirmation: pass --yes to skip it")
}
