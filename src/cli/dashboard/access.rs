//! Who may use the console: whoever holds the random token printed at start.
//! The token arrives once in the URL, is swapped for an HttpOnly, SameSite
//! cookie (and the URL cleaned) so it stays out of history and referrers, and
//! every later request carries the cookie. Requests that change anything must
//! also come from the console's own pages: same origin, and a second secret
//! that only those pages hold. Pure: no sockets, no clock.

use std::net::SocketAddr;

use http::header::{COOKIE, HOST, ORIGIN};
use http::{HeaderMap, Uri};

/// The two secrets of one run of the console.
#[derive(Clone)]
pub struct Secrets {
    token: String,
    csrf: String,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secrets(..)")
    }
}

impl Secrets {
    /// 256 random bits each, from the operating system.
    pub fn generate() -> Result<Secrets, getrandom::Error> {
        Ok(Secrets {
            token: random_hex()?,
            csrf: random_hex()?,
        })
    }

    pub fn token(&self) -> &str {
        &self.token
    }

    /// What the console's forms send back with an action.
    pub fn csrf(&self) -> &str {
        &self.csrf
    }

    pub fn csrf_matches(&self, given: &str) -> bool {
        constant_time_eq(given.as_bytes(), self.csrf.as_bytes())
    }
}

fn random_hex() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Compares without stopping at the first difference, so the time a refusal
/// takes tells nothing about how much of a guess was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// What to do with a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    Granted,
    /// The token came in the URL: set the cookie and send the browser to
    /// `location`, the same URL without it.
    Enter {
        location: String,
    },
    /// Refused, with the reason to show.
    Refused(&'static str),
}

/// The cookie's name carries the port, so consoles on different ports of one
/// host do not overwrite each other's.
pub fn cookie_name(bound: SocketAddr) -> String {
    format!("airforce-dashboard-{}", bound.port())
}

/// The Set-Cookie value that admits the browser from now on.
pub fn admitting_cookie(secrets: &Secrets, bound: SocketAddr) -> String {
    format!(
        "{}={}; Path=/; HttpOnly; SameSite=Strict",
        cookie_name(bound),
        secrets.token
    )
}

/// Whether the request may be served, from its URL and headers.
pub fn check(secrets: &Secrets, bound: SocketAddr, uri: &Uri, headers: &HeaderMap) -> Access {
    if !host_allowed(bound, headers) {
        return Access::Refused(
            "this console answers only under the address it printed (the Host header differs)",
        );
    }
    let query = uri.query().unwrap_or_default();
    let mut token = None;
    let mut rest = form_urlencoded::Serializer::new(String::new());
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        match key.as_ref() {
            "token" => token = Some(value.into_owned()),
            _ => {
                rest.append_pair(&key, &value);
            }
        }
    }
    if let Some(token) = token {
        if !constant_time_eq(token.as_bytes(), secrets.token.as_bytes()) {
            return Access::Refused("the token in the URL is not this console's");
        }
        let rest = rest.finish();
        // `//host/…` would send the browser to another site.
        let path = match uri.path() {
            path if path.starts_with("//") => "/",
            path => path,
        };
        let location = match rest.is_empty() {
            true => path.to_string(),
            false => format!("{path}?{rest}"),
        };
        return Access::Enter { location };
    }
    if cookie(headers, &cookie_name(bound))
        .is_some_and(|value| constant_time_eq(value.as_bytes(), secrets.token.as_bytes()))
    {
        return Access::Granted;
    }
    Access::Refused("open the URL with the token that `kubectl airforce dashboard` printed")
}

/// Why a request that changes something did not come from the console's own
/// pages, if it did not: browsers say where a request comes from in
/// `Sec-Fetch-Site` and `Origin`.
pub fn cross_site(bound: SocketAddr, headers: &HeaderMap) -> Option<&'static str> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if header("sec-fetch-site").is_some_and(|site| site != "same-origin") {
        return Some("the request came from another site");
    }
    let host = header(HOST.as_str()).unwrap_or_default();
    // The pages' `no-referrer` policy makes a browser send `Origin: null`
    // with their own forms; any other origin is someone else's page.
    match header(ORIGIN.as_str()) {
        Some(origin) if origin != "null" && origin != format!("http://{host}") => {
            Some("the request came from another origin")
        }
        _ if !host_allowed(bound, headers) => Some("the Host header is not this console's"),
        _ => None,
    }
}

/// On a loopback address only loopback names are answered, so a web page
/// cannot reach the console through a name of its own that resolves to this
/// machine (DNS rebinding). On another address the token alone guards it.
fn host_allowed(bound: SocketAddr, headers: &HeaderMap) -> bool {
    if !bound.ip().is_loopback() {
        return true;
    }
    let Some(host) = headers.get(HOST).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let port = bound.port().to_string();
    let Some((name, given_port)) = host.rsplit_once(':') else {
        return false;
    };
    given_port == port && matches!(name, "127.0.0.1" | "localhost" | "[::1]")
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    (headers.get_all(COOKIE).iter())
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

#[cfg(test)]
mod tests;
