//! What every page of the console shares: the document around its content,
//! the navigation between sections, and how a state is written.

use maud::{DOCTYPE, Markup, html};

use crate::output::tree::State;

/// The console's sections, in the order the navigation lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Missions,
    Aircraft,
    Weapons,
    Health,
}

impl Section {
    const ALL: [Section; 4] = [
        Section::Missions,
        Section::Aircraft,
        Section::Weapons,
        Section::Health,
    ];

    fn path(self) -> &'static str {
        match self {
            Section::Missions => "/missions",
            Section::Aircraft => "/aircraft",
            Section::Weapons => "/weapons",
            Section::Health => "/health",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Section::Missions => "Missions",
            Section::Aircraft => "Aircraft",
            Section::Weapons => "Weapons",
            Section::Health => "Health",
        }
    }
}

/// What every page shows around its content.
#[derive(Debug, Clone)]
pub struct Chrome<'a> {
    pub title: &'a str,
    pub section: Section,
    /// The kube context or API server the console reads, shown in the header.
    pub cluster: &'a str,
    /// Whether the console was started with `--allow-actions`.
    pub actions: bool,
}

/// A whole HTML document around `content`.
pub fn page(chrome: &Chrome, content: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="color-scheme" content="light dark";
                title { (chrome.title) " · airforce" }
                link rel="stylesheet" href="/assets/app.css";
                script src="/assets/app.js" defer {}
            }
            body {
                header.top {
                    a.brand href="/missions" { "✈ airforce" }
                    nav aria-label="Sections" {
                        @for section in Section::ALL {
                            @if section == chrome.section {
                                a href=(section.path()) aria-current="page" { (section.label()) }
                            } @else {
                                a href=(section.path()) { (section.label()) }
                            }
                        }
                    }
                    span.cluster title="The cluster this console reads, as you" { (chrome.cluster) }
                    @if chrome.actions {
                        span.mode.actions { "actions on" }
                    } @else {
                        span.mode title="Started without --allow-actions" { "read-only" }
                    }
                }
                main { (content) }
            }
        }
    }
}

/// A state as symbol and word (never colour alone), its tone from the class.
pub(crate) fn state_badge(state: State) -> Markup {
    html! {
        span class={ "state " (state_class(state)) } {
            span.symbol aria-hidden="true" { (state.symbol()) } " " (state.word())
        }
    }
}

pub(crate) fn state_class(state: State) -> String {
    format!("st-{}", state.word().to_ascii_lowercase())
}

/// A short page for a refusal or a result: a heading, a sentence, a way back.
pub fn message_page(chrome: &Chrome, heading: &str, text: &str, back: (&str, &str)) -> Markup {
    page(
        chrome,
        html! {
            h1 { (heading) }
            p.notice { (text) }
            p { a href=(back.0) { (back.1) } }
        },
    )
}
