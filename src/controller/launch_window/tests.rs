use std::time::{Duration, Instant};

use k8s_openapi::jiff::Timestamp;

use super::*;

fn key(name: &str) -> Key {
    ("ns".to_string(), name.to_string())
}

/// The task `name`, created `second` seconds into the run.
fn task(name: &str, second: i64) -> Place {
    let created = Timestamp::from_second(1_800_000_000 + second).expect("a time");
    (created, key(name))
}

#[test]
fn without_a_limit_every_pod_goes_and_nothing_queues() {
    let mut window = Window::new(None);
    let now = Instant::now();
    for n in 0..1000 {
        let name = format!("t{n}");
        assert_eq!(window.admit(task(&name, n), key(&name), now), Admission::Go);
    }
    assert_eq!(window.queued(), 0);
    assert!(window.wake(now).is_empty());
}

#[test]
fn past_the_limit_tasks_queue_and_are_woken_oldest_first_as_pods_board() {
    let mut window = Window::new(Some(2));
    let now = Instant::now();
    assert_eq!(window.admit(task("a", 0), key("a-1"), now), Admission::Go);
    assert_eq!(window.admit(task("b", 1), key("b-1"), now), Admission::Go);
    // Created in a different order from the one they asked in: the queue
    // keeps the order of creation.
    assert_eq!(
        window.admit(task("d", 3), key("d-1"), now),
        Admission::Queued { limit: 2 }
    );
    assert_eq!(
        window.admit(task("c", 2), key("c-1"), now),
        Admission::Queued { limit: 2 }
    );
    assert_eq!(window.queued(), 2);

    // The cache shows both pods waiting: still no room.
    window.pod_seen(key("a-1"), true);
    window.pod_seen(key("b-1"), true);
    assert!(window.wake(now).is_empty());

    // One boards its aircraft: the oldest queued task is woken, once.
    window.pod_seen(key("a-1"), false);
    assert_eq!(window.wake(now), vec![key("c")]);
    assert!(
        window.wake(now).is_empty(),
        "the woken task holds the place"
    );
    assert_eq!(window.admit(task("c", 2), key("c-1"), now), Admission::Go);
    assert_eq!(window.queued(), 1);
}

#[test]
fn a_task_behind_others_waits_its_turn_even_when_there_is_room() {
    let mut window = Window::new(Some(1));
    let now = Instant::now();
    assert_eq!(window.admit(task("a", 0), key("a-1"), now), Admission::Go);
    assert_eq!(
        window.admit(task("b", 1), key("b-1"), now),
        Admission::Queued { limit: 1 }
    );
    window.pod_seen(key("a-1"), false);
    // A newer task asks before the woken one: it queues behind.
    let woken = window.wake(now);
    assert_eq!(woken, vec![key("b")]);
    assert_eq!(
        window.admit(task("c", 2), key("c-1"), now),
        Admission::Queued { limit: 1 }
    );
    assert_eq!(window.admit(task("b", 1), key("b-1"), now), Admission::Go);
}

#[test]
fn a_create_withdrawn_or_never_seen_frees_its_place() {
    let mut window = Window::new(Some(1));
    let start = Instant::now();
    assert_eq!(window.admit(task("a", 0), key("a-1"), start), Admission::Go);
    assert_eq!(
        window.admit(task("b", 1), key("b-1"), start),
        Admission::Queued { limit: 1 }
    );
    window.withdraw(&key("a-1"));
    assert_eq!(window.wake(start), vec![key("b")]);
    assert_eq!(window.admit(task("b", 1), key("b-1"), start), Admission::Go);

    // b's pod never shows in the cache: after a minute its place is free.
    assert_eq!(
        window.admit(task("c", 2), key("c-1"), start),
        Admission::Queued { limit: 1 }
    );
    assert!(window.wake(start + Duration::from_secs(59)).is_empty());
    assert_eq!(window.wake(start + Duration::from_secs(61)), vec![key("c")]);
}

#[test]
fn a_woken_task_that_never_asks_again_gives_its_place_to_the_next() {
    let mut window = Window::new(Some(1));
    let start = Instant::now();
    assert_eq!(window.admit(task("a", 0), key("a-1"), start), Admission::Go);
    window.admit(task("b", 1), key("b-1"), start);
    window.admit(task("c", 2), key("c-1"), start);
    window.pod_seen(key("a-1"), true);
    window.pod_seen(key("a-1"), false);
    // b was deleted meanwhile and never asks.
    assert_eq!(window.wake(start), vec![key("b")]);
    assert!(window.wake(start + Duration::from_secs(5)).is_empty());
    assert_eq!(window.wake(start + Duration::from_secs(11)), vec![key("c")]);
}

#[test]
fn a_task_that_leaves_the_queue_is_not_woken() {
    let mut window = Window::new(Some(1));
    let now = Instant::now();
    window.admit(task("a", 0), key("a-1"), now);
    window.admit(task("b", 1), key("b-1"), now);
    window.admit(task("c", 2), key("c-1"), now);
    window.leave(&task("b", 1));
    window.pod_seen(key("a-1"), false);
    assert_eq!(window.wake(now), vec![key("c")]);
}

#[test]
fn a_pod_the_cache_already_shows_waiting_takes_one_place_not_two() {
    let mut window = Window::new(Some(2));
    let now = Instant::now();
    window.pod_seen(key("a-1"), true);
    // A restarted operator plans the same pod again (AlreadyExists).
    assert_eq!(window.admit(task("a", 0), key("a-1"), now), Admission::Go);
    assert_eq!(window.admit(task("b", 1), key("b-1"), now), Admission::Go);
    assert_eq!(
        window.admit(task("c", 2), key("c-1"), now),
        Admission::Queued { limit: 2 }
    );
}
