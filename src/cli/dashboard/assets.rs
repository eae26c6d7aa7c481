//! The console's stylesheet and script, compiled into the binary so the
//! console works offline and `cargo install` needs nothing else. Hand-written,
//! no framework: the pages are drawn by the server, the script only keeps the
//! live part current.

pub struct Asset {
    pub body: &'static str,
    pub content_type: &'static str,
}

pub fn find(name: &str) -> Option<Asset> {
    match name {
        "app.css" => Some(Asset {
            body: include_str!("assets/app.css"),
            content_type: "text/css; charset=utf-8",
        }),
        "app.js" => Some(Asset {
            body: include_str!("assets/app.js"),
            content_type: "text/javascript; charset=utf-8",
        }),
        _ => None,
    }
}
