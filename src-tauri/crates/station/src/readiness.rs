//! Is this machine ready for the exam day? Clock (UTC, local, Moscow), time
//! zone, a writable data folder, free disk against what the day's
//! recordings need. One list of [`ReadinessCheck`]s serves the
//! technician's screen and `vpr station check`.
//!
//! Portable: free space from `fs4` (statvfs / GetDiskFreeSpaceEx), the local
//! offset and zone name from `jiff` (the system's time zone database), no
//! `df` or `date` subprocesses.

use std::{io::Write, path::Path};

use vpr_package::{
    time::{OffsetDateTime, UtcOffset},
    MOSCOW,
};

use crate::{
    technician::{CheckStatus, DiskClock, ReadinessCheck},
    StationLayout,
};

/// Bytes a second of a recording, from the recorder's format
/// (22,050 Hz, 16-bit, mono = 44,100).
pub const RECORDING_BYTES_PER_SECOND: u64 = vpr_audio::RECORD_RATE as u64
    * (vpr_audio::RECORD_BITS as u64 / 8)
    * vpr_audio::RECORD_CHANNELS as u64;
/// Head-room for the system, the answer store and exports.
pub const RESERVE_BYTES: u64 = 512 * 1024 * 1024;
/// Recordings count twice: the answer files and the exported bundle.
pub const MARGIN: u64 = 2;

/// A line of the list.
pub(crate) fn check(
    id: &str,
    name: &str,
    status: CheckStatus,
    detail: impl Into<String>,
) -> ReadinessCheck {
    ReadinessCheck {
        id: id.to_owned(),
        name: name.to_owned(),
        status,
        detail: detail.into(),
    }
}

/// Bytes the day's recordings need, with margin and reserve.
pub fn recordings_need(participants: u64, minutes: u64) -> u64 {
    participants
        .saturating_mul(minutes)
        .saturating_mul(60)
        .saturating_mul(RECORDING_BYTES_PER_SECOND)
        .saturating_mul(MARGIN)
        .saturating_add(RESERVE_BYTES)
}

/// Bytes available to this user on the file system holding `dir` (or its
/// nearest existing ancestor).
pub fn free_space(dir: &Path) -> Option<u64> {
    let existing = dir.ancestors().find(|p| p.exists())?;
    fs4::available_space(existing).ok()
}

/// The system's UTC offset at `now`.
pub fn local_offset(now: OffsetDateTime) -> Option<UtcOffset> {
    let tz = jiff::tz::TimeZone::try_system().ok()?;
    let ts = jiff::Timestamp::from_second(now.unix_timestamp()).ok()?;
    UtcOffset::from_whole_seconds(tz.to_offset(ts).seconds()).ok()
}

/// The system's zone name (e.g. `Europe/Moscow`), when it has one.
pub fn zone_name() -> Option<String> {
    let tz = jiff::tz::TimeZone::try_system().ok()?;
    tz.iana_name().map(str::to_owned)
}

/// `+03:00`.
pub fn offset_text(o: UtcOffset) -> String {
    let (h, m, _) = o.as_hms();
    let sign = if o.is_negative() { '-' } else { '+' };
    format!("{sign}{:02}:{:02}", h.unsigned_abs(), m.unsigned_abs())
}

/// `24.11.2026 07:31:05`.
pub fn stamp(t: OffsetDateTime) -> String {
    format!(
        "{:02}.{:02}.{} {:02}:{:02}:{:02}",
        t.day(),
        u8::from(t.month()),
        t.year(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// A station clock is plausible between 2025 and 2099.
pub fn clock_plausible(now: OffsetDateTime) -> bool {
    (2025..2100).contains(&now.year())
}

/// The clock: refused when absurd, else a warning to confirm by hand.
pub fn clock(now: OffsetDateTime) -> ReadinessCheck {
    let mut detail = format!(
        "UTC {}, Москва {} МСК",
        stamp(now),
        stamp(now.to_offset(MOSCOW))
    );
    if let Some(o) = local_offset(now) {
        detail.push_str(&format!(
            ", местное {} (UTC{})",
            stamp(now.to_offset(o)),
            offset_text(o)
        ));
    }
    if !clock_plausible(now) {
        return check(
            "clock",
            "часы",
            CheckStatus::Failed,
            format!("{detail}: часы станции явно неверны, установите точное время"),
        );
    }
    detail.push_str(
        " — сверьте с точным временем (сети нет, время подтверждает технический специалист)",
    );
    check("clock", "часы", CheckStatus::Warning, detail)
}

/// The time zone: its name and offset.
pub fn timezone(now: OffsetDateTime) -> ReadinessCheck {
    let name = "часовой пояс";
    match (zone_name(), local_offset(now)) {
        (Some(zone), Some(offset)) => check(
            "timezone",
            name,
            CheckStatus::Ok,
            format!(
                "{zone} (UTC{}); московское время — UTC+03:00",
                offset_text(offset)
            ),
        ),
        (None, Some(offset)) => check(
            "timezone",
            name,
            CheckStatus::Warning,
            format!(
                "имя пояса не задано, смещение UTC{}: проверьте настройку пояса",
                offset_text(offset)
            ),
        ),
        _ => check(
            "timezone",
            name,
            CheckStatus::Warning,
            "не удалось определить часовой пояс системы",
        ),
    }
}

/// The data folder takes a file (created, written, synced, removed).
pub fn writable(layout: &StationLayout) -> ReadinessCheck {
    let dir = layout.root();
    let probe = layout.write_probe();
    let result = std::fs::create_dir_all(dir).and_then(|()| {
        let mut f = std::fs::File::create(&probe)?;
        f.write_all(b"check")?;
        f.sync_all()?;
        std::fs::remove_file(&probe)
    });
    match result {
        Ok(()) => check(
            "data_folder",
            "папка данных",
            CheckStatus::Ok,
            format!("{} доступна для записи", dir.display()),
        ),
        Err(e) => {
            // Best effort: the probe may not even have been created.
            let _ = std::fs::remove_file(&probe);
            check(
                "data_folder",
                "папка данных",
                CheckStatus::Failed,
                format!("{}: запись невозможна ({e})", dir.display()),
            )
        }
    }
}

fn mib(bytes: u64) -> String {
    format!("{} МБ", bytes / (1024 * 1024))
}

/// Free disk against `need` bytes.
pub fn disk(layout: &StationLayout, need: u64) -> ReadinessCheck {
    match free_space(layout.root()) {
        Some(free) if free >= need => check(
            "disk",
            "диск",
            CheckStatus::Ok,
            format!(
                "свободно {}, на записи дня нужно {} (с запасом)",
                mib(free),
                mib(need)
            ),
        ),
        Some(free) => check(
            "disk",
            "диск",
            CheckStatus::Failed,
            format!(
                "свободно {}, а на записи дня нужно {}: освободите место",
                mib(free),
                mib(need)
            ),
        ),
        None => check(
            "disk",
            "диск",
            CheckStatus::Failed,
            "не удалось узнать свободное место на диске",
        ),
    }
}

/// Clock, time zone, writable folder and disk, in this order.
pub fn checks(
    layout: &StationLayout,
    participants: u64,
    minutes: u64,
    now: OffsetDateTime,
) -> Vec<ReadinessCheck> {
    vec![
        clock(now),
        timezone(now),
        writable(layout),
        disk(layout, recordings_need(participants, minutes)),
    ]
}

/// The technician's «Диск и часы» screen: the figures and the same checks.
pub fn disk_clock(layout: &StationLayout, participants: u32, minutes: u32) -> DiskClock {
    let need = recordings_need(u64::from(participants), u64::from(minutes));
    let free = free_space(layout.root());
    let now = OffsetDateTime::now_utc();
    let offset = local_offset(now);
    DiskClock {
        data_dir: layout.root().display().to_string(),
        free_bytes: free,
        need_bytes: need,
        participants,
        minutes,
        enough: free.is_some_and(|f| f >= need),
        local: stamp(offset.map_or(now, |o| now.to_offset(o))),
        local_offset: offset.map_or_else(|| "?".to_owned(), offset_text),
        moscow: stamp(now.to_offset(MOSCOW)),
        utc: stamp(now),
        clock_plausible: clock_plausible(now),
        checks: checks(layout, u64::from(participants), u64::from(minutes), now),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn recordings_need_counts_bytes_margin_and_reserve() {
        assert_eq!(RECORDING_BYTES_PER_SECOND, 44_100);
        // 30 participants × 5 min × 60 s × 44,100 B/s × 2 + 512 MiB.
        assert_eq!(
            recordings_need(30, 5),
            30 * 5 * 60 * 44_100 * 2 + 512 * 1024 * 1024
        );
        assert_eq!(recordings_need(0, 5), RESERVE_BYTES);
        assert_eq!(recordings_need(u64::MAX, u64::MAX), u64::MAX);
    }

    #[test]
    fn disk_and_folder_checks_on_a_real_folder() {
        let dir = tempfile::tempdir().unwrap();
        let layout = StationLayout::new(dir.path().join("data/nested"));
        assert_eq!(writable(&layout).status, CheckStatus::Ok);
        assert!(layout.root().is_dir());
        assert_eq!(
            std::fs::read_dir(layout.root()).unwrap().count(),
            0,
            "the probe file is removed"
        );
        assert!(free_space(dir.path()).unwrap() > 0);
        assert!(free_space(&dir.path().join("not/yet")).unwrap() > 0);
        assert_eq!(disk(&layout, 1).status, CheckStatus::Ok);
        assert_eq!(disk(&layout, u64::MAX).status, CheckStatus::Failed);
        // A file where the folder should be: not writable.
        let file = dir.path().join("file");
        std::fs::write(&file, b"x").unwrap();
        let blocked = StationLayout::new(file.join("sub"));
        assert_eq!(writable(&blocked).status, CheckStatus::Failed);
    }

    #[test]
    fn clock_refuses_an_absurd_date_and_shows_moscow_time() {
        assert_eq!(
            clock(OffsetDateTime::UNIX_EPOCH).status,
            CheckStatus::Failed
        );
        let good = OffsetDateTime::from_unix_timestamp(1_776_240_000).unwrap(); // 2026-04-15 08:00 UTC
        let c = clock(good);
        assert_eq!(c.status, CheckStatus::Warning);
        assert!(c.detail.contains("15.04.2026 11:00:00 МСК"), "{}", c.detail);
    }

    #[test]
    fn the_local_offset_comes_from_the_system_zone() {
        // Whatever zone this machine has, jiff reads one (UTC at worst)
        // and the offset is within a day.
        let now = OffsetDateTime::now_utc();
        let o = local_offset(now).unwrap();
        assert!(o.whole_hours().abs() <= 14);
        assert_eq!(offset_text(UtcOffset::from_hms(3, 0, 0).unwrap()), "+03:00");
        assert_eq!(
            offset_text(UtcOffset::from_hms(-3, -30, 0).unwrap()),
            "-03:30"
        );
    }

    #[test]
    fn the_screen_carries_the_same_checks() {
        let dir = tempfile::tempdir().unwrap();
        let layout = StationLayout::new(dir.path());
        let dc = disk_clock(&layout, 15, 10);
        assert_eq!(dc.need_bytes, recordings_need(15, 10));
        assert!(dc.free_bytes.unwrap() > 0);
        assert!(dc.clock_plausible);
        assert!(dc.moscow.len() >= 19);
        let ids: Vec<&str> = dc.checks.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["clock", "timezone", "data_folder", "disk"]);
    }
}
