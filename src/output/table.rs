//! Tables in kubectl's plain style: upper-case headers, no borders, three spaces
//! between columns, sized to the terminal when there is one.

use comfy_table::presets::NOTHING;
use comfy_table::{ContentArrangement, Row, Table};

pub fn new<R: Into<Row>>(headers: R) -> Table {
    let mut table = Table::new();
    table
        .load_style(NOTHING)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(headers);
    for column in table.column_iter_mut() {
        column.set_padding((0, 3));
    }
    table
}

/// Renders without trailing padding, as kubectl prints.
pub fn render(table: &Table) -> String {
    table.trim_fmt()
}

#[cfg(test)]
mod tests {
    #[test]
    fn columns_are_separated_like_kubectl() {
        let mut table = super::new(vec!["NAME", "PHASE"]);
        table.add_row(vec!["far-sea-strike", "Running"]);
        assert_eq!(
            super::render(&table),
            "NAME             PHASE\nfar-sea-strike   Running"
        );
    }
}
