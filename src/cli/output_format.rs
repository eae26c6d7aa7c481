//! `-o` of the commands that list or get objects, in kubectl's vocabulary:
//! `table` (the default), `wide`, `yaml`, `json`, `name`,
//! `jsonpath=TEMPLATE`, `jsonpath-file=FILE`, `custom-columns=SPEC` and
//! `custom-columns-file=FILE`. A template or spec that does not parse is
//! refused before anything is read from the cluster.

use std::ffi::OsStr;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::ErrorKind;

use crate::output::custom_columns::Columns;
use crate::output::jsonpath::Template;

#[derive(Debug, Clone, Default)]
pub enum OutputFormat {
    #[default]
    Table,
    Wide,
    Yaml,
    Json,
    Name,
    JsonPath(Template),
    CustomColumns(Columns),
}

impl OutputFormat {
    /// Whether the format prints a table for a person, which says so when
    /// there is nothing to show.
    pub fn is_table(&self) -> bool {
        matches!(self, OutputFormat::Table | OutputFormat::Wide)
    }
}

/// Every format, as `--help` and completion offer them.
const FORMATS: [(&str, &str); 9] = [
    ("table", "one row per object (the default)"),
    ("wide", "the table with more columns"),
    ("yaml", "the objects as YAML"),
    ("json", "the objects as JSON"),
    ("name", "kind/name lines, for other commands to read"),
    (
        "jsonpath=",
        "a JSONPath template, e.g. jsonpath='{.items[*].metadata.name}'",
    ),
    ("jsonpath-file=", "a JSONPath template read from a file"),
    (
        "custom-columns=",
        "chosen columns, e.g. custom-columns=NAME:.metadata.name,PHASE:.status.phase",
    ),
    (
        "custom-columns-file=",
        "a custom-columns spec read from a file",
    ),
];

/// Parses one `-o` value.
pub fn parse(text: &str) -> Result<OutputFormat, String> {
    let read = |path: &str| {
        std::fs::read_to_string(path).map_err(|error| format!("cannot read {path}: {error}"))
    };
    let template = |text: &str| Template::parse(text).map_err(|error| error.to_string());
    match text.split_once('=') {
        None => match text {
            "table" | "" => Ok(OutputFormat::Table),
            "wide" => Ok(OutputFormat::Wide),
            "yaml" => Ok(OutputFormat::Yaml),
            "json" => Ok(OutputFormat::Json),
            "name" => Ok(OutputFormat::Name),
            "jsonpath" | "custom-columns" | "jsonpath-file" | "custom-columns-file" => {
                Err(format!("{text} needs a value: {text}=…"))
            }
            _ => Err(unknown(text)),
        },
        Some(("jsonpath", value)) => template(value).map(OutputFormat::JsonPath),
        Some(("jsonpath-file", path)) => {
            template(read(path)?.trim_end()).map(OutputFormat::JsonPath)
        }
        Some(("custom-columns", spec)) => Columns::parse(spec).map(OutputFormat::CustomColumns),
        Some(("custom-columns-file", path)) => {
            let spec = read(path)?;
            let (headers, paths) = spec.trim().split_once('\n').unwrap_or((spec.trim(), ""));
            Columns::parse_file(headers, paths).map(OutputFormat::CustomColumns)
        }
        Some((format, _)) => Err(unknown(format)),
    }
}

fn unknown(format: &str) -> String {
    let known: Vec<&str> = FORMATS.iter().map(|(name, _)| *name).collect();
    format!(
        "unknown output format {format:?}; use one of {}",
        known.join(", ")
    )
}

/// The `-o` value parser, with the formats offered to `--help` and completion.
#[derive(Debug, Clone, Copy)]
pub struct OutputFormatParser;

impl TypedValueParser for OutputFormatParser {
    type Value = OutputFormat;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<OutputFormat, clap::Error> {
        let text = value.to_str().ok_or_else(|| {
            clap::Error::raw(ErrorKind::InvalidUtf8, "-o: the format is not UTF-8\n").with_cmd(cmd)
        })?;
        parse(text).map_err(|message| {
            clap::Error::raw(
                ErrorKind::ValueValidation,
                format!("-o {text}: {message}\n"),
            )
            .with_cmd(cmd)
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            FORMATS
                .iter()
                .map(|(name, help)| PossibleValue::new(*name).help(*help)),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_format_parses_and_an_unknown_one_lists_them() {
        for name in ["table", "wide", "yaml", "json", "name"] {
            assert!(parse(name).is_ok(), "{name}");
        }
        assert!(matches!(
            parse("jsonpath={.items[*].metadata.name}"),
            Ok(OutputFormat::JsonPath(_))
        ));
        assert!(matches!(
            parse("custom-columns=NAME:.metadata.name"),
            Ok(OutputFormat::CustomColumns(_))
        ));
        let error = parse("xml").expect_err("unknown");
        assert!(
            error.contains("jsonpath=") && error.contains("custom-columns="),
            "{error}"
        );
        assert_eq!(
            parse("jsonpath").expect_err("no template"),
            "jsonpath needs a value: jsonpath=…"
        );
        let error = parse("jsonpath={.items[").expect_err("broken");
        assert!(error.contains("never closed"), "{error}");
    }

    #[test]
    fn files_hold_templates_and_column_specs() {
        let dir = std::env::temp_dir().join(format!("airforce-output-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a directory");
        let template = dir.join("t.jsonpath");
        std::fs::write(&template, "{.metadata.name}\n").expect("written");
        let columns = dir.join("c.columns");
        std::fs::write(&columns, "NAME   PHASE\n.metadata.name   .status.phase\n")
            .expect("written");
        let parsed = parse(&format!("jsonpath-file={}", template.display())).expect("a template");
        let OutputFormat::JsonPath(template) = parsed else {
            panic!("a template");
        };
        let mission =
            serde_json::json!({"metadata": {"name": "alpha"}, "status": {"phase": "Failed"}});
        assert_eq!(template.render(&mission), "alpha");
        let parsed = parse(&format!("custom-columns-file={}", columns.display())).expect("a spec");
        let OutputFormat::CustomColumns(columns) = parsed else {
            panic!("columns");
        };
        assert_eq!(
            columns.render(&[mission], true),
            "NAME    PHASE\nalpha   Failed"
        );
        let error = parse("jsonpath-file=/nonexistent/t").expect_err("missing");
        assert!(error.starts_with("cannot read /nonexistent/t"), "{error}");
    }
}
