//! The command line: one module per command group, each an `Args` struct and a
//! `run` function. The clap definition is the documentation: doc comments
//! become `--help`, completions and man pages.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// `print!` for a command's output: see [`stdout`].
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cli::stdout::write(format_args!($($arg)*))
    };
}

/// `println!` for a command's output: see [`stdout`].
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cli::stdout::write(format_args!("{}\n", format_args!($($arg)*)))
    };
}

pub mod armoury_arg;
pub mod complete_names;
pub mod completion;
pub mod confirm;
pub mod crds;
pub mod dashboard;
pub mod generated_docs;
mod global;
pub mod install;
pub mod logging;
pub mod logs;
pub mod mission;
pub mod node;
pub mod output_format;
pub mod report_format;
pub mod run;
pub mod schedule;
pub mod serving;
pub mod stdout;
pub mod task_arg;
pub mod uninstall;
pub mod watch;
pub mod weapon;

pub use global::{GlobalArgs, connect, ensure_crds, kubectl_verbosity};

/// Plan, validate, run and watch air missions on Kubernetes.
///
/// A kubectl plugin and an operator in one binary: `kubectl airforce mission submit`
/// sends a mission, `kubectl airforce install` sets the operator up in a cluster.
#[derive(Debug, Parser)]
#[command(
    name = "kubectl-airforce",
    bin_name = "kubectl airforce",
    version,
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate and submit missions
    #[command(subcommand)]
    Mission(mission::MissionCommand),
    /// Follow missions live: stages, flight tasks and pods as a tree
    ///
    /// On a terminal the tree is redrawn in place as the watches report changes; in a
    /// pipe or a CI log each change is one timestamped line (UTC), with the final trees
    /// at the end. Without MISSION, every mission in the namespace is shown. Exits when
    /// every mission shown has finished: 0 when all succeeded, 1 when any failed, 3 when
    /// none failed but one was cancelled.
    Watch(watch::WatchArgs),
    /// Print the output of a mission's task pods, every line prefixed [stage/task#attempt]
    ///
    /// Without TASK, every task of the mission; by default the latest attempt of each.
    /// The operator keeps the pods of failed attempts (keepFailedPods in its
    /// configuration), so `--attempt all` reads every attempt whose pod is still there
    /// and names on stderr the ones whose pod is gone. With -f, one task is followed
    /// while it runs, through its retries, until it has ended.
    Logs(logs::LogsArgs),
    /// Set and list aircraft: nodes described by aircraft.mil/ labels
    #[command(subcommand)]
    Node(node::NodeCommand),
    /// Serve the web console: missions with live stage graphs, aircraft, weapons, health
    ///
    /// Prints the console's URL with its access token and serves until Ctrl-C. The
    /// console reads the cluster with your credentials, so your RBAC applies; it listens
    /// on loopback unless --address says otherwise. Cancel, retry and approve are
    /// offered only with --allow-actions, each confirmed first.
    Dashboard(dashboard::DashboardArgs),
    /// Check which aircraft can carry a weapon
    #[command(subcommand)]
    Weapon(weapon::WeaponCommand),
    /// Install the CRDs and the operator into the cluster
    Install(install::InstallArgs),
    /// Remove what `install` created
    Uninstall(uninstall::UninstallArgs),
    /// Print the CustomResourceDefinitions as YAML
    Crds(crds::CrdsArgs),
    /// Run the operator's controllers in this process
    ///
    /// The mission, stage, flight-task, aircraft and weapon controllers and the
    /// aircraft-scheduler, against the current context, in every namespace unless -n
    /// names one. Task pods are placed by the aircraft-scheduler (or by kube-scheduler
    /// with --scheduler default). Stops cleanly on Ctrl-C or SIGTERM.
    Run(run::RunArgs),
    /// Explain the aircraft-scheduler's decisions
    #[command(subcommand)]
    Schedule(schedule::ScheduleCommand),
    /// Print a shell completion script
    ///
    /// The bash, zsh, fish and PowerShell scripts complete `kubectl-airforce`; load
    /// one from the shell's startup file:
    ///   # bash, in ~/.bashrc
    ///   source <(kubectl airforce completion bash)
    ///   # zsh, in ~/.zshrc after compinit
    ///   source <(kubectl airforce completion zsh)
    ///   # fish, in ~/.config/fish/config.fish
    ///   kubectl airforce completion fish | source
    ///   # PowerShell, in $PROFILE
    ///   kubectl airforce completion powershell | Out-String | iex
    ///
    /// `kubectl airforce <TAB>` is completed by kubectl (1.26 or newer), which runs
    /// kubectl_complete-airforce from PATH; install it next to the binary:
    ///   cd "$(dirname "$(command -v kubectl-airforce)")"
    ///   kubectl airforce completion kubectl > kubectl_complete-airforce
    ///   chmod +x kubectl_complete-airforce
    #[command(verbatim_doc_comment)]
    Completion(completion::CompletionArgs),
}

impl Cli {
    /// How much to log: `-v` as given, raised for a command whose log is its output.
    pub fn verbosity(&self) -> u8 {
        let least = match &self.command {
            Command::Weapon(command) => command.least_verbosity(),
            _ => 0,
        };
        self.global.verbose.max(least)
    }

    pub async fn run(self) -> anyhow::Result<ExitCode> {
        let global = self.global;
        match self.command {
            Command::Mission(command) => command.run(&global).await,
            Command::Watch(args) => watch::run(args, &global).await,
            Command::Logs(args) => logs::run(args, &global).await,
            Command::Node(command) => command.run(&global).await,
            Command::Dashboard(args) => dashboard::run(args, &global).await,
            Command::Weapon(command) => command.run(&global).await,
            Command::Install(args) => install::run(args, &global).await,
            Command::Uninstall(args) => uninstall::run(args, &global).await,
            Command::Crds(args) => crds::run(args),
            Command::Run(args) => run::run(args, &global).await,
            Command::Schedule(command) => command.run(&global).await,
            Command::Completion(args) => completion::run(args),
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_clap_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
