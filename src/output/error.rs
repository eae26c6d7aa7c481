//! How an error reaches the user: the message, then each cause on its own line.

use super::color::Palette;

pub fn render(error: &anyhow::Error, palette: Palette) -> String {
    let mut text = format!("{} {error}", palette.red("error:"));
    for cause in error.chain().skip(1) {
        text.push_str(&format!("\n  {} {cause}", palette.dim("caused by:")));
    }
    text
}

pub fn print(error: &anyhow::Error) {
    eprintln!("{}", render(error, Palette::for_stderr()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cause_is_shown_on_its_own_line() {
        let error = anyhow::anyhow!("connection refused").context("cannot list missions");
        assert_eq!(
            render(&error, Palette::PLAIN),
            "error: cannot list missions\n  caused by: connection refused"
        );
    }
}
