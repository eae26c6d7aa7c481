//! How an error reaches the user: the message, then each cause on its own
//! line. A refusal of the API server is told once, in its own words (not the
//! client's debug dump of it), on the line of what it refused, as kubectl
//! tells it; a permission refusal also names the roles that grant access.

use super::color::Palette;

pub fn render(error: &anyhow::Error, palette: Palette) -> String {
    let mut text = format!("{} {error}", palette.red("error:"));
    for cause in error.chain().skip(1) {
        let Some(kube::Error::Api(status)) = cause.downcast_ref::<kube::Error>() else {
            text.push_str(&format!("\n  {} {cause}", palette.dim("caused by:")));
            continue;
        };
        text.push_str(&format!(": {}", status.message));
        if status.is_forbidden() {
            text.push_str(FORBIDDEN_HINT);
        }
        // What follows is the same refusal again.
        break;
    }
    text
}

const FORBIDDEN_HINT: &str =
    " (to read, ask for a RoleBinding to the ClusterRole view in that namespace; to change, edit)";

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
    fn an_api_refusal_is_told_once_on_one_line_naming_the_roles_when_forbidden() {
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
                "error: cannot list the missions in namespace a: missions.airforce.mil is forbidden: cannot list{FORBIDDEN_HINT}"
            )
        );
    }
}
