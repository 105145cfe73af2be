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
    process::{Command, ExitCode, Stdio},
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

fn launch(app: &PathBuf, timeout: Duration) -> Result<Run, Box<dyn std::error::Error>> {
    let mut xvfb = Command::new("Xvfb")
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
        .spawn()?;
    let mut line = String::new();
    if let Some(out) = xvfb.stdout.take() {
        BufReader::new(out).read_line(&mut line)?;
    }
    let display = format!(":{}", line.trim());
    let data = tempdir()?;
    let start = Instant::now();
    let mut child = Command::new(app)
        .env("DISPLAY", &display)
        .env("VPR_DATA_DIR", &data)
        .env("RUST_LOG", "info")
        .env_remove("WAYLAND_DISPLAY")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()?;
    let pid = child.id();
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
    let outcome = loop {
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
                break Ok(Run {
                    to_screen: at - start,
                    peak_rss_kib: peak,
                    peak_pss_kib: peak_pss,
                });
            }
        }
        if start.elapsed() > timeout {
            break Err("the first screen was not painted in time".into());
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let _ = Command::new("kill")
        .args(["-s", "KILL", "--", &format!("-{pid}")])
        .status();
    let _ = child.wait();
    let _ = xvfb.kill();
    let _ = xvfb.wait();
    let _ = fs::remove_dir_all(&data);
    outcome
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
