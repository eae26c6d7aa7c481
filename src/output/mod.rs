//! Everything that renders for a person: colours, errors, tables, diagnostics.
//! Pure `render(...) -> String` functions wherever possible, so they are tested
//! without a terminal.

pub mod color;
pub mod custom_columns;
pub mod describe;
pub mod diagnostics;
pub mod error;
pub mod fleet;
pub mod html;
pub mod jsonpath;
pub mod missions;
pub mod scheduling;
pub mod table;
pub mod tree;
pub mod weapons;
