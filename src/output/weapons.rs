//! The weapons of a task's pod as `weapon status` and `weapon self-check`
//! print them, and a weapon's versions as `weapon versions` prints them.

use comfy_table::{Cell, Color};
use serde::Serialize;

use super::color::Palette;
use super::table;
use k8s_openapi::jiff::civil::Date;

use crate::api::{TaskWeaponStatus, Weapon};

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

/// A weapon's version history as a table, the current version marked, each
/// deprecation said as it stands on `today`.
pub fn render_versions(weapon: &Weapon, today: Date, palette: Palette) -> String {
    let current = (weapon.status.as_ref())
        .and_then(|s| s.current_version.clone())
        .or_else(|| weapon.spec.version.clone());
    let headers = vec!["VERSION", "CURRENT", "RELEASED", "DEPRECATED", "CHANGES"];
    let mut out = table::new(headers, palette);
    for record in &weapon.spec.version_history {
        let is_current = current.as_deref() == Some(record.version.as_str());
        let deprecated = match (record.deprecated, record.deprecation_day()) {
            (false, _) => "-".to_string(),
            (true, None) => "yes".to_string(),
            (true, Some(day)) if today < day => format!("yes, refused from {day}"),
            (true, Some(day)) if weapon.spec.allow_past_deprecation => {
                format!("yes, since {day} (still allowed)")
            }
            (true, Some(day)) => format!("yes, refused since {day}"),
        };
        out.add_row(vec![
            Cell::new(&record.version),
            Cell::new(if is_current { "*" } else { "" }),
            Cell::new(record.release_date.as_deref().unwrap_or("-")),
            Cell::new(deprecated),
            Cell::new(record.changelog.as_deref().unwrap_or_default()),
        ]);
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

    #[test]
    fn versions_mark_the_current_one_and_say_where_each_deprecation_stands() {
        use crate::api::weapon::{VersionRecord, WeaponSpec};
        let record = |version: &str, date: Option<&str>| VersionRecord {
            version: version.into(),
            release_date: Some("2026-01-01".into()),
            changelog: Some(format!("notes of {version}")),
            deprecated: version != "3.0",
            deprecation_date: date.map(str::to_string),
        };
        let weapon = Weapon::new(
            "pl-15",
            WeaponSpec {
                version: Some("2.0".into()),
                version_history: vec![
                    record("1.0", Some("2026-06-01")),
                    record("2.0", Some("2027-01-01")),
                    record("2.5", None),
                    record("3.0", None),
                ],
                ..WeaponSpec::default()
            },
        );
        let today: Date = "2026-12-03".parse().expect("a date");
        let text = render_versions(&weapon, today, Palette::PLAIN);
        let row = |version: &str| {
            (text.lines())
                .find(|line| line.split_whitespace().next() == Some(version))
                .unwrap_or_else(|| panic!("a row for {version}:\n{text}"))
                .to_string()
        };
        assert!(
            row("1.0").contains("yes, refused since 2026-06-01"),
            "{text}"
        );
        assert!(row("2.0").contains('*'), "{text}");
        assert!(
            row("2.0").contains("yes, refused from 2027-01-01"),
            "{text}"
        );
        assert!(row("2.5").contains(" yes "), "{text}");
        assert!(row("3.0").contains(" - "), "{text}");
    }
}
