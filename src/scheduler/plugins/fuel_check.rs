//! FuelCheck: the aircraft's fuel level must reach what the task asks for,
//! and never fall below the scheduler's `minimumFuel`, whatever the task asks.

use super::{Filter, Unfit};
use crate::api::aircraft::labels::FUEL_LEVEL;
use crate::api::keys::placement::REQUIRED_FUEL;
use crate::scheduler::config::SchedulerConfig;
use crate::scheduler::node_info::NodeInfo;
use crate::scheduler::pod_request::PodRequest;
use crate::scheduler::reading::Reading;

const PERCENT: &str = "a whole number 0-100";

/// Refuses an aircraft with too little fuel, or none on record.
pub struct FuelCheck;

impl Filter for FuelCheck {
    fn name(&self) -> &'static str {
        "FuelCheck"
    }

    fn filter(
        &self,
        pod: &PodRequest,
        node: &NodeInfo,
        config: &SchedulerConfig,
    ) -> Result<(), Unfit> {
        let asked = match &pod.required_fuel {
            Reading::Valid(asked) => u32::from(*asked),
            Reading::Absent => 0,
            Reading::Malformed(_) => {
                let problem = pod
                    .required_fuel
                    .problem("pod annotation", REQUIRED_FUEL, PERCENT);
                return Err(Unfit::new(
                    format!(
                        "{}; fix the task's aircraftRequirement.minFuelLevel",
                        problem.unwrap_or_default()
                    ),
                    "malformed required-fuel annotation",
                ));
            }
        };
        let needed = asked.max(config.minimum_fuel);
        match node.fuel {
            Reading::Valid(level) if u32::from(level) >= needed => Ok(()),
            Reading::Valid(level) => {
                let whose = if asked >= config.minimum_fuel {
                    ""
                } else {
                    " (the scheduler's minimumFuel)"
                };
                Err(Unfit::new(
                    format!("fuel {level} < {needed} required{whose}"),
                    format!("fuel below {needed}"),
                ))
            }
            _ => Err(Unfit::new(
                node.fuel
                    .problem("label", FUEL_LEVEL, PERCENT)
                    .unwrap_or_default(),
                "fuel level unknown",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::fixtures::{aircraft, defaults, info, j20, remove_label, strike_request};

    fn fuelled(level: &str) -> NodeInfo {
        info(&aircraft("j20-04", "ready", level, "east-sea", "8"))
    }

    fn asking(fuel: Reading<u8>) -> PodRequest {
        PodRequest {
            required_fuel: fuel,
            ..strike_request()
        }
    }

    #[test]
    fn fuel_must_reach_what_the_task_asks() {
        let pod = strike_request();
        assert_eq!(FuelCheck.filter(&pod, &fuelled("70"), &defaults()), Ok(()));
        assert_eq!(FuelCheck.filter(&pod, &fuelled("100"), &defaults()), Ok(()));
        assert_eq!(
            FuelCheck.filter(&pod, &fuelled("60"), &defaults()),
            Err(Unfit::new("fuel 60 < 70 required", "fuel below 70"))
        );
    }

    #[test]
    fn the_minimum_applies_even_to_a_task_asking_less() {
        let pod = asking(Reading::Valid(10));
        assert_eq!(
            FuelCheck.filter(&pod, &fuelled("25"), &defaults()),
            Err(Unfit::new(
                "fuel 25 < 30 required (the scheduler's minimumFuel)",
                "fuel below 30"
            ))
        );
        assert_eq!(
            FuelCheck.filter(&asking(Reading::Absent), &fuelled("30"), &defaults()),
            Ok(())
        );
        assert!(
            FuelCheck
                .filter(&asking(Reading::Absent), &fuelled("0"), &defaults())
                .is_err()
        );
        let lenient = SchedulerConfig {
            minimum_fuel: 0,
            ..defaults()
        };
        assert_eq!(
            FuelCheck.filter(&asking(Reading::Absent), &fuelled("0"), &lenient),
            Ok(())
        );
    }

    #[test]
    fn a_missing_or_malformed_fuel_label_refuses_the_aircraft() {
        let pod = strike_request();
        for bad in ["ninety", "-5", "101", "9.5"] {
            assert_eq!(
                FuelCheck.filter(&pod, &fuelled(bad), &defaults()),
                Err(Unfit::new(
                    format!("label aircraft.mil/fuel.level {bad:?} is not a whole number 0-100"),
                    "fuel level unknown"
                ))
            );
        }
        let mut unfuelled = j20();
        remove_label(&mut unfuelled, "aircraft.mil/fuel.level");
        assert_eq!(
            FuelCheck.filter(&pod, &info(&unfuelled), &defaults()),
            Err(Unfit::new(
                "no aircraft.mil/fuel.level label",
                "fuel level unknown"
            ))
        );
    }

    #[test]
    fn a_malformed_request_refuses_every_aircraft_and_says_what_to_fix() {
        let unfit = FuelCheck
            .filter(
                &asking(Reading::Malformed("lots".into())),
                &fuelled("95"),
                &defaults(),
            )
            .expect_err("malformed");
        assert_eq!(
            unfit.reason,
            "pod annotation airforce.mil/required-fuel \"lots\" is not a whole number 0-100; fix the task's aircraftRequirement.minFuelLevel"
        );
    }
}
