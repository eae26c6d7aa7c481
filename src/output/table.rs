//! Tables in kubectl's plain style: upper-case headers, no borders, three spaces
//! between columns, and a cell never split: a row wider than the terminal runs
//! on past its edge, as kubectl's rows do, so every line stays one record that
//! `grep` and `awk` can read. Colour goes through
//! comfy-table's own cell styling so column widths stay right.

use comfy_table::presets::NOTHING;
use comfy_table::{Cell, Color, ContentArrangement, Row, Table};

use super::color::Palette;

pub fn new<R: Into<Row>>(headers: R, palette: Palette) -> Table {
    let mut table = Table::new();
    table
        .load_style(NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(headers);
    if palette.enabled {
        table.enforce_styling();
    }
    for column in table.column_iter_mut() {
        column.set_padding((0, 3));
    }
    table
}

/// A cell in `color` when the palette is on, plain otherwise.
pub fn colored(text: impl Into<String>, color: Color, palette: Palette) -> Cell {
    let cell = Cell::new(text.into());
    if palette.enabled {
        cell.fg(color)
    } else {
        cell
    }
}

/// Renders without trailing padding, as kubectl prints.
pub fn render(table: &Table) -> String {
    table.trim_fmt()
}

/// Renders as [`render`], leaving out the header line for `--no-headers`
/// (the columns keep the width the headers gave them).
pub fn render_with_headers(table: &Table, headers: bool) -> String {
    let text = render(table);
    match headers {
        true => text,
        false => text
            .split_once('\n')
            .map(|(_, rows)| rows.to_string())
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_separated_like_kubectl() {
        let mut table = new(vec!["NAME", "PHASE"], Palette::PLAIN);
        table.add_row(vec!["far-sea-strike", "Running"]);
        assert_eq!(
            render(&table),
            "NAME             PHASE\nfar-sea-strike   Running"
        );
    }

    #[test]
    fn coloured_cells_keep_the_columns_aligned() {
        let mut table = new(vec!["NAME", "RESULT", "NOTE"], Palette { enabled: true });
        table.add_row(vec![
            Cell::new("a"),
            colored("pass", Color::Green, Palette { enabled: true }),
            Cell::new("x"),
        ]);
        let plain: String = render(&table)
            .replace("\u{1b}[38;5;10m", "")
            .replace("\u{1b}[39m", "");
        let lines: Vec<_> = plain.lines().collect();
        assert_eq!(lines[1].find('x'), lines[0].find("NOTE"), "{plain:?}");
    }
}
