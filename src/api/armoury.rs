//! Where a weapon reference is looked for. A reference that names a namespace
//! finds its Weapon there and nowhere else; one that names none finds it in
//! the task's own namespace first, then in the armoury, a namespace the
//! operator's configuration names (`weapons` unless it says otherwise) that
//! holds weapons shared by every team.

use kube::ResourceExt;

use super::Weapon;
use super::flight_task::WeaponRef;

/// The armoury when the configuration names none.
pub const DEFAULT_ARMOURY: &str = "weapons";

/// The namespaces `reference` is looked for in, in order: its own, or the
/// task's and then the armoury's (once, when they are the same).
pub fn search_order<'a>(
    reference: &'a WeaponRef,
    task_namespace: &'a str,
    armoury: Option<&'a str>,
) -> Vec<&'a str> {
    if let Some(namespace) = reference.namespace.as_deref() {
        return vec![namespace];
    }
    let mut order = vec![task_namespace];
    order.extend(armoury.filter(|armoury| *armoury != task_namespace));
    order
}

/// The Weapon `reference` resolves to among `weapons`: the first in
/// [`search_order`] that is there. A Weapon read without a namespace (a file,
/// a test) is found in any.
pub fn resolve<'w>(
    reference: &WeaponRef,
    task_namespace: &str,
    armoury: Option<&str>,
    weapons: &'w [Weapon],
) -> Option<&'w Weapon> {
    let named = || weapons.iter().filter(|w| w.name_any() == reference.name);
    search_order(reference, task_namespace, armoury)
        .into_iter()
        .find_map(|namespace| named().find(|w| w.namespace().is_none_or(|ns| ns == namespace)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::weapon::WeaponSpec;

    fn reference(namespace: Option<&str>) -> WeaponRef {
        WeaponRef {
            name: "pl-15".into(),
            namespace: namespace.map(Into::into),
        }
    }

    fn weapon(namespace: Option<&str>) -> Weapon {
        let mut weapon = Weapon::new("pl-15", WeaponSpec::default());
        weapon.metadata.namespace = namespace.map(Into::into);
        weapon
    }

    #[test]
    fn a_named_namespace_is_the_only_place_looked() {
        let named = reference(Some("team-b"));
        assert_eq!(search_order(&named, "team-a", Some("weapons")), ["team-b"]);
    }

    #[test]
    fn an_unnamed_one_is_looked_for_at_home_then_in_the_armoury() {
        let unnamed = reference(None);
        assert_eq!(
            search_order(&unnamed, "team-a", Some("weapons")),
            ["team-a", "weapons"]
        );
        assert_eq!(
            search_order(&unnamed, "weapons", Some("weapons")),
            ["weapons"]
        );
        assert_eq!(search_order(&unnamed, "team-a", None), ["team-a"]);
    }

    #[test]
    fn the_task_namespace_shadows_the_armoury() {
        let both = [weapon(Some("weapons")), weapon(Some("team-a"))];
        let found = resolve(&reference(None), "team-a", Some("weapons"), &both);
        assert_eq!(found.and_then(|w| w.namespace()).as_deref(), Some("team-a"));
        let armoury_only = [weapon(Some("weapons")), weapon(Some("team-b"))];
        let found = resolve(&reference(None), "team-a", Some("weapons"), &armoury_only);
        assert_eq!(
            found.and_then(|w| w.namespace()).as_deref(),
            Some("weapons")
        );
        assert!(resolve(&reference(None), "team-a", None, &armoury_only).is_none());
        let from_a_file = [weapon(None)];
        assert!(resolve(&reference(Some("x")), "team-a", None, &from_a_file).is_some());
    }
}
