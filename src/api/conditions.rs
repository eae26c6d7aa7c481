//! Condition types and reasons shared by every kind, in one place so the
//! controllers, the views and the tests agree on the strings.

pub use k8s_openapi::apimachinery::pkg::apis::meta::v1::Condition;

/// Condition types.
pub mod types {
    /// Every kind carries it, for `kubectl wait --for=condition=Ready` and kstatus.
    pub const READY: &str = "Ready";
    pub const POD_CREATED: &str = "PodCreated";
    pub const POD_SCHEDULED: &str = "PodScheduled";
    pub const IMAGE_PULL_FAILED: &str = "ImagePullFailed";
    pub const WEAPONS_COMPATIBLE: &str = "WeaponsCompatible";
    /// On an armed FlightTask: every weapon of its running pod answered,
    /// loaded, passed its self-check and is READY.
    pub const WEAPONS_READY: &str = "WeaponsReady";
    /// On a Weapon: every running task pod carries its current image.
    pub const ROLLED_OUT: &str = "RolledOut";
    /// On a stage with an approval gate: True while it waits for a decision;
    /// on a mission: True while one of its stages waits.
    pub const AWAITING_APPROVAL: &str = "AwaitingApproval";
    /// On a mission and its unfinished stages: True while `spec.suspend`
    /// holds new work back.
    pub const SUSPENDED: &str = "Suspended";
    /// On a FlightTask: whether its last failure marked the aircraft as suspect.
    pub const AIRCRAFT_MARKED: &str = "AircraftMarked";
    /// On a FlightTask: True while its pod carries a weapon at a deprecated version.
    pub const WEAPON_DEPRECATED: &str = "WeaponDeprecated";
    /// On a FlightTask that loads a pooled weapon: True once it holds an
    /// instance of every such pool, False while it waits for one.
    pub const WEAPONS_BORROWED: &str = "WeaponsBorrowed";
}

/// Condition reasons (CamelCase, as Kubernetes conventions ask).
pub mod reasons {
    pub const PENDING: &str = "Pending";
    pub const RUNNING: &str = "Running";
    pub const SUCCEEDED: &str = "Succeeded";
    pub const FAILED: &str = "Failed";
    pub const INVALID_POD_TEMPLATE: &str = "InvalidPodTemplate";
    pub const INCOMPATIBLE_WEAPON: &str = "IncompatibleWeapon";
    pub const WEAPON_NOT_FOUND: &str = "WeaponNotFound";
    /// A weapon of the loadout is at a deprecated version.
    pub const WEAPON_DEPRECATED: &str = "WeaponDeprecated";
    pub const COMPATIBLE: &str = "Compatible";
    pub const SCHEDULED: &str = "Scheduled";
    pub const UNSCHEDULABLE: &str = "Unschedulable";
    /// The event a scheduler records each time it finds no node for a pod.
    pub const FAILED_SCHEDULING: &str = "FailedScheduling";
    pub const IMAGE_PULL_BACK_OFF: &str = "ImagePullBackOff";
    /// Stopped on request (the `airforce.mil/cancel` annotation).
    pub const CANCELLED: &str = "Cancelled";
    /// An approval gate: waiting for a decision, approved, rejected.
    pub const AWAITING_APPROVAL: &str = "AwaitingApproval";
    pub const APPROVED: &str = "Approved";
    pub const REJECTED: &str = "Rejected";
    /// Suspension: held back by `spec.suspend`, or carrying on after it.
    pub const SUSPENDED: &str = "Suspended";
    pub const RESUMED: &str = "Resumed";
    /// A stage ran longer than its `timeout`.
    pub const TIMEOUT: &str = "Timeout";
    /// An attempt ran longer than its task's `timeout`.
    pub const DEADLINE_EXCEEDED: &str = "DeadlineExceeded";
    /// An image kept failing to pull for the task's `imagePullTimeout`.
    pub const IMAGE_PULL_FAILED: &str = "ImagePullFailed";
    /// The API server kept refusing an attempt's pod (Pod Security, a quota,
    /// a webhook or a policy) for the task's scheduling timeout; and the
    /// event of a first refusal.
    pub const POD_REFUSED: &str = "PodRefused";
    /// An object the controller would create already exists under that name
    /// and is not the controller's to take over.
    pub const NAME_TAKEN: &str = "NameTaken";
    /// A refusal that came with no reason of its own.
    pub const REFUSED: &str = "Refused";
    /// A task pod's container exited with a non-zero code.
    pub const CONTAINER_FAILED: &str = "ContainerFailed";
    /// Fault marks: the aircraft was marked, the limit of marked aircraft was
    /// reached, the task failed on two aircraft and is taken to be at fault
    /// itself, or its marks were taken back because it ended.
    pub const MARKED: &str = "Marked";
    pub const MARK_LIMIT_REACHED: &str = "MarkLimitReached";
    pub const TASK_AT_FAULT: &str = "TaskAtFault";
    pub const MARKS_CLEARED: &str = "MarksCleared";
    /// A spec the CRD's validation should have refused (dependency cycle, unknown
    /// dependency, unparsable timeout) got through: the object's definition
    /// cannot be run.
    pub const INVALID_DEFINITION: &str = "InvalidSpec";
    /// Event reasons: a stage or a flight task was created to run.
    pub const STAGE_STARTED: &str = "StageStarted";
    pub const TASK_STARTED: &str = "TaskStarted";
    pub const IMAGE_PULLED: &str = "ImagePulled";
    pub const CREATED: &str = "Created";
    pub const RETRYING: &str = "Retrying";
    /// WeaponsReady: weapons still warming up or not yet answering; all of
    /// them READY; one in FAULT or failing its self-check; one that never
    /// answered (or never became READY) within the operator's weapon timeout.
    pub const ARMING: &str = "Arming";
    pub const ARMED: &str = "Armed";
    pub const WEAPON_FAULT: &str = "WeaponFault";
    pub const WEAPON_UNRESPONSIVE: &str = "WeaponUnresponsive";
    /// Event: the weapons of a pod being stopped were told to Abort.
    pub const WEAPONS_ABORTED: &str = "WeaponsAborted";
    /// Weapon reasons: its phase and how far a new image has rolled out.
    pub const AVAILABLE: &str = "Available";
    pub const DEPRECATED: &str = "Deprecated";
    pub const UPDATING: &str = "Updating";
    pub const UP_TO_DATE: &str = "UpToDate";
    /// Weapon pools: a task waits for a free instance, holds one; the events
    /// of an instance lent, taken back (reset or replaced) and started.
    pub const WAITING_FOR_WEAPON: &str = "WaitingForWeapon";
    pub const BORROWED: &str = "Borrowed";
    pub const LENT: &str = "Lent";
    pub const RETURNED: &str = "Returned";
    pub const POOL_SCALED: &str = "PoolScaled";
    /// A task waits for its turn to create its pod: as many task pods as the
    /// operator lets wait for an aircraft already do.
    pub const QUEUED: &str = "Queued";
}

/// Finds a condition by type.
pub fn find<'a>(conditions: &'a [Condition], type_: &str) -> Option<&'a Condition> {
    conditions.iter().find(|c| c.type_ == type_)
}

/// Puts `condition` in place of the one of its type. The transition time moves only
/// when the status flips, so it keeps saying since when the status has held.
pub fn set(conditions: &mut Vec<Condition>, mut condition: Condition) {
    match conditions.iter_mut().find(|c| c.type_ == condition.type_) {
        Some(existing) => {
            if existing.status == condition.status {
                condition.last_transition_time = existing.last_transition_time.clone();
            }
            *existing = condition;
        }
        None => conditions.push(condition),
    }
}

/// Whether the condition of this type is present with status "True".
pub fn is_true(conditions: &[Condition], type_: &str) -> bool {
    find(conditions, type_).is_some_and(|c| c.status == "True")
}
