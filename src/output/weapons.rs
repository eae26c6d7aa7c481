//! The weapons of a task's pod as `weapon status` and `weapon self-check`
//! print them.

use comfy_table::{Cell, Color};
use serde::Serialize;

use super::color::Palette;
use super::table;
use crate::api::TaskWeaponStatus;

/// One weapon's self-check: its verdict and each component's.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SelfCheckReport {
    pub weapon: String,
    pub passed: bool,
    pub components: Vec<ComponentReport>,
    /// Why the weapon could not be checked, when it could not be reached.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComponentReport {
    pub component: String,
    pub passed: bool,
    pub detail: String,
}

pub fn render_status(weapons: &[TaskWeaponStatus], palette: Palette) -> String {
    let headers = vec![
        "WEAPON",
        "STATE",
        "REMAINING",
        "TEMP",
        "SELF-CHECK",
        "VERSION",
        "MESSAGE",
    ];
    let mut out = table::new(headers, palette);
    for weapon in weapons {
        let reachable = weapon.state != TaskWeaponStatus::UNREACHABLE;
        out.add_row(vec![
            Cell::new(&weapon.name),
            state_cell(weapon, palette),
            Cell::new(if reachable {
                weapon.remaining.to_string()
            } else {
                "-".into()
            }),
            Cell::new(weapon.temperature.map_or("-".into(), |t| format!("{t}°C"))),
            Cell::new(match weapon.self_check_passed {
                Some(true) => "passed",
                Some(false) => "FAILED",
                None => "-",
            }),
            Cell::new(weapon.version.as_deref().unwrap_or("-")),
            Cell::new(weapon.message.as_deref().unwrap_or_default()),
        ]);
    }
    table::render(&out)
}

fn state_cell(weapon: &TaskWeaponStatus, palette: Palette) -> Cell {
    let color = if weapon.is_faulted() || weapon.state == TaskWeaponStatus::UNREACHABLE {
        Color::Red
    } else if weapon.is_live() {
        Color::Green
    } else {
        Color::Yellow
    };
    table::colored(&weapon.state, color, palette)
}

/// One row per component of each weapon; a weapon that could not be reached
/// gets one row saying why.
pub fn render_self_checks(reports: &[SelfCheckReport], palette: Palette) -> String {
    let mut out = table::new(vec!["WEAPON", "COMPONENT", "RESULT", "DETAIL"], palette);
    let verdict = |passed: bool| {
        if passed {
            table::colored("pass", Color::Green, palette)
        } else {
            table::colored("FAIL", Color::Red, palette)
        }
    };
    for report in reports {
        if let Some(error) = &report.error {
            out.add_row(vec![
                Cell::new(&report.weapon),
                Cell::new("-"),
                table::colored("UNREACHABLE", Color::Red, palette),
                Cell::new(error),
            ]);
        }
        for component in &report.components {
            out.add_row(vec![
                Cell::new(&report.weapon),
                Cell::new(&component.component),
                verdict(component.passed),
                Cell::new(&component.detail),
            ]);
        }
    }
    table::render(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_row_per_weapon_and_dashes_for_what_an_unreachable_weapon_cannot_say() {
        let weapons = [
            TaskWeaponStatus {
                name: "pl-15".into(),
                state: "READY".into(),
                remaining: 4,
                temperature: Some(35),
                self_check_passed: Some(true),
                version: Some("2.1.0".into()),
                message: Some("self-check passed".into()),
                image: None,
            },
            TaskWeaponStatus {
                name: "pl-10".into(),
                state: TaskWeaponStatus::UNREACHABLE.into(),
                message: Some("connection refused".into()),
                ..TaskWeaponStatus::default()
            },
        ];
        assert_eq!(
            render_status(&weapons, Palette::PLAIN),
            "WEAPON   STATE         REMAINING   TEMP   SELF-CHECK   VERSION   MESSAGE\n\
             pl-15    READY         4           35°C   passed       2.1.0     self-check passed\n\
             pl-10    UNREACHABLE   -           -      -            -         connection refused"
        );
    }

    #[test]
    fn self_checks_list_each_component() {
        let reports = [SelfCheckReport {
            weapon: "pl-15".into(),
            passed: false,
            components: vec![
                ComponentReport {
                    component: "power".into(),
                    passed: true,
                    detail: "bus at 28 V".into(),
                },
                ComponentReport {
                    component: "seeker".into(),
                    passed: false,
                    detail: "seeker offline".into(),
                },
            ],
            error: None,
        }];
        assert_eq!(
            render_self_checks(&reports, Palette::PLAIN),
            "WEAPON   COMPONENT   RESULT   DETAIL\n\
             pl-15    power       pass     bus at 28 V\n\
             pl-15    seeker      FAIL     seeker offline"
        );
    }
}
