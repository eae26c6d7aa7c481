//! Which page a path asks for. Names in paths are checked to be Kubernetes
//! object names before anything is asked of the API server. Pure.

use crate::output::html::ActionKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route<'a> {
    Home,
    Missions,
    MissionsLive,
    Mission {
        namespace: &'a str,
        name: &'a str,
    },
    MissionLive {
        namespace: &'a str,
        name: &'a str,
    },
    Action {
        namespace: &'a str,
        name: &'a str,
        kind: ActionKind,
    },
    Aircraft,
    Weapons,
    Health,
    Asset(&'a str),
    NotFound,
}

pub fn route(path: &str) -> Route<'_> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match segments.as_slice() {
        [""] => Route::Home,
        ["missions"] => Route::Missions,
        ["missions", "live"] => Route::MissionsLive,
        ["aircraft"] => Route::Aircraft,
        ["weapons"] => Route::Weapons,
        ["health"] => Route::Health,
        ["assets", file] => Route::Asset(file),
        ["missions", namespace, name, rest @ ..] if is_name(namespace) && is_name(name) => {
            match rest {
                [] => Route::Mission { namespace, name },
                ["live"] => Route::MissionLive { namespace, name },
                [action] => {
                    ActionKind::from_slug(action).map_or(Route::NotFound, |kind| Route::Action {
                        namespace,
                        name,
                        kind,
                    })
                }
                _ => Route::NotFound,
            }
        }
        _ => Route::NotFound,
    }
}

/// A lowercase RFC 1123 name, as namespaces and missions have.
fn is_name(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 253
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_their_pages() {
        assert_eq!(route("/"), Route::Home);
        assert_eq!(route("/missions"), Route::Missions);
        assert_eq!(route("/missions/live"), Route::MissionsLive);
        assert_eq!(
            route("/missions/far/far-sea"),
            Route::Mission {
                namespace: "far",
                name: "far-sea"
            }
        );
        assert_eq!(
            route("/missions/far/far-sea/live"),
            Route::MissionLive {
                namespace: "far",
                name: "far-sea"
            }
        );
        assert_eq!(
            route("/missions/far/far-sea/cancel"),
            Route::Action {
                namespace: "far",
                name: "far-sea",
                kind: ActionKind::Cancel
            }
        );
        assert_eq!(route("/assets/app.css"), Route::Asset("app.css"));
    }

    #[test]
    fn a_path_that_is_not_an_object_name_finds_nothing() {
        assert_eq!(route("/missions/Far/x"), Route::NotFound);
        assert_eq!(route("/missions/far/%2e%2e"), Route::NotFound);
        assert_eq!(route("/missions/far/x/launch"), Route::NotFound);
        assert_eq!(route("/etc/passwd"), Route::NotFound);
    }
}
