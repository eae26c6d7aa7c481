//! `-o table|json|yaml`: the output choice of the commands that print one
//! table for a person or the same facts as data for a program.

use clap::ValueEnum;
use serde::Serialize;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    #[default]
    Table,
    Json,
    Yaml,
}

impl ReportFormat {
    /// Prints `data` as JSON or YAML, or the table `table` draws.
    pub fn print<T: Serialize + ?Sized>(
        self,
        data: &T,
        table: impl FnOnce() -> String,
    ) -> anyhow::Result<()> {
        match self {
            Self::Table => outln!("{}", table()),
            Self::Json => outln!("{}", serde_json::to_string_pretty(data)?),
            Self::Yaml => outln!("{}", serde_yaml_ng::to_string(data)?.trim_end()),
        }
        Ok(())
    }

    /// Whether the output is data for a program rather than a table.
    pub fn is_data(self) -> bool {
        self != Self::Table
    }
}
