//! `kubectl-airforce`: parse the command line, set up logging, run, map to an exit code.

use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use kubectl_airforce::cli::Cli;
use kubectl_airforce::cli::completion::COMPLETE_VAR;

fn main() -> ExitCode {
    // A shell asking for completions (COMPLETE=<shell>) is answered here, and
    // the process ends.
    clap_complete::CompleteEnv::with_factory(Cli::command)
        .var(COMPLETE_VAR)
        .complete();
    let cli = Cli::parse_from(kubectl_airforce::cli::kubectl_verbosity(std::env::args_os()));
    kubectl_airforce::cli::logging::init(cli.verbosity());
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cli.run()) {
        Ok(code) => code,
        Err(error) => {
            kubectl_airforce::output::error::print(&error);
            ExitCode::FAILURE
        }
    }
}
