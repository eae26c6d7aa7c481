//! Colour only on a terminal and never when `NO_COLOR` is set.

use std::io::IsTerminal;

use owo_colors::OwoColorize;

fn allowed_by_env() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

pub fn stdout_enabled() -> bool {
    allowed_by_env() && std::io::stdout().is_terminal()
}

pub fn stderr_enabled() -> bool {
    allowed_by_env() && std::io::stderr().is_terminal()
}

/// A palette that is either on or off, so renderers stay pure functions of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    pub enabled: bool,
}

impl Palette {
    pub const PLAIN: Palette = Palette { enabled: false };

    pub fn for_stdout() -> Self {
        Palette {
            enabled: stdout_enabled(),
        }
    }

    pub fn for_stderr() -> Self {
        Palette {
            enabled: stderr_enabled(),
        }
    }

    fn paint(self, text: &str, style: impl FnOnce(&str) -> String) -> String {
        if self.enabled {
            style(text)
        } else {
            text.to_string()
        }
    }

    pub fn red(self, text: &str) -> String {
        self.paint(text, |t| t.red().to_string())
    }
    pub fn green(self, text: &str) -> String {
        self.paint(text, |t| t.green().to_string())
    }
    pub fn yellow(self, text: &str) -> String {
        self.paint(text, |t| t.yellow().to_string())
    }
    pub fn magenta(self, text: &str) -> String {
        self.paint(text, |t| t.magenta().to_string())
    }
    pub fn blue(self, text: &str) -> String {
        self.paint(text, |t| t.blue().to_string())
    }
    pub fn dim(self, text: &str) -> String {
        self.paint(text, |t| t.dimmed().to_string())
    }
    pub fn bold(self, text: &str) -> String {
        self.paint(text, |t| t.bold().to_string())
    }
}
