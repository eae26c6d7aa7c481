//! The labels and annotations this tool puts on objects, its own kinds and
//! the pods and nodes it manages alike, in one place: every reader and writer
//! takes a key from here, so a key has one spelling and one meaning. (The
//! keys that describe an aircraft are in [`super::aircraft`], the fault marks
//! in [`super::fault_marks`].)

/// The mission's name (`metadata.name`), on every stage, task and pod under it.
pub const MISSION_LABEL: &str = "airforce.mil/mission";
/// The stage's short name from the mission spec.
pub const STAGE_LABEL: &str = "airforce.mil/stage";
/// The flight task's short name from the mission spec; for one replica of a
/// task with `replicas`, that name and the replica's index: `scan.7`.
pub const TASK_LABEL: &str = "airforce.mil/task";
/// On a replica of a task with `replicas`, and its pods: its index, from 0.
pub const REPLICA_INDEX_LABEL: &str = "airforce.mil/replica-index";

/// Asks a Mission or a MissionStage to stop: no new work starts and running
/// work is stopped.
pub const CANCEL_ANNOTATION: &str = "airforce.mil/cancel";
/// On a MissionStage of a suspended mission, set and lifted by the mission
/// controller: `true`, no new flight task starts; `stop`, running ones are
/// stopped too, and the stage passes `stop` on to its unfinished
/// FlightTasks, which stop their pods and wait without spending a retry.
pub const SUSPEND_ANNOTATION: &str = "airforce.mil/suspended";
/// Asks a failed Mission, MissionStage or FlightTask to run its failed work
/// again. The value is the request; once acted on it is recorded in
/// `status.lastHandledRetry`, so each request is honoured exactly once.
pub const RETRY_REQUEST_ANNOTATION: &str = "airforce.mil/retry-requested-at";
/// Beside a retry request on a failed MissionStage: `true` runs its
/// succeeded flight tasks again too, in dependency order, not only the
/// failed ones.
pub const RETRY_INCLUDES_SUCCEEDED_ANNOTATION: &str = "airforce.mil/retry-include-succeeded";

/// A decision on a stage's approval gate: `approve` or `reject`. With its
/// companions below it is the request; the stage controller records the
/// first one in `status.gate` and acts on it once. The API server refuses a
/// change to any of them once set.
pub const GATE_DECISION_ANNOTATION: &str = "airforce.mil/gate-decision";
/// Who made the gate decision: the caller's user name, which the API server
/// checks against the request's own identity.
pub const GATE_DECIDED_BY_ANNOTATION: &str = "airforce.mil/gate-decided-by";
/// When the gate decision was made (RFC 3339).
pub const GATE_DECIDED_AT_ANNOTATION: &str = "airforce.mil/gate-decided-at";
/// The approver's message or the rejection's reason.
pub const GATE_DECISION_MESSAGE_ANNOTATION: &str = "airforce.mil/gate-message";

/// On a task pod: which attempt of the task it runs, so a restarted
/// controller tells attempts apart without parsing pod names.
pub const ATTEMPT_ANNOTATION: &str = "airforce.mil/attempt";
/// On a task pod: how many retries the task had spent when the pod was
/// created, so the count survives a restart that came before the status
/// write.
pub const RETRIES_SPENT_ANNOTATION: &str = "airforce.mil/retry";
/// On a running task pod, set by the Weapon controller in a RollingUpdate
/// with room to surge: the task starts its next attempt (with the new image)
/// beside this pod, and stops this one only once that attempt runs.
pub const SURGE_ANNOTATION: &str = "airforce.mil/surge";
/// On a running task pod the FlightTask controller stopped: when it asked.
/// It stops a pod through the pod's `activeDeadlineSeconds`, so the kubelet
/// ends it as Failed and the pod stays with its logs; the task counts it as
/// gone once it has ended.
pub const STOPPED_ANNOTATION: &str = "airforce.mil/stopped-at";

/// On the DaemonSet that pre-pulls weapon images onto the aircraft, and on
/// its pods: `true`.
pub const PRELOAD_LABEL: &str = "airforce.mil/weapon-preload";

/// On a pod the aircraft-scheduler bound: the decision, as JSON, that
/// `schedule explain` prints.
pub const SCHEDULING_DECISION_ANNOTATION: &str = "airforce.mil/scheduling-decision";

/// The scheduler `run` hosts, as a pod's `spec.schedulerName`.
pub const AIRCRAFT_SCHEDULER: &str = "aircraft-scheduler";
/// kube-scheduler's name, written out so a reader of the pod sees the choice.
pub const DEFAULT_SCHEDULER: &str = "default-scheduler";

/// On a task pod: the task's aircraft requirement, which the aircraft-scheduler
/// reads without a FlightTask lookup per pod.
pub mod placement {
    pub const REQUIRED_FUEL: &str = "airforce.mil/required-fuel";
    pub const REQUIRED_HARDPOINTS: &str = "airforce.mil/required-hardpoints";
    pub const PREFERRED_ZONE: &str = "airforce.mil/preferred-zone";
    /// Comma-separated capability names.
    pub const REQUIRED_CAPABILITIES: &str = "airforce.mil/required-capabilities";
    /// Comma-separated weapon names, checked against the node's compatible-weapons.
    pub const WEAPONS: &str = "airforce.mil/weapons";
}
