//! `-o custom-columns=HEADER:PATH,…`: a table whose columns are chosen by the
//! caller, each a header and a JSONPath into every object, as `kubectl get`
//! prints it: a field that is missing shows `<none>`, several values are joined
//! with commas.

use serde_json::Value;
use serde_json_path::JsonPath;

use super::color::Palette;
use super::jsonpath::{relaxed_path, text_of};
use super::table;

/// The columns of a `custom-columns=` spec.
#[derive(Debug, Clone)]
pub struct Columns {
    columns: Vec<(String, JsonPath)>,
}

impl Columns {
    /// Parses `NAME:.metadata.name,PHASE:.status.phase`.
    pub fn parse(spec: &str) -> Result<Columns, String> {
        let mut columns = Vec::new();
        for column in spec.split(',').filter(|column| !column.trim().is_empty()) {
            let (header, path) = column.split_once(':').ok_or_else(|| {
                format!("column {column:?} is not HEADER:PATH (e.g. NAME:.metadata.name)")
            })?;
            let path = relaxed_path(path).map_err(|error| format!("column {header}: {error}"))?;
            columns.push((header.trim().to_string(), path));
        }
        if columns.is_empty() {
            return Err("no columns: give HEADER:PATH pairs such as NAME:.metadata.name".into());
        }
        Ok(Columns { columns })
    }

    /// Parses a custom-columns file: a line of headers and a line of paths,
    /// each separated by spaces, as kubectl reads it.
    pub fn parse_file(headers: &str, paths: &str) -> Result<Columns, String> {
        let headers: Vec<&str> = headers.split_whitespace().collect();
        let paths: Vec<&str> = paths.split_whitespace().collect();
        if headers.len() != paths.len() {
            return Err(format!(
                "{} headers on the first line but {} paths on the second: give one path per header",
                headers.len(),
                paths.len()
            ));
        }
        let spec: Vec<String> = (headers.iter().zip(&paths))
            .map(|(header, path)| format!("{header}:{path}"))
            .collect();
        Columns::parse(&spec.join(","))
    }

    /// The table of `items`, with the header line unless `headers` is false.
    pub fn render(&self, items: &[Value], headers: bool) -> String {
        let names: Vec<&str> = self
            .columns
            .iter()
            .map(|(header, _)| header.as_str())
            .collect();
        let mut rendered = table::new(names, Palette::PLAIN);
        for item in items {
            let row: Vec<String> = (self.columns.iter())
                .map(|(_, path)| {
                    let found: Vec<String> =
                        path.query(item).all().into_iter().map(text_of).collect();
                    match found.is_empty() {
                        true => "<none>".to_string(),
                        false => found.join(","),
                    }
                })
                .collect();
            rendered.add_row(row);
        }
        table::render_with_headers(&rendered, headers)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn each_column_is_a_path_into_every_item() {
        let columns =
            Columns::parse("NAME:.metadata.name,PHASE:{.status.phase},TEAM:.metadata.labels.team")
                .expect("a spec");
        let items = [
            json!({"metadata": {"name": "alpha", "labels": {"team": "blue"}}, "status": {"phase": "Failed"}}),
            json!({"metadata": {"name": "bravo-long"}, "status": {"phase": "Running"}}),
        ];
        assert_eq!(
            columns.render(&items, true),
            "NAME         PHASE     TEAM\nalpha        Failed    blue\nbravo-long   Running   <none>"
        );
        assert_eq!(
            columns.render(&items, false),
            "alpha        Failed    blue\nbravo-long   Running   <none>"
        );
    }

    #[test]
    fn a_bad_spec_says_which_column() {
        let error = Columns::parse("NAME").expect_err("no path");
        assert!(error.contains("HEADER:PATH"), "{error}");
        let error = Columns::parse("NAME:.items[").expect_err("bad path");
        assert!(error.starts_with("column NAME: "), "{error}");
    }
}
