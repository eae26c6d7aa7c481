//! `kubectl airforce weapon status TASK`: asks every weapon of a task's
//! running pod for its state, live.

use std::process::ExitCode;

use clap::Args;
use futures::future::join_all;

use super::task_pod::task_weapons;
use crate::api::TaskWeaponStatus;
use crate::cli::GlobalArgs;
use crate::cli::report_format::ReportFormat;
use crate::output::color::Palette;
use crate::output::weapons::render_status;
use crate::weapon_link;

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The task: its FlightTask (<mission>.<stage>.<task>), MISSION/TASK or MISSION/STAGE/TASK
    #[arg(add = crate::cli::complete_names::flight_tasks())]
    pub task: String,
    /// Output format
    #[arg(short = 'o', long, value_enum, default_value_t = ReportFormat::Table)]
    pub output: ReportFormat,
}

/// Exits 1 when a weapon could not be reached.
pub async fn run(args: StatusArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let found = task_weapons(&args.task, global).await?;
    let weapons: Vec<TaskWeaponStatus> = join_all(found.sidecars.iter().map(|sidecar| async {
        match found.link.status(&found.pod, sidecar).await {
            Ok(status) => weapon_link::reading(sidecar, &status),
            Err(error) => weapon_link::unreachable(sidecar, &error),
        }
    }))
    .await;
    (args.output).print(&weapons, || render_status(&weapons, Palette::for_stdout()))?;
    let all_answered = weapons
        .iter()
        .all(|w| w.state != TaskWeaponStatus::UNREACHABLE);
    Ok(if all_answered {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
