//! `kubectl airforce weapon self-check TASK`: has every weapon of a task's
//! running pod check itself, and prints each component's verdict.

use std::process::ExitCode;

use clap::Args;
use futures::future::join_all;

use super::task_pod::task_weapons;
use crate::cli::GlobalArgs;
use crate::cli::report_format::ReportFormat;
use crate::output::color::Palette;
use crate::output::weapons::{ComponentReport, SelfCheckReport, render_self_checks};

#[derive(Debug, Args)]
pub struct SelfCheckArgs {
    /// The task: its FlightTask (<mission>.<stage>.<task>), MISSION/TASK or MISSION/STAGE/TASK
    #[arg(add = crate::cli::complete_names::flight_tasks())]
    pub task: String,
    /// Output format
    #[arg(short = 'o', long, value_enum, default_value_t = ReportFormat::Table)]
    pub output: ReportFormat,
}

/// Exits 1 when a weapon fails its check or cannot be reached. A failed
/// check puts the weapon in FAULT, as the protocol says.
pub async fn run(args: SelfCheckArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let found = task_weapons(&args.task, global).await?;
    let reports: Vec<SelfCheckReport> = join_all(found.sidecars.iter().map(|sidecar| async {
        match found.link.self_check(&found.pod, sidecar).await {
            Ok(check) => SelfCheckReport {
                weapon: sidecar.weapon.clone(),
                passed: check.passed,
                components: (check.components.into_iter())
                    .map(|c| ComponentReport {
                        component: c.component,
                        passed: c.passed,
                        detail: c.detail,
                    })
                    .collect(),
                error: None,
            },
            Err(error) => SelfCheckReport {
                weapon: sidecar.weapon.clone(),
                passed: false,
                components: Vec::new(),
                error: Some(error.to_string()),
            },
        }
    }))
    .await;
    (args.output).print(&reports, || {
        render_self_checks(&reports, Palette::for_stdout())
    })?;
    Ok(if reports.iter().all(|r| r.passed) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
