//! Time: an injectable clock and Moscow time (UTC+3 all year, no DST).

use time::{macros::offset, macros::time, Date, OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// Moscow time: UTC+3 since 2014, without daylight saving.
pub const MOSCOW: UtcOffset = offset!(+3);

/// Where "now" comes from, so release times can be tested.
pub trait Clock: Send + Sync {
    fn now(&self) -> OffsetDateTime;
}

/// The machine's clock (the technician confirms it during the station check).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// A clock stopped at one moment (tests, rehearsals).
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub OffsetDateTime);

impl Clock for FixedClock {
    fn now(&self) -> OffsetDateTime {
        self.0
    }
}

/// The same moment on Moscow time.
pub fn to_moscow(t: OffsetDateTime) -> OffsetDateTime {
    t.to_offset(MOSCOW)
}

/// Keys and criteria are released at 14:00 Moscow time on the exam day.
pub fn default_keys_release(exam_date: Date) -> OffsetDateTime {
    PrimitiveDateTime::new(exam_date, time!(14:00)).assume_offset(MOSCOW)
}

/// The day password is released at 07:30 local time; `offset` is the
/// school's UTC offset (Moscow when unknown).
pub fn default_materials_release(exam_date: Date, offset: UtcOffset) -> OffsetDateTime {
    PrimitiveDateTime::new(exam_date, time!(07:30)).assume_offset(offset)
}

/// "15.04.2026 14:00" on Moscow time, for messages.
pub(crate) fn moscow_text(t: OffsetDateTime) -> String {
    let m = to_moscow(t);
    format!(
        "{:02}.{:02}.{} {:02}:{:02}",
        m.day(),
        u8::from(m.month()),
        m.year(),
        m.hour(),
        m.minute()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn keys_release_is_fourteen_moscow() {
        let t = default_keys_release(date!(2026 - 04 - 15));
        assert_eq!(t, datetime!(2026-04-15 11:00 UTC));
        assert_eq!(moscow_text(t), "15.04.2026 14:00");
    }

    #[test]
    fn materials_release_uses_local_offset() {
        let t = default_materials_release(date!(2026 - 04 - 15), offset!(+10));
        assert_eq!(t, datetime!(2026-04-14 21:30 UTC));
        assert_eq!(moscow_text(t), "15.04.2026 00:30");
        assert_eq!(FixedClock(t).now(), t);
    }
}
