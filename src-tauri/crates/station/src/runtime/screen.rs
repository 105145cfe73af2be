//! What the runtime adds to the exam's screen: the paper receipt once the
//! work is closed, and a short notice for the student after a restart.

use std::time::{Duration, Instant};

use vpr_exam::session::{Effect, Screen, SessionView};

use super::Inner;
use crate::StationAlert;

/// How long the student's notice stays on screen.
const NOTICE_FOR: Duration = Duration::from_secs(15);

/// The receipt of a closed session and the student's notice.
#[derive(Debug, Default)]
pub(super) struct Extras {
    /// (session id, its receipt `ABCD-EFGH`, `None` when the journal gives
    /// none) of the closed session: read once, not on every tick.
    receipt: Option<(i64, Option<String>)>,
    notice: Option<(String, Instant)>,
}

impl Inner {
    /// The exam's view with the station's extras.
    pub(super) fn view(&mut self) -> SessionView {
        let mut v = self.session.view();
        if matches!(v.screen, Screen::Closed { .. }) {
            if let Some(id) = self.session.journal().session_id() {
                v.receipt = self.receipt_of(id);
            }
        }
        if let Some((text, until)) = &self.extras.notice {
            if Instant::now() < *until {
                v.notice = Some(text.clone());
            } else {
                self.extras.notice = None;
            }
        }
        v
    }

    /// The receipt of the chain link that first recorded session `id` closed
    /// (the one `vpr_bundle::session_receipts` gives for the bundle).
    fn receipt_of(&mut self, id: i64) -> Option<String> {
        if self.training {
            // A training work keeps the `training` status: no receipt.
            return None;
        }
        if let Some((sid, r)) = &self.extras.receipt {
            if *sid == id {
                return r.clone();
            }
        }
        let r = match self.store.closing_link(id) {
            Ok(link) => {
                link.map(|l| vpr_integrity::display_receipt(&vpr_integrity::receipt(&l.hash)))
            }
            Err(e) => {
                tracing::warn!(session = id, "receipt not read: {e}");
                return None;
            }
        };
        tracing::info!(session = id, shown = r.is_some(), "work closed: receipt");
        self.extras.receipt = Some((id, r.clone()));
        r
    }

    pub(super) fn set_notice(&mut self, text: String) {
        self.extras.notice = Some((text, Instant::now() + NOTICE_FOR));
    }
}

/// After a restart mid-recording (the resumed effects start a recording):
/// the student's notice and the organizer's alert naming the gap.
pub(super) fn after_crash(
    resumed: &[Effect],
    gap_seconds: Option<u64>,
) -> Option<(String, StationAlert)> {
    let left_s = resumed.iter().find_map(|e| match e {
        Effect::StartRecording { max_ms, .. } => Some(max_ms.div_ceil(1000)),
        _ => None,
    })?;
    let notice = format!(
        "Станция перезапустилась. Запись ответа продолжается — говорите дальше. Осталось {}",
        seconds_ru(u64::from(left_s))
    );
    let gap = gap_seconds.map_or_else(
        || "длительность пропуска неизвестна".to_owned(),
        |g| format!("пропуск в записи — {}", seconds_ru(g)),
    );
    let alert = StationAlert {
        code: "recording_resumed".to_owned(),
        message: format!(
            "Станция перезапустилась во время записи устного ответа; запись продолжена, {gap}. \
             Отметьте это в протоколе"
        ),
    };
    Some((notice, alert))
}

/// «1 с», «1 мин 5 с».
fn seconds_ru(s: u64) -> String {
    if s >= 60 {
        format!("{} мин {} с", s / 60, s % 60)
    } else {
        format!("{s} с")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_restart_mid_recording_tells_the_student_and_names_the_gap() {
        let resumed = [Effect::StartRecording {
            task: 3,
            segment: 2,
            max_ms: 84_200,
            part: None,
            beep: false,
        }];
        let (notice, alert) = after_crash(&resumed, Some(3)).unwrap_or_else(|| panic!());
        assert!(notice.contains("Запись ответа продолжается"), "{notice}");
        assert!(notice.contains("1 мин 25 с"), "{notice}");
        assert_eq!(alert.code, "recording_resumed");
        assert!(alert.message.contains("3 с"), "{}", alert.message);
        assert!(after_crash(&[], Some(3)).is_none(), "not mid-recording");
    }
}
