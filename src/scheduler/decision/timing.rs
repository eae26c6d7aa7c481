//! Where a decision's time goes, plugin by plugin. Measuring costs two clock
//! reads per plugin call, so the scheduler measures a sample of its decisions
//! and decides the rest untimed.

use std::time::{Duration, Instant};

/// The extension point a plugin ran at, as kube-scheduler names them.
pub const FILTER: &str = "Filter";
pub const SCORE: &str = "Score";

/// Runs plugin calls, timing them or not.
pub trait PluginClock {
    fn run<T>(&mut self, plugin: &'static str, point: &'static str, call: impl FnOnce() -> T) -> T;
}

/// Runs every call as it is.
pub struct Untimed;

impl PluginClock for Untimed {
    #[inline(always)]
    fn run<T>(&mut self, _: &'static str, _: &'static str, call: impl FnOnce() -> T) -> T {
        call()
    }
}

/// The time each plugin took over one decision: across every node it
/// looked at.
#[derive(Debug, Default)]
pub struct PluginTimes {
    spent: Vec<(&'static str, &'static str, Duration)>,
}

impl PluginTimes {
    /// `(plugin, extension point, time)` for each plugin that ran.
    pub fn spent(&self) -> &[(&'static str, &'static str, Duration)] {
        &self.spent
    }
}

impl PluginClock for PluginTimes {
    fn run<T>(&mut self, plugin: &'static str, point: &'static str, call: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let result = call();
        let took = started.elapsed();
        match (self.spent.iter_mut()).find(|(p, e, _)| *p == plugin && *e == point) {
            Some((_, _, spent)) => *spent += took,
            None => self.spent.push((plugin, point, took)),
        }
        result
    }
}
