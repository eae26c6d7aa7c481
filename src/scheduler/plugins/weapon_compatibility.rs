//! WeaponCompatibility: every weapon the task carries must be listed in the
//! aircraft's `aircraft.mil/compatible-weapons`; an aircraft without that
//! annotation is cleared for none.

use super::{Filter, Unfit};
use crate::scheduler::config::SchedulerConfig;
use crate::scheduler::node_info::NodeInfo;
use crate::scheduler::pod_request::PodRequest;

/// Refuses an aircraft not cleared for a weapon the task carries.
pub struct WeaponCompatibility;

impl Filter for WeaponCompatibility {
    fn name(&self) -> &'static str {
        "WeaponCompatibility"
    }

    fn filter(&self, pod: &PodRequest, node: &NodeInfo, _: &SchedulerConfig) -> Result<(), Unfit> {
        let cleared = |weapon: &String| {
            (node.compatible_weapons.as_ref()).is_some_and(|c| c.contains(weapon))
        };
        if pod.weapons.iter().all(cleared) {
            return Ok(());
        }
        let uncleared: Vec<&str> = (pod.weapons.iter())
            .filter(|w| !cleared(w))
            .map(String::as_str)
            .collect();
        let uncleared = uncleared.join(", ");
        let reason = match &node.compatible_weapons {
            None => format!(
                "not cleared for {uncleared}: no aircraft.mil/compatible-weapons annotation"
            ),
            Some(listed) if listed.is_empty() => {
                format!("not cleared for {uncleared}: aircraft.mil/compatible-weapons lists none")
            }
            Some(listed) => {
                let listed: Vec<&str> = listed.iter().map(String::as_str).collect();
                format!(
                    "not cleared for {uncleared} (compatible: {})",
                    listed.join(", ")
                )
            }
        };
        Err(Unfit::new(reason, format!("not cleared for {uncleared}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::fixtures::{
        defaults, info, j20, remove_annotation, set_annotation, strike_request,
    };

    fn carrying(weapons: &[&str]) -> PodRequest {
        PodRequest {
            weapons: weapons.iter().map(|w| w.to_string()).collect(),
            ..strike_request()
        }
    }

    #[test]
    fn every_weapon_must_be_cleared() {
        let node = info(&j20());
        assert_eq!(
            WeaponCompatibility.filter(&carrying(&[]), &node, &defaults()),
            Ok(())
        );
        assert_eq!(
            WeaponCompatibility.filter(&carrying(&["pl-15", "pl-10"]), &node, &defaults()),
            Ok(())
        );
        assert_eq!(
            WeaponCompatibility.filter(&carrying(&["pl-15", "pl-17"]), &node, &defaults()),
            Err(Unfit::new(
                "not cleared for pl-17 (compatible: pl-10, pl-15)",
                "not cleared for pl-17"
            ))
        );
    }

    #[test]
    fn an_aircraft_without_the_annotation_is_cleared_for_nothing() {
        let mut node = j20();
        remove_annotation(&mut node, "aircraft.mil/compatible-weapons");
        assert_eq!(
            WeaponCompatibility.filter(&carrying(&[]), &info(&node), &defaults()),
            Ok(())
        );
        assert_eq!(
            WeaponCompatibility.filter(&carrying(&["pl-15"]), &info(&node), &defaults()),
            Err(Unfit::new(
                "not cleared for pl-15: no aircraft.mil/compatible-weapons annotation",
                "not cleared for pl-15"
            ))
        );
        set_annotation(&mut node, "aircraft.mil/compatible-weapons", " , ");
        assert_eq!(
            WeaponCompatibility
                .filter(&carrying(&["pl-15"]), &info(&node), &defaults())
                .expect_err("empty list")
                .reason,
            "not cleared for pl-15: aircraft.mil/compatible-weapons lists none"
        );
    }
}
