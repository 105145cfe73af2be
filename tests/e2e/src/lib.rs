//! Harness for the end-to-end tests: a private Xvfb display, `tauri-driver`
//! (which drives `WebKitWebDriver`) and the real debug app binary with the UI
//! embedded. Screenshots of every screen a test visits are saved under
//! `tests/artifacts/screenshots/<test>/`.
//!
//! The app binary is `target/debug/vpr-app` (override with `VPR_APP_BIN`); the
//! test script builds it with `--features custom-protocol`.

use std::{
    io::{BufRead, BufReader},
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use std::os::unix::process::CommandExt;

use thirtyfour::prelude::*;

pub use thirtyfour;

pub mod layout;
pub mod page;
pub mod quick;
pub mod station;

/// End-to-end tests share the machine's audio and are heavy: one at a time.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn app_binary() -> PathBuf {
    std::env::var_os("VPR_APP_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/debug/vpr-app"))
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// A private X display.
struct Xvfb {
    child: Child,
    display: String,
}

impl Xvfb {
    fn start(width: u32, height: u32) -> Result<Self> {
        let mut child = Command::new("Xvfb")
            .args(["-displayfd", "1", "-screen", "0"])
            .arg(format!("{width}x{height}x24"))
            .args(["-nolisten", "tcp"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("Xvfb is not installed or failed to start: {e}"))?;
        let stdout = child.stdout.take().ok_or("no Xvfb stdout")?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        let n: u32 = line
            .trim()
            .parse()
            .map_err(|_| format!("Xvfb said {line:?}"))?;
        Ok(Self {
            child,
            display: format!(":{n}"),
        })
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Prepares the data directory before the app starts.
pub type Prepare = Box<dyn FnOnce(&Path) -> Result<()>>;

/// Options for one app launch.
pub struct Launch {
    pub args: Vec<String>,
    pub width: u32,
    pub height: u32,
    pub env: Vec<(String, String)>,
    /// Reuse this data directory (e.g. to restart the app on its data).
    pub data_dir: Option<PathBuf>,
    /// Prepare the data directory before the app starts (e.g. set PINs).
    pub prepare: Option<Prepare>,
}

impl Default for Launch {
    fn default() -> Self {
        Self {
            args: Vec::new(),
            width: 1280,
            height: 800,
            env: Vec::new(),
            data_dir: None,
            prepare: None,
        }
    }
}

/// One running app under WebDriver.
pub struct App {
    pub driver: WebDriver,
    pub data_dir: PathBuf,
    _tmp: Option<tempfile::TempDir>,
    pub display: String,
    shots: PathBuf,
    shot_no: u32,
    tauri_driver: Child,
    _xvfb: Xvfb,
    _serial: tokio::sync::MutexGuard<'static, ()>,
}

impl App {
    pub async fn launch(test: &str, launch: Launch) -> Result<Self> {
        let serial = SERIAL.lock().await;
        let bin = app_binary();
        if !bin.exists() {
            return Err(format!(
                "{} is missing: build it with `cargo build -p vpr-app --features custom-protocol` (the test script does)",
                bin.display()
            )
            .into());
        }
        let xvfb = Xvfb::start(launch.width, launch.height)?;
        let (data_dir, tmp) = match launch.data_dir {
            Some(d) => (d, None),
            None => {
                let t = tempfile::tempdir()?;
                (t.path().to_path_buf(), Some(t))
            }
        };
        if let Some(prepare) = launch.prepare {
            prepare(&data_dir)?;
        }
        let port = free_port()?;
        let native_port = free_port()?;
        let mut cmd = Command::new(tauri_driver_path());
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native_port.to_string(),
        ])
        .env("DISPLAY", &xvfb.display)
        .env("VPR_DATA_DIR", &data_dir)
        .env_remove("WAYLAND_DISPLAY")
        .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .process_group(0);
        for (k, v) in &launch.env {
            cmd.env(k, v);
        }
        let tauri_driver = cmd.spawn().map_err(|e| {
            format!("tauri-driver not found (cargo install tauri-driver --locked): {e}")
        })?;
        wait_for_port(port, Duration::from_secs(20))?;

        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "wry".into());
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": bin, "args": launch.args }),
        );
        let caps = Capabilities::from(caps);
        // tauri-driver listens before its WebKitWebDriver is ready: retry the
        // session a few times.
        let mut attempt = 0;
        let driver = loop {
            attempt += 1;
            match WebDriver::new(format!("http://127.0.0.1:{port}"), caps.clone()).await {
                Ok(d) => break d,
                Err(e) if attempt < 4 => {
                    eprintln!("e2e: WebDriver session attempt {attempt} failed: {e}");
                    tokio::time::sleep(Duration::from_millis(700)).await;
                }
                Err(e) => return Err(e.into()),
            }
        };
        let shots = workspace_root()
            .join("tests/artifacts/screenshots")
            .join(test);
        let _ = std::fs::remove_dir_all(&shots);
        std::fs::create_dir_all(&shots)?;
        Ok(Self {
            driver,
            data_dir,
            _tmp: tmp,
            display: xvfb.display.clone(),
            shots,
            shot_no: 0,
            tauri_driver,
            _xvfb: xvfb,
            _serial: serial,
        })
    }

    /// Save a screenshot of the current screen as a test artifact.
    pub async fn shot(&mut self, name: &str) -> Result<PathBuf> {
        self.shot_no += 1;
        let path = self.shots.join(format!("{:02}-{name}.png", self.shot_no));
        // The X server's own pixels (WebKitWebDriver's screenshot endpoint
        // hangs without GPU compositing): what a person would see.
        let status = Command::new("import")
            .args(["-display", &self.display, "-window", "root"])
            .arg(&path)
            .status()
            .map_err(|e| format!("ImageMagick `import` is needed for screenshots: {e}"))?;
        if !status.success() {
            return Err(format!("screenshot {name} failed: {status}").into());
        }
        Ok(path)
    }

    /// Wait for an element by `data-testid`.
    pub async fn by_testid(&self, id: &str) -> Result<WebElement> {
        Ok(self
            .driver
            .query(By::Css(format!("[data-testid='{id}']")))
            .wait(Duration::from_secs(15), Duration::from_millis(100))
            .first()
            .await?)
    }

    /// Click an element as a person would: brought to the middle of the
    /// window first (WebDriver's own scrolling may leave it under a sticky
    /// header, which then receives the click).
    pub async fn click(&self, id: &str) -> Result<()> {
        let el = self.by_testid(id).await?;
        self.driver
            .execute(
                "arguments[0].scrollIntoView({ block: 'center', inline: 'nearest' }); return true;",
                vec![el.to_json()?],
            )
            .await?;
        el.click().await?;
        Ok(())
    }

    pub async fn text(&self, id: &str) -> Result<String> {
        Ok(self.by_testid(id).await?.text().await?)
    }

    /// Run a script and return its value.
    pub async fn js(&self, script: &str) -> Result<serde_json::Value> {
        Ok(self
            .driver
            .execute(script, Vec::new())
            .await?
            .json()
            .clone())
    }

    /// Is the app process (in tauri-driver's process group) still running?
    pub fn app_alive(&self) -> bool {
        Command::new("pgrep")
            .args(["-g", &self.tauri_driver.id().to_string(), "-x", "vpr-app"])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    /// The process group of tauri-driver, WebKitWebDriver, the app and its
    /// WebKit helper processes.
    pub fn process_group(&self) -> u32 {
        self.tauri_driver.id()
    }

    /// Kill the app as a power cut would (SIGKILL, no clean-up).
    pub fn kill_app(&self) {
        let _ = Command::new("pkill")
            .args([
                "-KILL",
                "-g",
                &self.tauri_driver.id().to_string(),
                "-x",
                "vpr-app",
            ])
            .status();
    }

    /// Wait until the element's attribute satisfies `pred`.
    pub async fn wait_attr(
        &self,
        id: &str,
        attr: &str,
        secs: u64,
        pred: impl Fn(&str) -> bool,
    ) -> Result<String> {
        let start = Instant::now();
        let mut last = None;
        loop {
            if let Ok(el) = self.by_testid(id).await {
                if let Ok(Some(v)) = el.attr(attr).await {
                    if pred(&v) {
                        return Ok(v);
                    }
                    last = Some(v);
                }
            }
            if start.elapsed() > Duration::from_secs(secs) {
                return Err(
                    format!("timed out waiting for {id}[{attr}] (last seen: {last:?})").into(),
                );
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    pub async fn quit(self) -> Result<()> {
        let driver = self.driver.clone();
        let _ = tokio::time::timeout(Duration::from_secs(10), driver.quit()).await;
        Ok(())
    }
}

impl Drop for App {
    fn drop(&mut self) {
        // tauri-driver leads its own process group (WebKitWebDriver and the
        // app are its children): end them all.
        let pgid = self.tauri_driver.id();
        let _ = Command::new("kill")
            .args(["-s", "TERM", "--", &format!("-{pgid}")])
            .status();
        std::thread::sleep(Duration::from_millis(300));
        let _ = Command::new("kill")
            .args(["-s", "KILL", "--", &format!("-{pgid}")])
            .stderr(Stdio::null())
            .status();
        let _ = self.tauri_driver.wait();
    }
}

fn tauri_driver_path() -> PathBuf {
    if let Some(p) = std::env::var_os("TAURI_DRIVER") {
        return PathBuf::from(p);
    }
    if let Some(home) = std::env::var_os("CARGO_HOME")
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo").into_os_string()))
    {
        let p = Path::new(&home).join("bin/tauri-driver");
        if p.exists() {
            return p;
        }
    }
    PathBuf::from("tauri-driver")
}

fn wait_for_port(port: u16, timeout: Duration) -> Result<()> {
    let start = Instant::now();
    while start.elapsed() < timeout {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err(format!("tauri-driver did not listen on port {port}").into())
}
