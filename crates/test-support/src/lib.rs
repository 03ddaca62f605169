//! Test harness shared by the workspace's tests.
//!
//! [`fresh_postgres_database`] gives each test its own empty PostgreSQL database. The server
//! is found once per test process, in this order:
//!
//! 1. `DATABASE_URL`, when it is set to a PostgreSQL URL and the server answers;
//! 2. otherwise a throwaway cluster started from the system's PostgreSQL binaries
//!    (`initdb` and `pg_ctl` on `PATH` or under `/usr/lib/postgresql/*/bin`), in a temporary
//!    folder, on a free port, stopped and deleted when the test process exits;
//! 3. otherwise PostgreSQL is installed with `apt-get` (as root, or through `sudo -n`) and
//!    step 2 runs.
//!
//! If none of that works the test fails with a message saying what to do: a PostgreSQL test
//! never skips silently.
//!
//! Test databases are named `test_<unix time>_<random>`; each server resolution drops those
//! older than an hour, so a shared server does not fill up with them.
//!
//! [`nats_server`] does the same for NATS with JetStream: `NATS_URL` when reachable, else a
//! throwaway `nats-server` from the system (installed with `apt-get` when absent).
//!
//! [`OwnPostgres`] is a cluster of one test's own, which it may stop and start again.
//!
//! [`ledger`] is a small aggregate to fill a store with events.
#![forbid(unsafe_code)]
#![allow(clippy::print_stderr)]

pub mod ledger;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sqlx::{Connection, Executor, PgConnection};
use tokio::sync::OnceCell;

static SERVER: OnceCell<String> = OnceCell::const_new();

/// The URL of a new, empty database on the test server. Panics, with instructions, when no
/// PostgreSQL can be had: a test that needs PostgreSQL must fail rather than skip.
pub async fn fresh_postgres_database() -> String {
    let admin = SERVER.get_or_init(resolve_server).await;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let name = format!("test_{now}_{}", uuid::Uuid::new_v4().simple());
    let mut connection = PgConnection::connect(admin)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to the test PostgreSQL at {admin}: {e}"));
    connection
        .execute(format!("CREATE DATABASE \"{name}\"").as_str())
        .await
        .unwrap_or_else(|e| panic!("cannot create test database {name}: {e}"));
    let _ = connection.close().await;
    with_database(admin, &name)
}

/// The admin URL of the test server (its `postgres` database), starting it if needed.
pub async fn postgres_server() -> String {
    SERVER.get_or_init(resolve_server).await.clone()
}

fn with_database(url: &str, database: &str) -> String {
    let mut parsed =
        url::Url::parse(url).unwrap_or_else(|e| panic!("DATABASE_URL is not a URL ({e})"));
    parsed.set_path(&format!("/{database}"));
    parsed.to_string()
}

async fn resolve_server() -> String {
    if let Ok(url) = std::env::var("DATABASE_URL")
        && url.starts_with("postgres")
    {
        match reachable(&url).await {
            Ok(()) => {
                drop_stale_databases(&url).await;
                return url;
            }
            Err(e) => eprintln!(
                "test-support: DATABASE_URL is set but unreachable ({e}); \
                 starting a throwaway PostgreSQL instead"
            ),
        }
    }
    let url = tokio::task::spawn_blocking(start_throwaway_cluster)
        .await
        .unwrap_or_else(|e| panic!("starting a throwaway PostgreSQL panicked: {e}"));
    if let Err(e) = reachable(&url).await {
        panic!("the throwaway PostgreSQL at {url} does not answer: {e}");
    }
    url
}

async fn reachable(url: &str) -> Result<(), String> {
    let attempt = tokio::time::timeout(Duration::from_secs(5), PgConnection::connect(url)).await;
    match attempt {
        Ok(Ok(connection)) => {
            let _ = connection.close().await;
            Ok(())
        }
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("timed out".into()),
    }
}

/// Drops test databases left by runs that ended more than an hour ago.
async fn drop_stale_databases(admin: &str) {
    let Ok(mut connection) = PgConnection::connect(admin).await else {
        return;
    };
    let cutoff = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
        .saturating_sub(3600);
    let names: Vec<String> =
        sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname LIKE 'test\\_%'")
            .fetch_all(&mut connection)
            .await
            .unwrap_or_default();
    for name in names {
        let created = name.split('_').nth(1).and_then(|t| t.parse::<u64>().ok());
        if created.is_some_and(|t| t < cutoff) {
            let _ = connection
                .execute(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)").as_str())
                .await;
        }
    }
    let _ = connection.close().await;
}

/// Where `initdb` and `pg_ctl` are, if anywhere.
fn find_binaries() -> Option<PathBuf> {
    let has_both = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Some(dir) = std::env::var_os("TEST_PG_BIN_DIR").map(PathBuf::from)
        && has_both(&dir)
    {
        return Some(dir);
    }
    if let Some(path) = std::env::var_os("PATH")
        && let Some(dir) = std::env::split_paths(&path).find(|d| has_both(d))
    {
        return Some(dir);
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            has_both(&bin).then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn run(command: &mut Command, what: &str) -> Result<(), String> {
    let output = command
        .output()
        .map_err(|e| format!("{what}: cannot run: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed ({}): {}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Installs a Debian package with apt-get, as root or through `sudo -n`.
fn install_package(package: &str) -> Result<(), String> {
    eprintln!("test-support: installing {package} with apt-get");
    let apt = |args: &[&str]| {
        let mut command = if is_root() {
            Command::new("apt-get")
        } else {
            let mut sudo = Command::new("sudo");
            sudo.args(["-n", "apt-get"]);
            sudo
        };
        command
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdin(Stdio::null());
        command
    };
    run(&mut apt(&["update", "-q"]), "apt-get update")?;
    run(
        &mut apt(&[
            "install",
            "-y",
            "-q",
            "--no-install-recommends",
            "postgresql",
        ]),
        "apt-get install postgresql",
    )
}

/// `initdb` refuses to run as root: as root, run the server as the `postgres` user the
/// Debian package creates, or as `nobody`.
fn service_user() -> Option<&'static str> {
    if !is_root() {
        return None;
    }
    let exists = |user: &str| {
        Command::new("id")
            .arg("-u")
            .arg(user)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    Some(if exists("postgres") {
        "postgres"
    } else {
        "nobody"
    })
}

fn as_user(user: Option<&str>, program: &Path) -> Command {
    match user {
        Some(user) => {
            let mut command = Command::new("runuser");
            command.args(["-u", user, "--"]).arg(program);
            command
        }
        None => Command::new(program),
    }
}

fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

fn start_throwaway_cluster() -> String {
    start_cluster().unwrap_or_else(|e| {
        panic!(
            "PostgreSQL tests need a PostgreSQL server and none could be had: {e}\n\
             Set DATABASE_URL to a reachable server (e.g. postgres://postgres@127.0.0.1:5432/postgres) \
             or install PostgreSQL (apt-get install postgresql)."
        )
    })
}

fn start_cluster() -> Result<String, String> {
    OwnPostgres::try_start().map(|cluster| cluster.url)
}

/// A PostgreSQL cluster of the test's own, started from the system's binaries (installed
/// with `apt-get` when absent), which the test may stop and start again: for what happens
/// when the database goes away. (The shared server of [`fresh_postgres_database`] must never
/// be stopped.) Stopped and deleted once the test process exits.
#[derive(Debug)]
pub struct OwnPostgres {
    url: String,
    bin: PathBuf,
    user: Option<&'static str>,
    root: PathBuf,
    data: PathBuf,
    options: String,
}

impl OwnPostgres {
    /// A new cluster, running. Panics with instructions when none can be had.
    pub fn start() -> Self {
        Self::try_start().unwrap_or_else(|e| {
            panic!("this test needs PostgreSQL's binaries (apt-get install postgresql): {e}")
        })
    }

    /// The URL of its `postgres` database.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Stops the server, as an administrator restarting it would (connections are cut).
    pub fn stop(&self) {
        self.pg_ctl(&["-w", "-t", "60", "-m", "fast", "stop"], "pg_ctl stop")
            .unwrap_or_else(|e| panic!("{e}"));
    }

    /// Starts the stopped server again, on the same port.
    pub fn resume(&self) {
        self.pg_ctl(
            &["-w", "-t", "60", "-o", &self.options, "start"],
            "pg_ctl start",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }

    fn pg_ctl(&self, args: &[&str], what: &str) -> Result<(), String> {
        run(
            as_user(self.user, &self.bin.join("pg_ctl"))
                .arg("-D")
                .arg(&self.data)
                .arg("-l")
                .arg(self.root.join("server.log"))
                .args(args),
            what,
        )
    }

    fn try_start() -> Result<Self, String> {
        let bin = match find_binaries() {
            Some(bin) => bin,
            None => {
                install_package("postgresql")?;
                find_binaries().ok_or("PostgreSQL was installed but initdb is still not found")?
            }
        };
        let user = service_user();
        let root = tempfile::Builder::new()
            .prefix("e-moatinet-pg-")
            .tempdir()
            .map_err(|e| format!("cannot create a temporary folder: {e}"))?
            .keep();
        let data = root.join("data");
        if let Some(user) = user {
            run(
                Command::new("chown").arg(user).arg(&root),
                "chown of the cluster folder",
            )?;
        }
        run(
            as_user(user, &bin.join("initdb"))
                .arg("-D")
                .arg(&data)
                .args([
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--no-locale",
                    "--no-sync",
                ]),
            "initdb",
        )?;
        let mut last_error = String::new();
        for _ in 0..5 {
            let port = free_port()?;
            let options = format!(
                "-c listen_addresses=127.0.0.1 -p {port} -k {} -c fsync=off \
                 -c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
                root.display()
            );
            let cluster = Self {
                url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
                bin: bin.clone(),
                user,
                root: root.clone(),
                data: data.clone(),
                options,
            };
            match cluster.pg_ctl(
                &["-w", "-t", "60", "-o", &cluster.options, "start"],
                "pg_ctl start",
            ) {
                Ok(()) => {
                    spawn_watchdog(user, &bin, &root, &data);
                    eprintln!(
                        "test-support: throwaway PostgreSQL on 127.0.0.1:{port} ({})",
                        root.display()
                    );
                    return Ok(cluster);
                }
                // Another process may have taken the port between our probe and the start.
                Err(e) => last_error = e,
            }
        }
        Err(last_error)
    }
}

/// Stops the cluster and deletes its folder once this test process has exited.
fn spawn_watchdog(user: Option<&str>, bin: &Path, root: &Path, data: &Path) {
    let runner = user.map_or(String::new(), |u| format!("runuser -u {u} -- "));
    after_exit(&format!(
        "{runner}'{pg_ctl}' -D '{data}' -m immediate stop >/dev/null 2>&1; rm -rf '{root}'",
        pg_ctl = bin.join("pg_ctl").display(),
        data = data.display(),
        root = root.display(),
    ));
}

/// Runs the shell `cleanup` once this test process has exited (a detached watcher polls
/// for it), so that servers started for the tests never outlive them.
fn after_exit(cleanup: &str) {
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 1; done; {cleanup}",
        pid = std::process::id(),
    );
    let _ = Command::new("sh")
        .arg("-c")
        .arg(script)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
}

static NATS: OnceCell<String> = OnceCell::const_new();

/// The URL of a NATS server with JetStream for this test process (see the crate docs).
/// Tests share it: give each test its own stream and subjects.
pub async fn nats_server() -> String {
    NATS.get_or_init(|| async {
        if let Ok(url) = std::env::var("NATS_URL") {
            match tcp_reachable(&url) {
                Ok(()) => return url,
                Err(e) => eprintln!(
                    "test-support: NATS_URL is set but unreachable ({e}); starting a throwaway nats-server"
                ),
            }
        }
        tokio::task::spawn_blocking(|| {
            start_nats().unwrap_or_else(|e| {
                panic!(
                    "NATS tests need a NATS server and none could be had: {e}\n\
                     Set NATS_URL to a reachable server with JetStream, or install nats-server."
                )
            })
        })
        .await
        .unwrap_or_else(|e| panic!("starting nats-server panicked: {e}"))
    })
    .await
    .clone()
}

fn tcp_reachable(url: &str) -> Result<(), String> {
    let address = url.trim_start_matches("nats://");
    let address = std::net::ToSocketAddrs::to_socket_addrs(address)
        .map_err(|e| e.to_string())?
        .next()
        .ok_or("no address")?;
    std::net::TcpStream::connect_timeout(&address, Duration::from_secs(3))
        .map(drop)
        .map_err(|e| e.to_string())
}

fn find_nats_server() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/usr/bin")])
        .map(|dir| dir.join("nats-server"))
        .find(|candidate| candidate.is_file())
}

fn start_nats() -> Result<String, String> {
    let binary = match find_nats_server() {
        Some(binary) => binary,
        None => {
            install_package("nats-server")?;
            find_nats_server().ok_or("nats-server was installed but is still not found")?
        }
    };
    let store = tempfile::Builder::new()
        .prefix("e-moatinet-nats-")
        .tempdir()
        .map_err(|e| format!("cannot create a temporary folder: {e}"))?
        .keep();
    let port = free_port()?;
    let child = Command::new(&binary)
        .args(["-a", "127.0.0.1", "-p", &port.to_string(), "-js", "-sd"])
        .arg(&store)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
    after_exit(&format!(
        "kill {} 2>/dev/null; rm -rf '{}'",
        child.id(),
        store.display()
    ));
    let url = format!("nats://127.0.0.1:{port}");
    for _ in 0..100 {
        if tcp_reachable(&url).is_ok() {
            eprintln!("test-support: throwaway nats-server on {url}");
            return Ok(url);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err(format!("nats-server did not open {url}"))
}
