//! The marked YAML events of a text, pulled one at a time.
//!
//! yaml-rust2's parser is generic over its character source, so it is compiled
//! in whichever crate names that source. Naming it here, behind functions that
//! are not generic, compiles the scanner once, in this crate, with this crate's
//! optimisation settings: a debug build of the product then reads a hostile
//! file of megabytes about as fast as a release build does, without
//! optimising the rest of the product.

use std::str::Chars;

pub use yaml_rust2::parser::Event;
use yaml_rust2::parser::Parser;
pub use yaml_rust2::scanner::{Marker, ScanError};

/// The events of one text, with where each starts, up to the end of the
/// stream or the first syntax error, which is the last item.
pub struct Events<'a> {
    parser: Parser<Chars<'a>>,
    ended: bool,
}

impl<'a> Events<'a> {
    pub fn new(text: &'a str) -> Self {
        Self {
            parser: Parser::new_from_str(text),
            ended: false,
        }
    }
}

impl Iterator for Events<'_> {
    type Item = Result<(Event, Marker), ScanError>;

    // Not inlined, so the scanner stays compiled here.
    #[inline(never)]
    fn next(&mut self) -> Option<Self::Item> {
        if self.ended {
            return None;
        }
        let next = self.parser.next_token();
        self.ended = matches!(next, Err(_) | Ok((Event::StreamEnd, _)));
        match next {
            Ok((Event::StreamEnd, _)) => None,
            next => Some(next),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_come_in_order_with_their_lines() {
        let seen: Vec<_> = Events::new("a:\n  - b\n")
            .filter_map(|next| match next.expect("valid YAML") {
                (Event::Scalar(value, ..), mark) => Some((value, mark.line())),
                _ => None,
            })
            .collect();
        assert_eq!(seen, vec![("a".to_string(), 1), ("b".to_string(), 2)]);
    }

    #[test]
    fn a_syntax_error_is_returned_with_its_place() {
        let mut events = Events::new("a: [1,\n");
        let error = events.find_map(Result::err).expect("the text is not valid");
        assert_eq!(error.marker().line(), 2);
        assert!(events.next().is_none(), "nothing follows the error");
    }
}
