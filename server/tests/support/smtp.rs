//! A real SMTP server for the tests: Python's aiosmtpd (end2end/smtp_sink.py), writing each
//! mail it accepts to a folder as an .eml file.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The sink's Python (with aiosmtpd), from SMTP_SINK_PYTHON; None skips outside CI.
pub fn sink_python() -> Option<String> {
    match std::env::var("SMTP_SINK_PYTHON") {
        Ok(p) => Some(p),
        Err(_) => {
            data::testkit::skip(
                "SMTP_SINK_PYTHON is not set (a Python with aiosmtpd and stripe; scripts/test.sh sets it)",
            );
            None
        }
    }
}

pub struct Sink(Child);

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the sink on `port`, writing to `dir`; returns once it listens.
pub fn start_sink(python: &str, port: u16, dir: &Path) -> Sink {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../end2end/smtp_sink.py");
    let mut child = Command::new(python)
        .args([script, &port.to_string(), &dir.display().to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the SMTP sink");
    // It prints "ready" once listening.
    let mut out = child.stdout.take().expect("stdout");
    let mut buf = [0u8; 6];
    std::io::Read::read_exact(&mut out, &mut buf).expect("sink ready");
    Sink(child)
}

/// The mails in `dir`, oldest first, quoted-printable soft breaks undone.
pub fn mails_in(dir: &Path) -> Vec<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "eml")).collect()
        })
        .unwrap_or_default();
    files.sort();
    files
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .map(|m| m.replace("=\r\n", "").replace("=3D", "="))
        .collect()
}

/// The subject line of a mail.
pub fn subject(mail: &str) -> &str {
    mail.lines().find_map(|l| l.strip_prefix("Subject: ")).unwrap_or_default()
}

/// The mails in `dir`, oldest first, as Python's `email` package reads them (decoded
/// subjects and bodies): `{"subject", "to", "text", "html", "parts": [[type, content id]]}`.
#[allow(dead_code)]
pub fn parsed(python: &str, dir: &Path) -> Vec<serde_json::Value> {
    let script = r#"
import email, email.policy, json, pathlib, sys
out = []
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.eml")):
    m = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    text = m.get_body(("plain",)); html = m.get_body(("html",))
    out.append({"subject": str(m["subject"]), "to": str(m["to"]),
        "text": text.get_content() if text else "", "html": html.get_content() if html else "",
        "parts": [[p.get_content_type(), str(p["content-id"] or "")] for p in m.walk()]})
print(json.dumps(out))
"#;
    let output = std::process::Command::new(python).arg("-c").arg(script).arg(dir).output().expect("run python");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("JSON from python")
}
