//! The Turnstile check against a stand-in speaking siteverify's wire format, with Cloudflare's
//! test secrets: a pass, a refusal, a spent token, a missing token, an outage (one retry with
//! the same idempotency key, then refused: fail closed), and nothing listening at all.

mod support;

use server::turnstile::Turnstile;
use std::net::IpAddr;
use support::turnstile::{DUMMY_TOKEN, FAILS, PASSES, SPENT, Siteverify};

fn refusal(result: Result<(), data::Error>) -> (String, Option<String>, u16) {
    let e = result.expect_err("refused");
    let field = e.field().map(str::to_string);
    let told = e.told();
    (told.message, field, told.kind.status())
}

#[tokio::test]
async fn tokens_are_checked_with_siteverify_and_anything_else_is_refused() {
    let stand_in = Siteverify::default();
    let url = stand_in.start().await;
    let ip: IpAddr = "203.0.113.9".parse().unwrap();

    let passes = Turnstile::new(PASSES, &url).unwrap();
    assert!(passes.verify(Some(DUMMY_TOKEN), Some(ip)).await.is_ok());
    let asked = &stand_in.asked()[0];
    assert_eq!(asked["secret"], PASSES);
    assert_eq!(asked["response"], DUMMY_TOKEN);
    assert_eq!(asked["remoteip"], "203.0.113.9");
    assert!(asked["idempotency_key"].len() >= 16);

    let (message, field, status) = refusal(passes.verify(None, Some(ip)).await);
    assert_eq!((field.as_deref(), status), (Some("cf_turnstile_response"), 401), "{message}");
    assert_eq!(stand_in.asked().len(), 1, "no token, no request");
    assert_eq!(refusal(passes.verify(Some("  "), None).await).2, 401);

    let (message, _, status) = refusal(Turnstile::new(FAILS, &url).unwrap().verify(Some(DUMMY_TOKEN), None).await);
    assert_eq!(status, 401, "{message}");
    let (message, _, _) = refusal(Turnstile::new(SPENT, &url).unwrap().verify(Some(DUMMY_TOKEN), None).await);
    assert!(message.contains("already used"), "{message}");

    // One lost answer: asked again with the same idempotency key, and passes.
    stand_in.fail_next(1);
    let before = stand_in.asked().len();
    assert!(passes.verify(Some(DUMMY_TOKEN), None).await.is_ok());
    let retried = &stand_in.asked()[before..];
    assert_eq!(retried.len(), 2);
    assert_eq!(retried[0]["idempotency_key"], retried[1]["idempotency_key"]);
    // A longer outage: refused, not waved through.
    stand_in.fail_next(2);
    assert_eq!(refusal(passes.verify(Some(DUMMY_TOKEN), None).await).2, 401);
    let nothing = format!("http://127.0.0.1:{}/siteverify", support::receiver::free_port());
    assert_eq!(refusal(Turnstile::new(PASSES, &nothing).unwrap().verify(Some(DUMMY_TOKEN), None).await).2, 401);
}
