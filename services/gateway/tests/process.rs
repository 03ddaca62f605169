//! The gateway as a process: starts with no setup on the embedded default, creates its
//! SQLite file and master key, answers health, and stops cleanly on SIGTERM.

#![allow(clippy::unwrap_used)]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn the_binary_starts_with_no_setup_and_shuts_down_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_gateway"))
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .env_remove("APP_CONFIG_FILE")
        .env("APP__SERVER__PORT", port.to_string())
        .env("APP__LOG__FORMAT", "json")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();

    let client = reqwest::Client::new();
    let url = format!("http://127.0.0.1:{port}/health");
    let deadline = Instant::now() + Duration::from_secs(30);
    let health = loop {
        if let Ok(response) = client.get(&url).send().await {
            break response;
        }
        assert!(Instant::now() < deadline, "the gateway did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(health.status(), 200);
    let body: serde_json::Value = health.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["store"]["backend"], "sqlite");

    // The default created its database and master key under ./data.
    assert!(dir.path().join("data/e-moatinet.db").is_file());
    let key = dir.path().join("data/master.key");
    assert!(key.is_file());
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
        0o600
    );

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            Instant::now() < deadline,
            "the gateway did not stop on SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(exit.success(), "exit status {exit}");
    let output = child.wait_with_output().unwrap();
    let logs = String::from_utf8_lossy(&output.stdout);
    assert!(logs.contains("gateway listening"), "{logs}");
    assert!(logs.contains("gateway stopped"), "{logs}");
    // Lines logged while serving the health request carry its request id.
    let request_lines: Vec<&str> = logs
        .lines()
        .filter(|l| l.contains("\"path\":\"/health\""))
        .collect();
    assert!(!request_lines.is_empty(), "{logs}");
    assert!(
        request_lines
            .iter()
            .all(|l| l.contains("\"request_id\":\"")),
        "{logs}"
    );

    // A second start reuses the same database and key.
    let mut again = Command::new(env!("CARGO_BIN_EXE_gateway"))
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .env("APP__SERVER__PORT", free_port().to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(again.try_wait().unwrap().is_none(), "second start failed");
    again.kill().unwrap();
    let _ = again.wait();
}

#[test]
fn a_malformed_configuration_stops_the_start_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_gateway"))
        .current_dir(dir.path())
        .env("APP__SERVER__PORT", "eighty")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("invalid configuration"), "{stderr}");
}

#[tokio::test]
async fn the_projector_runs_alone_with_health_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_gateway"))
        .arg("projector")
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .env("APP__SERVER__PORT", port.to_string())
        .env("APP__PROJECTIONS__ENABLED", "false")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    let body: serde_json::Value = loop {
        if let Ok(response) = client
            .get(format!("http://127.0.0.1:{port}/health"))
            .send()
            .await
        {
            break response.json().await.unwrap();
        }
        assert!(Instant::now() < deadline, "the projector did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    // Projections run even though the API processes' setting turns them off.
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut running = body["projections"][0]["state"] == "running";
    while !running && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let body: serde_json::Value = client
            .get(format!("http://127.0.0.1:{port}/health"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        running = body["projections"][0]["state"] == "running";
    }
    assert!(running);
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(exit) = child.try_wait().unwrap() {
            assert!(exit.success());
            break;
        }
        assert!(Instant::now() < deadline, "the projector did not stop");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
