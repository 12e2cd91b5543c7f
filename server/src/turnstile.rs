//! Cloudflare Turnstile, checked on the server when TURNSTILE_SECRET is set: the token the
//! widget put in the form goes to siteverify (TURNSTILE_VERIFY_URL, Cloudflare's by default)
//! with the client's address and an idempotency key, so the one retry after a lost answer
//! cannot spend the token twice. Fails closed: no token, a refusal, no answer or an
//! unreadable one is a 401 on `cf_turnstile_response`.

use serde::Deserialize;
use std::net::IpAddr;
use std::time::Duration;

pub const CLOUDFLARE_SITEVERIFY: &str = "https://challenges.cloudflare.com/turnstile/v0/siteverify";
const FIELD: &str = "cf_turnstile_response";
const TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub struct Turnstile {
    secret: String,
    verify_url: String,
    http: reqwest::Client,
}

impl std::fmt::Debug for Turnstile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Turnstile").field("verify_url", &self.verify_url).finish_non_exhaustive()
    }
}

/// siteverify's answer (the fields we read).
#[derive(Debug, Deserialize)]
struct Answer {
    success: bool,
    #[serde(rename = "error-codes", default)]
    error_codes: Vec<String>,
}

fn refused(message: impl Into<String>) -> data::Error {
    data::Error::Unauthorized { message: message.into(), field: Some(FIELD.into()) }
}

impl data::anonymous::HumanCheck for Turnstile {
    fn verify<'a>(
        &'a self,
        response: Option<&'a str>,
        client: Option<IpAddr>,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), data::Error>> + Send + 'a>> {
        Box::pin(Turnstile::verify(self, response, client))
    }
}

impl Turnstile {
    pub fn new(secret: &str, verify_url: &str) -> Result<Turnstile, String> {
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("Turnstile client: {e}"))?;
        Ok(Turnstile { secret: secret.to_string(), verify_url: verify_url.to_string(), http })
    }

    /// Ok when siteverify vouches for `token`, sent by the client at `remote_ip`.
    pub async fn verify(&self, token: Option<&str>, remote_ip: Option<IpAddr>) -> Result<(), data::Error> {
        let token = token.map(str::trim).filter(|t| !t.is_empty() && t.len() <= 2_048);
        let Some(token) = token else {
            return Err(refused("complete the check that you are human (cf_turnstile_response is missing)"));
        };
        let key = data::secrets::random_token(16);
        let mut form = vec![("secret", self.secret.clone()), ("response", token.to_string()), ("idempotency_key", key)];
        if let Some(ip) = remote_ip {
            form.push(("remoteip", ip.to_string()));
        }
        let answer = match self.ask(&form).await {
            Err(first) => {
                tracing::warn!(error = %first, "siteverify did not answer; asking once more");
                self.ask(&form).await
            }
            answered => answered,
        };
        match answer {
            Ok(Answer { success: true, .. }) => Ok(()),
            Ok(Answer { error_codes, .. }) if error_codes.iter().any(|c| c == "timeout-or-duplicate") => {
                Err(refused("the human check expired or was already used; complete it again"))
            }
            Ok(Answer { error_codes, .. }) => {
                if error_codes.iter().any(|c| c.contains("secret")) {
                    tracing::error!(?error_codes, "siteverify refused our TURNSTILE_SECRET");
                }
                Err(refused("the human check failed; try again"))
            }
            Err(e) => {
                tracing::error!(error = %e, "siteverify could not be reached; refusing");
                Err(refused("the human check could not be verified just now; try again"))
            }
        }
    }

    async fn ask(&self, form: &[(&str, String)]) -> Result<Answer, String> {
        let response = self.http.post(&self.verify_url).form(form).send().await.map_err(|e| e.to_string())?;
        if !response.status().is_success() {
            return Err(format!("siteverify answered {}", response.status()));
        }
        response.json::<Answer>().await.map_err(|e| format!("siteverify's answer is not readable: {e}"))
    }
}
