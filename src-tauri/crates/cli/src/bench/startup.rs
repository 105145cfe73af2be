//! `vpr bench startup`: launch the app under a private Xvfb N times; print the
//! median time from process start to the first screen being painted (the
//! shell logs «ui rendered» when the page reports its first paint) and the
//! peak RSS of the whole process tree (WebKit runs child processes).

use std::{
    collections::HashMap,
    fs,
    io::{BufRead, BufReader, Read},
    os::unix::process::CommandExt,
    path::PathBuf,
    process::{Child, Command, ExitCode, Stdio},
    sync::mpsc,
    time::{Duration, Instant},
};

#[derive(clap::Args)]
pub struct Args {
    /// The app binary (default: target/release/vpr-app, else target/debug/vpr-app)
    #[arg(long)]
    app: Option<PathBuf>,
    /// Number of launches
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Give up on one launch after this many seconds
    #[arg(long, default_value_t = 60)]
    timeout: u64,
}

struct Run {
    to_screen: Duration,
    peak_rss_kib: u64,
    /// Proportional set size: shared pages (WebKit's libraries mapped by
    /// every process) counted once across the tree.
    peak_pss_kib: u64,
}

pub fn run(args: Args) -> ExitCode {
    let Some(app) = args.app.or_else(default_app) else {
        eprintln!("Не найден исполняемый файл приложения: соберите его (cargo build --release -p vpr-app --features custom-protocol) или укажите --app");
        return ExitCode::from(2);
    };
    println!("app: {}", app.display());
    let mut runs = Vec::new();
    for i in 0..args.runs.max(1) {
        match launch(&app, Duration::from_secs(args.timeout)) {
            Ok(r) => {
                println!(
                    "run {}: {:>6.0} ms to the first screen, peak RSS sum {:>4} MiB, peak PSS sum {:>4} MiB",
                    i + 1,
                    r.to_screen.as_secs_f64() * 1000.0,
                    r.peak_rss_kib / 1024,
                    r.peak_pss_kib / 1024
                );
                runs.push(r);
            }
            Err(e) => {
                eprintln!("Запуск {} не удался: {e}", i + 1);
                return ExitCode::from(1);
            }
        }
    }
    let mut t: Vec<Duration> = runs.iter().map(|r| r.to_screen).collect();
    t.sort();
    let mut m: Vec<u64> = runs.iter().map(|r| r.peak_rss_kib).collect();
    m.sort_unstable();
    let mut p: Vec<u64> = runs.iter().map(|r| r.peak_pss_kib).collect();
    p.sort_unstable();
    println!(
        "median: {:.0} ms to the first screen (goal ≤ 1000 ms); peak memory of the process tree (goal ≤ 250 MB): \
         PSS median {} MiB (max {}), RSS summed over processes median {} MiB (max {}; counts shared libraries once per process)",
        t[t.len() / 2].as_secs_f64() * 1000.0,
        p[p.len() / 2] / 1024,
        p[p.len() - 1] / 1024,
        m[m.len() / 2] / 1024,
        m[m.len() - 1] / 1024
    );
    ExitCode::SUCCESS
}

fn default_app() -> Option<PathBuf> {
    ["target/release/vpr-app", "target/debug/vpr-app"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
}

/// Why one launch gave no figure.
#[derive(Debug, thiserror::Error)]
enum LaunchError {
    #[error("не удалось запустить {what}: {source}")]
    Spawn {
        what: &'static str,
        source: std::io::Error,
    },
    #[error("Xvfb не сообщил номер дисплея")]
    NoDisplay,
    #[error("приложение завершилось до первого экрана ({0})")]
    Exited(std::process::ExitStatus),
    #[error("первый экран не нарисован за {0} с")]
    Timeout(u64),
}

/// Everything one launch started: dropped on every path out of [`launch`],
/// so a failed start leaves no Xvfb, no app process group and no data folder.
struct Launched {
    xvfb: Child,
    app: Option<Child>,
    data: Option<PathBuf>,
}

impl Drop for Launched {
    fn drop(&mut self) {
        if let Some(app) = self.app.as_mut() {
            // The app's process group holds WebKit's children too.
            let _ = Command::new("kill")
                .args(["-s", "KILL", "--", &format!("-{}", app.id())])
                .stderr(Stdio::null())
                .status();
            let _ = app.kill();
            let _ = app.wait();
        }
        let _ = self.xvfb.kill();
        let _ = self.xvfb.wait();
        if let Some(d) = self.data.take() {
            let _ = fs::remove_dir_all(d);
        }
    }
}

fn launch(app: &PathBuf, timeout: Duration) -> Result<Run, LaunchError> {
    let xvfb = Command::new("Xvfb")
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1280x800x24",
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|source| LaunchError::Spawn {
            what: "Xvfb",
            source,
        })?;
    let mut launched = Launched {
        xvfb,
        app: None,
        data: None,
    };
    let mut line = String::new();
    if let Some(out) = launched.xvfb.stdout.take() {
        BufReader::new(out)
            .read_line(&mut line)
            .map_err(|_| LaunchError::NoDisplay)?;
    }
    if line.trim().is_empty() {
        return Err(LaunchError::NoDisplay);
    }
    let display = format!(":{}", line.trim());
    let data = tempdir().map_err(|source| LaunchError::Spawn {
        what: "каталог данных",
        source,
    })?;
    launched.data = Some(data.clone());
    let start = Instant::now();
    let child = Command::new(app)
        .env("DISPLAY", &display)
        .env("VPR_DATA_DIR", &data)
        .env("RUST_LOG", "info")
        .env_remove("WAYLAND_DISPLAY")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .map_err(|source| LaunchError::Spawn {
            what: "приложение",
            source,
        })?;
    let pid = child.id();
    let child = launched.app.insert(child);
    let (tx, rx) = mpsc::channel();
    if let Some(err) = child.stderr.take() {
        std::thread::spawn(move || {
            for l in BufReader::new(err).lines().map_while(Result::ok) {
                if l.contains("ui rendered") {
                    let _ = tx.send(Instant::now());
                }
            }
        });
    }
    let mut peak = 0;
    let mut peak_pss = 0;
    let mut ready = None;
    loop {
        let (rss, pss) = tree_memory_kib(pid);
        peak = peak.max(rss);
        peak_pss = peak_pss.max(pss);
        if ready.is_none() {
            if let Ok(at) = rx.try_recv() {
                ready = Some(at);
            }
        }
        // Keep sampling memory for a second after the first paint.
        if let Some(at) = ready {
            if at.elapsed() > Duration::from_secs(1) {
                return Ok(Run {
                    to_screen: at - start,
                    peak_rss_kib: peak,
                    peak_pss_kib: peak_pss,
                });
            }
        } else if let Ok(Some(status)) = child.try_wait() {
            return Err(LaunchError::Exited(status));
        }
        if start.elapsed() > timeout {
            return Err(LaunchError::Timeout(timeout.as_secs()));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn tempdir() -> std::io::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!(
        "vpr-bench-startup-{}-{}",
        std::process::id(),
        Instant::now().elapsed().as_nanos()
    ));
    fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Sums of VmRSS and of PSS over `root` and all its descendants.
fn tree_memory_kib(root: u32) -> (u64, u64) {
    let mut parent: HashMap<u32, u32> = HashMap::new();
    let Ok(entries) = fs::read_dir("/proc") else {
        return (0, 0);
    };
    for e in entries.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        let mut stat = String::new();
        if fs::File::open(e.path().join("stat"))
            .and_then(|mut f| f.read_to_string(&mut stat))
            .is_err()
        {
            continue;
        }
        // pid (comm) state ppid …: comm may contain spaces, so split after ')'.
        if let Some(ppid) = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse().ok())
        {
            parent.insert(pid, ppid);
        }
    }
    let in_tree = |mut p: u32| {
        for _ in 0..64 {
            if p == root {
                return true;
            }
            match parent.get(&p) {
                Some(&pp) if pp != p && pp != 0 => p = pp,
                _ => return false,
            }
        }
        false
    };
    let field = |file: &str, name: &str, p: u32| -> u64 {
        fs::read_to_string(format!("/proc/{p}/{file}"))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with(name))
                    .and_then(|l| l.split_whitespace().nth(1))
                    .and_then(|v| v.parse::<u64>().ok())
            })
            .unwrap_or(0)
    };
    parent
        .keys()
        .filter(|&&p| in_tree(p))
        .map(|&p| {
            (
                field("status", "VmRSS:", p),
                field("smaps_rollup", "Pss:", p),
            )
        })
        .fold((0, 0), |(r, s), (a, b)| (r + a, s + b))
}
