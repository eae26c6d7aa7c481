//! AircraftType: the aircraft type the task asks for, checked ahead of the
//! full node affinity so that an aircraft of another type is turned down as
//! such, not for whatever else it lacks.

use super::{Filter, Unfit};
use crate::scheduler::config::SchedulerConfig;
use crate::scheduler::node_info::NodeInfo;
use crate::scheduler::pod_request::PodRequest;

/// Refuses an aircraft whose `aircraft.mil/type` the pod's affinity excludes.
pub struct AircraftType;

impl Filter for AircraftType {
    fn name(&self) -> &'static str {
        "AircraftType"
    }

    fn filter(&self, pod: &PodRequest, node: &NodeInfo, _: &SchedulerConfig) -> Result<(), Unfit> {
        let Some(types) = &pod.required_types else {
            return Ok(());
        };
        if node
            .aircraft_type
            .as_ref()
            .is_some_and(|t| types.contains(t))
        {
            return Ok(());
        }
        let wanted = types.join(" or ");
        let found = match &node.aircraft_type {
            Some(found) => format!("aircraft type {found}"),
            None => "no aircraft.mil/type label".to_string(),
        };
        Err(Unfit::new(
            format!("{found}; the task needs {wanted}"),
            format!("not a {wanted}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::fixtures::{
        defaults, info, j20, plain_pod, remove_label, set_label, strike_request,
    };

    #[test]
    fn the_type_must_be_one_the_task_allows() {
        let pod = strike_request();
        assert_eq!(
            AircraftType.filter(&pod, &info(&j20()), &defaults()),
            Ok(())
        );
        let mut j10 = j20();
        set_label(&mut j10, "aircraft.mil/type", "j10");
        assert_eq!(
            AircraftType.filter(&pod, &info(&j10), &defaults()),
            Err(Unfit::new(
                "aircraft type j10; the task needs j20",
                "not a j20"
            ))
        );
        remove_label(&mut j10, "aircraft.mil/type");
        let mut either = pod.clone();
        either.required_types = Some(vec!["j16".into(), "j20".into()]);
        assert_eq!(
            AircraftType.filter(&either, &info(&j10), &defaults()),
            Err(Unfit::new(
                "no aircraft.mil/type label; the task needs j16 or j20",
                "not a j16 or j20"
            ))
        );
    }

    #[test]
    fn a_pod_naming_no_type_takes_any() {
        let pod = PodRequest::from_pod(&plain_pod("web", &[]));
        let mut untyped = j20();
        remove_label(&mut untyped, "aircraft.mil/type");
        assert_eq!(
            AircraftType.filter(&pod, &info(&untyped), &defaults()),
            Ok(())
        );
    }
}
