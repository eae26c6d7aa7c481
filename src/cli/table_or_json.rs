//! `-o table|json`: the output choice of the commands that print one table
//! for a person or the same facts as JSON for a program.

use clap::ValueEnum;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum TableOrJson {
    #[default]
    Table,
    Json,
}
