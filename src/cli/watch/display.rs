//! Where `watch` shows the missions: on a terminal the trees are redrawn in
//! place; anywhere else (a pipe, a CI log) a timestamped line is printed for
//! each mission, stage and task whose state changed, and the trees once at the end.

use std::collections::HashMap;

use k8s_openapi::jiff::Timestamp;

use crate::cli::stdout;
use crate::output::color::Palette;
use crate::output::tree::{self, MissionView, RenderOptions};

/// A terminal whose size cannot be read is taken to be this big (rows, columns).
const FALLBACK_SIZE: (u16, u16) = (24, 80);

pub enum Display {
    Live {
        screen: Screen,
        options: Options,
    },
    Log {
        printed: HashMap<String, String>,
        options: Options,
    },
}

#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub palette: Palette,
    pub show_namespace: bool,
    /// Each replica of a fanned-out task on its own line.
    pub expand_replicas: bool,
}

impl Display {
    /// Redraws in place when stdout is a terminal, logs lines otherwise.
    pub fn for_stdout(options: Options) -> Display {
        use std::io::IsTerminal;
        if std::io::stdout().is_terminal() {
            Display::Live {
                screen: Screen::default(),
                options,
            }
        } else {
            Display::Log {
                printed: HashMap::new(),
                options,
            }
        }
    }

    pub fn update(&mut self, views: &[MissionView]) {
        let now = Timestamp::now();
        match self {
            Display::Live { screen, options } => {
                let (rows, columns) = terminal_size();
                let text = trees(views, options, Some(usize::from(columns)), now);
                // Lines scrolled off the top cannot be redrawn: leave one row free.
                let frame = fit(&text, usize::from(rows).saturating_sub(1), columns.into());
                write(&screen.frame(&frame))
            }
            Display::Log { printed, options } => {
                let stamp = now.strftime("%H:%M:%S").to_string();
                let mut out = String::new();
                for view in views {
                    for line in
                        tree::status_lines(view, options.show_namespace, options.expand_replicas)
                    {
                        if printed.get(&line.key) != Some(&line.text) {
                            out.push_str(&format!("{stamp} {}\n", line.text));
                            printed.insert(line.key, line.text);
                        }
                    }
                }
                write(&out)
            }
        }
    }

    /// The last word: the whole trees, which stay on the screen or end the log.
    pub fn finish(&mut self, views: &[MissionView]) {
        let now = Timestamp::now();
        match self {
            Display::Live { screen, options } => {
                let (_, columns) = terminal_size();
                let text = trees(views, options, Some(usize::from(columns)), now);
                let lines: Vec<String> = text.lines().map(str::to_string).collect();
                write(&screen.frame(&lines))
            }
            Display::Log { options, .. } => {
                let options = *options;
                self.update(views);
                write(&format!("\n{}\n", trees(views, &options, None, now)))
            }
        }
    }
}

/// Every mission's tree, a blank line apart.
pub fn trees(
    views: &[MissionView],
    options: &Options,
    width: Option<usize>,
    now: Timestamp,
) -> String {
    let render = RenderOptions {
        palette: options.palette,
        now,
        width,
        show_namespace: options.show_namespace,
        expand_replicas: options.expand_replicas,
    };
    let trees: Vec<String> = views.iter().map(|v| tree::render(v, &render)).collect();
    trees.join("\n\n")
}

/// (rows, columns) of the terminal on stdout.
pub fn terminal_size() -> (u16, u16) {
    console::Term::stdout()
        .size_checked()
        .unwrap_or(FALLBACK_SIZE)
}

fn write(text: &str) {
    stdout::write_bytes(text.as_bytes());
}

/// At most `rows` lines of `text`, the last saying that more follow.
fn fit(text: &str, rows: usize, columns: usize) -> Vec<String> {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if lines.len() > rows && rows > 0 {
        lines.truncate(rows - 1);
        lines.push(console::truncate_str(MORE, columns, "…").into_owned());
    }
    lines
}

const MORE: &str = "… more below: enlarge the terminal to see it all";

/// Redraws a block of lines in place: back up over the last frame, overwrite
/// each line and clear what is left of it, clear anything below. The frame is
/// sent as one synchronized update, so terminals that support it never show
/// a half-drawn tree; the others ignore the markers.
#[derive(Debug, Default)]
pub struct Screen {
    /// The last frame, which the next one goes back over.
    drawn: Vec<String>,
}

const BEGIN_UPDATE: &str = "\u{1b}[?2026h";
const END_UPDATE: &str = "\u{1b}[?2026l";
const CLEAR_LINE_END: &str = "\u{1b}[K";
const CLEAR_BELOW: &str = "\u{1b}[J";

impl Screen {
    /// The bytes that replace the last frame with `lines`: none when nothing
    /// changed, since the screen already shows it.
    pub fn frame(&mut self, lines: &[String]) -> String {
        if !self.drawn.is_empty() && self.drawn == lines {
            return String::new();
        }
        let mut out = String::from(BEGIN_UPDATE);
        if !self.drawn.is_empty() {
            out.push_str(&format!("\r\u{1b}[{}A", self.drawn.len()));
        }
        for line in lines {
            out.push_str(line);
            out.push_str(CLEAR_LINE_END);
            out.push('\n');
        }
        out.push_str(CLEAR_BELOW);
        out.push_str(END_UPDATE);
        self.drawn = lines.to_vec();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn the_first_frame_is_drawn_where_the_cursor_is() {
        let mut screen = Screen::default();
        assert_eq!(
            screen.frame(&lines(&["a", "b"])),
            "\u{1b}[?2026ha\u{1b}[K\nb\u{1b}[K\n\u{1b}[J\u{1b}[?2026l"
        );
    }

    #[test]
    fn the_next_frame_goes_back_over_the_last_one_and_clears_what_it_leaves() {
        let mut screen = Screen::default();
        screen.frame(&lines(&["a", "b", "c"]));
        let next = screen.frame(&lines(&["x"]));
        assert!(
            next.starts_with("\u{1b}[?2026h\r\u{1b}[3Ax\u{1b}[K\n"),
            "{next:?}"
        );
        assert!(next.ends_with("\u{1b}[J\u{1b}[?2026l"), "{next:?}");
        assert!(screen.frame(&[]).contains("\u{1b}[1A"));
    }

    #[test]
    fn a_frame_like_the_last_one_is_not_drawn_again() {
        let mut screen = Screen::default();
        screen.frame(&lines(&["a", "b"]));
        assert_eq!(screen.frame(&lines(&["a", "b"])), "");
        assert!(screen.frame(&lines(&["a", "c"])).contains("\u{1b}[2A"));
    }

    #[test]
    fn a_tree_taller_than_the_terminal_is_cut_with_a_note() {
        let text = "1\n2\n3\n4\n5";
        assert_eq!(fit(text, 10, 80), ["1", "2", "3", "4", "5"]);
        assert_eq!(fit(text, 3, 80), ["1", "2", MORE]);
        assert_eq!(fit(text, 3, 8)[2], "… more …");
    }
}
