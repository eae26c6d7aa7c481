//! Health: whether the API server says it is ready (its own checks, listed),
//! which operator holds the leader Lease, and that operator's metrics when
//! they can be read through the API server.

use maud::{Markup, html};

use super::layout::{Chrome, page};

/// The leader Lease as found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaderView {
    /// `namespace/name` of the Lease.
    pub lease: String,
    pub holder: Option<String>,
    /// "12s ago".
    pub renewed: Option<String>,
    /// Whether the holder renewed within its lease duration.
    pub current: bool,
}

#[derive(Debug, Clone)]
pub struct HealthPage<'a> {
    /// `/readyz?verbose` as the API server answered it, and whether it said ready.
    pub readyz: Result<(bool, &'a str), &'a str>,
    /// The Leases found, or why none could be read.
    pub leaders: Result<&'a [LeaderView], &'a str>,
    /// A few metric lines of the leader (name and value), or why they are not shown.
    pub metrics: Result<&'a [(String, String)], &'a str>,
}

pub fn health_page(chrome: &Chrome, health: &HealthPage) -> Markup {
    page(
        chrome,
        html! {
            h1 { "Health" }
            section aria-labelledby="api" {
                h2 #api { "API server" }
                @match health.readyz {
                    Ok((ready, text)) => {
                        p class=(if ready { "ok" } else { "bad" }) { (if ready { "✔ ready" } else { "✖ not ready" }) }
                        details { summary { "Its checks" } pre { (text) } }
                    }
                    Err(why) => p.bad { "✖ " (why) }
                }
            }
            section aria-labelledby="operator" {
                h2 #operator { "Operator" }
                @match health.leaders {
                    Ok([]) => p.notice { "No operator holds the leader Lease. An installed operator takes it (" code { "kubectl airforce install" } "), as does " code { "kubectl airforce run --leader-elect" } "; a plain " code { "run" } " takes none, so it is not seen here." },
                    Ok(leaders) => {
                        @for leader in leaders {
                            p class=(if leader.current { "ok" } else { "bad" }) {
                                (if leader.current { "✔ " } else { "✖ " })
                                "Leader " strong { (leader.holder.as_deref().unwrap_or("none")) }
                                " holds " code { (leader.lease) }
                                @if let Some(renewed) = &leader.renewed { ", renewed " (renewed) }
                                @if !leader.current { " (expired: the holder stopped renewing)" }
                            }
                        }
                    }
                    Err(why) => p.notice { (why) },
                }
                h3 { "Metrics" }
                @match health.metrics {
                    Ok(lines) => {
                        table.metrics { tbody { @for (name, value) in lines { tr { td { code { (name) } } td { (value) } } } } }
                    }
                    Err(why) => p.dim { (why) },
                }
            }
        },
    )
}
