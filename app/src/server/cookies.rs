//! Reading and setting the site's cookies, through the `cookie` crate: every cookie we set
//! is HttpOnly, SameSite=Lax, for the whole site, and Secure on https.

use cookie::{Cookie, SameSite};
use http::HeaderMap;
use http::header::{COOKIE, HeaderValue};

/// The value of the cookie `name` the request carries; None when absent or empty.
pub fn read(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_string())
        .filter(|v| !v.is_empty())
}

/// A Set-Cookie value for `name`, kept `max_age_secs` (0 deletes it).
pub fn set(name: &str, value: &str, max_age_secs: i64, secure: bool) -> Option<HeaderValue> {
    let cookie = Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(cookie::time::Duration::seconds(max_age_secs))
        .build();
    HeaderValue::from_str(&cookie.to_string()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_named_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.append(COOKIE, HeaderValue::from_static("theme=dark; ji_session=abc"));
        headers.append(COOKIE, HeaderValue::from_static("other=1"));
        assert_eq!(read(&headers, "ji_session").as_deref(), Some("abc"));
        assert_eq!(read(&headers, "other").as_deref(), Some("1"));
        assert_eq!(read(&headers, "missing"), None);
        headers.append(COOKIE, HeaderValue::from_static("empty="));
        assert_eq!(read(&headers, "empty"), None);
    }

    #[test]
    fn cookies_are_http_only_lax_and_secure_on_https() {
        let set = set("__Host-ji_session", "abc", 60, true).unwrap();
        let text = set.to_str().unwrap();
        for part in ["__Host-ji_session=abc", "HttpOnly", "SameSite=Lax", "Secure", "Path=/", "Max-Age=60"] {
            assert!(text.contains(part), "{part} in {text}");
        }
        assert!(!super::set("ji_session", "", 0, false).unwrap().to_str().unwrap().contains("Secure"));
    }
}
