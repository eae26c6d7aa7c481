//! Weapons a task borrows from a pool: its pod is built only once every pool
//! its loadout draws on has lent it an instance. Until then the task waits,
//! Pending, with the WeaponsBorrowed condition False saying which pools it
//! waits for. The wait has no time limit, as a queue for a shared resource
//! has none: the pool serves its waiting tasks in the order they came.

use k8s_openapi::jiff::Timestamp;
use kube::runtime::events::EventType;

use super::TaskPlan;
use crate::api::conditions::{self, reasons, types};
use crate::api::{FlightTask, FlightTaskPhase};
use crate::controller::pool_plan::Borrowed;
use crate::controller::report::PlanEvent;
use crate::controller::task_status::Conditions;

impl TaskPlan {
    /// This plan when the pod it asks for must wait for pool instances
    /// (`waiting`, one line per pool): nothing is created, the wait is told on
    /// the task (an event the first time), and the loan wakes the task.
    pub fn waiting_for_weapons(
        mut self,
        task: &FlightTask,
        waiting: &[String],
        now: Timestamp,
    ) -> Self {
        let status = &mut self.status;
        let already = conditions::find(&status.conditions, types::WEAPONS_BORROWED)
            .is_some_and(|borrowed| borrowed.status == "False");
        let message = format!("waiting for {}", waiting.join("; "));
        let mut conditions = Conditions::new(&mut status.conditions, task, now);
        conditions.set(
            types::WEAPONS_BORROWED,
            false,
            reasons::WAITING_FOR_WEAPON,
            &message,
        );
        conditions.set(types::READY, false, reasons::PENDING, &message);
        status.phase = Some(FlightTaskPhase::Pending);
        status.message = Some(message.clone());
        status.observed_generation = task.metadata.generation;
        self.quiet_for = None;
        if !already {
            self.events.push(PlanEvent {
                type_: EventType::Normal,
                reason: reasons::WAITING_FOR_WEAPON,
                action: "Borrow",
                note: message,
            });
        }
        self
    }

    /// Records on the task which instances it borrowed.
    pub(super) fn borrowed(&mut self, task: &FlightTask, loans: &[Borrowed], now: Timestamp) {
        if loans.is_empty() {
            return;
        }
        let held: Vec<String> = (loans.iter())
            .map(|loan| format!("{} from {} at {}", loan.weapon, loan.instance, loan.address))
            .collect();
        let mut conditions = Conditions::new(&mut self.status.conditions, task, now);
        conditions.set(
            types::WEAPONS_BORROWED,
            true,
            reasons::BORROWED,
            &held.join("; "),
        );
    }
}
