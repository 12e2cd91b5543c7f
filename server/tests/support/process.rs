//! The real `jupiter` binary as a child process, to kill and start again.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    /// Starts the binary on a free port with `env` (DATABASE_URL and the rest), logging to
    /// `log`; returns once it listens.
    pub async fn start(dir: &Path, env: &[(&str, String)], log: &Path) -> Server {
        let port = super::receiver::free_port();
        let log = std::fs::OpenOptions::new().create(true).append(true).open(log).expect("log file");
        let mut command = Command::new(env!("CARGO_BIN_EXE_jupiter"));
        command
            .current_dir(dir)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env_remove("PUBLIC_URL")
            .env_remove("TRUST_PROXY")
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(log);
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("start jupiter");
        let out = child.stdout.take().expect("stdout");
        // It prints its URL once listening; the rest of its output is drained so it never blocks.
        let ready = tokio::task::spawn_blocking(move || {
            let mut lines = BufReader::new(out).lines();
            let ready = lines.by_ref().map_while(Result::ok).any(|l| l.contains("is running at"));
            std::thread::spawn(move || lines.for_each(drop));
            ready
        });
        assert!(ready.await.expect("reader"), "the server ended before it listened");
        Server { child, base: format!("http://127.0.0.1:{port}") }
    }

    /// SIGKILL: no shutdown, no chance to finish anything.
    pub fn kill9(&mut self) {
        // Already dead (killed by its pid) is fine too.
        let _ = self.child.kill();
        self.child.wait().expect("reaped");
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
