use http::HeaderValue;

use super::*;

fn bound() -> SocketAddr {
    "127.0.0.1:8031".parse().unwrap()
}

fn secrets() -> Secrets {
    Secrets {
        token: "a".repeat(64),
        csrf: "b".repeat(64),
    }
}

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    map.insert(HOST, HeaderValue::from_static("127.0.0.1:8031"));
    for (name, value) in pairs {
        map.insert(*name, HeaderValue::from_str(value).unwrap());
    }
    map
}

fn uri(text: &str) -> Uri {
    text.parse().unwrap()
}

#[test]
fn a_request_without_the_token_or_its_cookie_is_refused() {
    let access = check(&secrets(), bound(), &uri("/missions"), &headers(&[]));
    assert!(matches!(access, Access::Refused(_)), "{access:?}");
    let wrong = format!("airforce-dashboard-8031={}", "c".repeat(64));
    let access = check(
        &secrets(),
        bound(),
        &uri("/missions"),
        &headers(&[("cookie", &wrong)]),
    );
    assert!(matches!(access, Access::Refused(_)), "{access:?}");
}

#[test]
fn the_token_in_the_url_is_swapped_for_a_cookie_and_the_url_cleaned() {
    let url = format!("/missions?namespace=far&token={}", "a".repeat(64));
    let access = check(&secrets(), bound(), &uri(&url), &headers(&[]));
    assert_eq!(
        access,
        Access::Enter {
            location: "/missions?namespace=far".into()
        }
    );
    let cookie = admitting_cookie(&secrets(), bound());
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let sent = cookie.split(';').next().unwrap().to_string();
    let access = check(
        &secrets(),
        bound(),
        &uri("/missions"),
        &headers(&[("cookie", &sent)]),
    );
    assert_eq!(access, Access::Granted);
}

#[test]
fn the_cleaned_url_never_leads_to_another_site() {
    let url = format!("//evil.example/x?token={}", "a".repeat(64));
    let uri = Uri::builder().path_and_query(url).build().unwrap();
    let access = check(&secrets(), bound(), &uri, &headers(&[]));
    assert_eq!(
        access,
        Access::Enter {
            location: "/".into()
        }
    );
}

#[test]
fn a_wrong_token_in_the_url_is_refused() {
    let url = format!("/?token={}", "a".repeat(63));
    let access = check(&secrets(), bound(), &uri(&url), &headers(&[]));
    assert!(matches!(access, Access::Refused(_)), "{access:?}");
}

#[test]
fn a_name_other_than_loopback_is_refused_on_a_loopback_address() {
    let mut map = headers(&[]);
    map.insert(HOST, HeaderValue::from_static("evil.example:8031"));
    let url = format!("/?token={}", "a".repeat(64));
    assert!(matches!(
        check(&secrets(), bound(), &uri(&url), &map),
        Access::Refused(_)
    ));
    map.insert(HOST, HeaderValue::from_static("localhost:8031"));
    assert!(matches!(
        check(&secrets(), bound(), &uri(&url), &map),
        Access::Enter { .. }
    ));
}

#[test]
fn an_action_from_another_site_is_told_apart_from_one_of_the_consoles_pages() {
    let ours = headers(&[
        ("origin", "http://127.0.0.1:8031"),
        ("sec-fetch-site", "same-origin"),
    ]);
    assert_eq!(cross_site(bound(), &ours), None);
    let theirs = headers(&[
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ]);
    assert!(cross_site(bound(), &theirs).is_some());
    let no_fetch_metadata = headers(&[("origin", "https://evil.example")]);
    assert!(cross_site(bound(), &no_fetch_metadata).is_some());
    let our_form_without_referrer =
        headers(&[("origin", "null"), ("sec-fetch-site", "same-origin")]);
    assert_eq!(cross_site(bound(), &our_form_without_referrer), None);
}

#[test]
fn the_csrf_secret_is_checked_whole() {
    let secrets = secrets();
    assert!(secrets.csrf_matches(&"b".repeat(64)));
    assert!(!secrets.csrf_matches(&"b".repeat(63)));
    assert!(!secrets.csrf_matches(""));
}
