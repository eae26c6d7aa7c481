//! `kubectl airforce mission …`

use std::process::ExitCode;

use clap::Subcommand;

use super::GlobalArgs;

pub mod approve;
pub mod cancel;
mod cancel_part;
pub(crate) mod cancel_request;
pub mod delete;
pub mod describe;
pub mod diff;
pub(crate) mod gate_decision;
pub mod get;
pub mod list;
pub(crate) mod named;
pub mod reject;
pub mod resubmit;
pub mod resume;
pub mod retry;
mod retry_part;
pub mod submit;
pub mod suspend;
pub mod validate;

#[derive(Debug, Subcommand)]
pub enum MissionCommand {
    /// Check mission files offline and report every problem
    Validate(validate::ValidateArgs),
    /// Validate, then create or update missions with server-side apply
    Submit(submit::SubmitArgs),
    /// Show what submit would change, as a unified diff of the live and the merged objects
    ///
    /// The merged object is what the API server would store: a server-side dry
    /// run of the same apply. Exit code 0 when nothing would change, 1 when
    /// something would, 2 when the diff could not be made (as kubectl diff).
    ///
    /// Examples:
    ///   kubectl airforce mission diff -f examples/far-sea-strike.yaml
    ///   kubectl airforce mission diff -f missions/ && echo "nothing to submit"
    #[command(verbatim_doc_comment)]
    Diff(diff::DiffArgs),
    /// List the missions with their phase, progress, retries and age
    ///
    /// Examples:
    ///   kubectl airforce mission list
    ///   kubectl airforce mission list -A -o wide
    ///   kubectl airforce mission list -l team=blue -o name
    #[command(verbatim_doc_comment)]
    List(list::ListArgs),
    /// Show missions by name, as a table or as whole objects (-o yaml|json)
    Get(get::GetArgs),
    /// Show a mission in detail: fields, tree, conditions and recent events
    Describe(describe::DescribeArgs),
    /// Delete missions with their stages, flight tasks and pods (asks first; -y skips)
    Delete(delete::DeleteArgs),
    /// Stop running missions, or one stage or task of one
    ///
    /// A whole mission: nothing new starts, running stages stop and their pods
    /// are stopped (they stay, with their logs), and the mission ends Cancelled.
    /// With --stage (and --task) only that part stops; it ends Failed with reason
    /// Cancelled and the mission's failure policy decides what follows. A stopped
    /// task's armed weapons are told to Abort before its pod stops.
    ///
    /// Examples:
    ///   kubectl airforce mission cancel far-sea-strike
    ///   kubectl airforce mission cancel far-sea-strike --stage strike -y
    ///   kubectl airforce mission cancel far-sea-strike --stage strike --task strike-2
    #[command(verbatim_doc_comment)]
    Cancel(cancel::CancelArgs),
    /// Run the failed flight tasks of failed missions again; what succeeded is kept
    ///
    /// Succeeded stages and tasks stay as they are; each failed task runs again
    /// as a new flight task with fresh pods and retries, and the stages the
    /// failure kept from starting start once their dependencies succeed. With
    /// --stage (and --task), one failed stage (or task) of a mission that is
    /// still running runs again while the rest flies.
    ///
    /// Examples:
    ///   kubectl airforce mission retry far-sea-strike
    ///   kubectl airforce mission retry far-sea-strike && kubectl airforce watch far-sea-strike
    ///   kubectl airforce mission retry far-sea-strike --stage strike
    ///   kubectl airforce mission retry far-sea-strike --stage strike --task strike-2
    #[command(verbatim_doc_comment)]
    Retry(retry::RetryArgs),
    /// Start a fresh run of a mission: a new mission with the same spec
    ///
    /// The new mission is named after the old one with five random characters
    /// (or --name), and carries its labels and annotations but none of the
    /// requests made to the old run (cancel, retry, suspension, gate
    /// decisions). The old mission and its record stay. To run only what
    /// failed again, keeping what succeeded, use `mission retry`.
    ///
    /// Examples:
    ///   kubectl airforce mission resubmit far-sea-strike
    ///   kubectl airforce watch "$(kubectl airforce mission resubmit far-sea-strike -o name)"
    #[command(verbatim_doc_comment)]
    Resubmit(resubmit::ResubmitArgs),
    /// Open a stage waiting at its approval gate
    ///
    /// Records you (as the API server knows you) as the approver, with the
    /// time and an optional message, in the stage's status and an Event; the
    /// stage's tasks then start. When the gate names approvers, the API server
    /// refuses anyone else.
    ///
    /// Examples:
    ///   kubectl airforce mission approve far-sea-strike strike
    ///   kubectl airforce mission approve far-sea-strike strike -m "targets confirmed"
    #[command(verbatim_doc_comment)]
    Approve(approve::ApproveArgs),
    /// Fail a stage waiting at its approval gate; the failure policy applies
    ///
    /// The stage fails with reason Rejected and runs nothing; with the
    /// mission's default failure policy (abort) the mission fails too. Who
    /// rejected, when and why are kept in the stage's status and an Event.
    ///
    /// Examples:
    ///   kubectl airforce mission reject far-sea-strike strike --reason "targets not confirmed"
    #[command(verbatim_doc_comment)]
    Reject(reject::RejectArgs),
    /// Hold missions: no new stage or flight task starts; running ones finish
    ///
    /// Sets spec.suspend, so `kubectl patch` or a GitOps tool can do the
    /// same; `mission resume` carries on. With --now (spec.suspendMode: stop)
    /// running flight tasks are stopped too and run again on resume without
    /// spending a retry. A stage's timeout keeps running while its mission is
    /// suspended.
    ///
    /// Examples:
    ///   kubectl airforce mission suspend far-sea-strike
    ///   kubectl airforce mission suspend far-sea-strike --now
    ///   kubectl patch mission far-sea-strike --type merge -p '{"spec":{"suspend":true}}'
    #[command(verbatim_doc_comment)]
    Suspend(suspend::SuspendArgs),
    /// Carry on with suspended missions
    ///
    /// Clears spec.suspend: the stages and flight tasks the suspension held
    /// back start as their dependencies allow.
    ///
    /// Examples:
    ///   kubectl airforce mission resume far-sea-strike
    #[command(verbatim_doc_comment)]
    Resume(resume::ResumeArgs),
}

impl MissionCommand {
    pub async fn run(self, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
        match self {
            Self::Validate(args) => validate::run(args, global).await,
            Self::Submit(args) => submit::run(args, global).await,
            Self::Diff(args) => diff::run(args, global).await,
            Self::List(args) => list::run(args, global).await,
            Self::Get(args) => get::run(args, global).await,
            Self::Describe(args) => describe::run(args, global).await,
            Self::Delete(args) => delete::run(args, global).await,
            Self::Cancel(args) => cancel::run(args, global).await,
            Self::Retry(args) => retry::run(args, global).await,
            Self::Resubmit(args) => resubmit::run(args, global).await,
            Self::Approve(args) => approve::run(args, global).await,
            Self::Reject(args) => reject::run(args, global).await,
            Self::Suspend(args) => suspend::run(args, global).await,
            Self::Resume(args) => resume::run(args, global).await,
        }
    }
}
