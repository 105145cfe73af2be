//! Which mode this process runs: the station (default), technician, coordinator or author.

use vpr_api::WindowMode;

/// `--mode technician|coordinator|author|station` (or `VPR_MODE`); station by default.
pub fn mode_from_args(args: impl Iterator<Item = String>) -> WindowMode {
    let mut args = args.skip(1);
    let mut chosen = std::env::var("VPR_MODE").ok();
    while let Some(a) = args.next() {
        if let Some(v) = a.strip_prefix("--mode=") {
            chosen = Some(v.to_owned());
        } else if a == "--mode" {
            chosen = args.next();
        }
    }
    match chosen.as_deref() {
        Some("technician") => WindowMode::Technician,
        Some("coordinator") => WindowMode::Coordinator,
        Some("author") => WindowMode::Author,
        _ => WindowMode::Station,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> WindowMode {
        mode_from_args(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn station_unless_asked() {
        assert_eq!(parse(&["app"]), WindowMode::Station);
        assert_eq!(
            parse(&["app", "--mode", "coordinator"]),
            WindowMode::Coordinator
        );
        assert_eq!(parse(&["app", "--mode=technician"]), WindowMode::Technician);
        assert_eq!(parse(&["app", "--mode", "author"]), WindowMode::Author);
        assert_eq!(parse(&["app", "--mode", "nonsense"]), WindowMode::Station);
    }
}
