//! How an error reaches the user: the message, then each cause on its own
//! line. A refusal of the API server is told once, in its own words (not the
//! client's debug dump of it), and a permission refusal says how to check
//! what the caller may do.

use super::color::Palette;

pub fn render(error: &anyhow::Error, palette: Palette) -> String {
    let mut text = format!("{} {error}", palette.red("error:"));
    for cause in error.chain().skip(1) {
        let refusal = match cause.downcast_ref::<kube::Error>() {
            Some(kube::Error::Api(status)) => Some(status),
            _ => None,
        };
        let said = refusal.map_or_else(|| cause.to_string(), |status| status.message.clone());
        text.push_str(&format!("\n  {} {said}", palette.dim("caused by:")));
        if let Some(status) = refusal {
            if status.is_forbidden() {
                text.push_str(&format!("\n  {} {}", palette.dim("hint:"), FORBIDDEN_HINT));
            }
            // What follows is the same refusal again.
            break;
        }
    }
    text
}

const FORBIDDEN_HINT: &str = "your identity may not do this: `kubectl auth can-i --list -n NAMESPACE` shows what it may; ask for a RoleBinding that allows it";

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

    #[test]
    fn an_api_refusal_is_told_once_in_its_own_words_with_a_hint_when_forbidden() {
        let status = kube::core::Status::failure(
            "missions.airforce.mil is forbidden: cannot list",
            "Forbidden",
        )
        .with_code(403);
        let error = anyhow::Error::new(kube::Error::Api(Box::new(status)))
            .context("cannot list the missions in namespace a");
        assert_eq!(
            render(&error, Palette::PLAIN),
            format!(
                "error: cannot list the missions in namespace a\n  caused by: missions.airforce.mil is forbidden: cannot list\n  hint: {FORBIDDEN_HINT}"
            )
        );
    }
}
