//! SIGTERM stops the real binary cleanly: no new connections, the request in flight is
//! answered, workers stop, exit code 0.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

#[test]
fn sigterm_finishes_the_request_in_flight_and_exits_0() {
    let dir = tempfile::tempdir().expect("dir");
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_jupiter"))
        .current_dir(dir.path())
        .env("DATABASE_URL", format!("sqlite://{}/j.db?mode=rwc", dir.path().display()))
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("SECRET_KEY", "shutdown-test")
        .env_remove("SMTP_URL")
        .env_remove("PUBLIC_URL")
        .env_remove("TRUST_PROXY")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start jupiter");
    // It prints its URL once listening.
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    while !line.contains("is running at") {
        line.clear();
        assert!(out.read_line(&mut line).expect("read") > 0, "the server ended before it listened");
    }

    // A request in flight: headers sent, the server has begun reading the body (it asked for
    // it with 100 Continue), the body not yet sent.
    let mut conn = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    conn.set_read_timeout(Some(Duration::from_secs(60))).expect("timeout");
    let body = r#"{"due_date":"2026-12-31"}"#;
    write!(
        conn,
        "POST /api/v1/invoices HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
         Expect: 100-continue\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .expect("headers");
    let mut reader = BufReader::new(conn.try_clone().expect("clone"));
    let mut status = String::new();
    reader.read_line(&mut status).expect("100 Continue");
    assert!(status.starts_with("HTTP/1.1 100"), "{status}");
    reader.read_line(&mut String::new()).expect("blank line");

    let term = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("kill");
    assert!(term.success());
    conn.write_all(body.as_bytes()).expect("body");
    let mut answer = String::new();
    reader.read_to_string(&mut answer).expect("the answer");
    assert!(answer.starts_with("HTTP/1.1 401"), "the request in flight is answered: {answer}");

    let code = child.wait().expect("exit");
    assert_eq!(code.code(), Some(0), "a clean exit");
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err(), "nothing listens any more");
}
