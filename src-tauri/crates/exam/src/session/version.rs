//! Which version of the work a participant sits: the variant (by default the
//! seat's, see [`crate::Package::variant_for_seat`]) and the adapted version
//! (ОВЗ). The organizer sees both before the start and may change them until
//! the work starts; after that they are fixed and travel with the session.

use super::*;

impl<C: Clock, J: Journal> Session<C, J> {
    /// Organizer: the participant sits variant `number` (the shell has verified
    /// the PIN). Only before the work starts.
    pub fn set_variant(&mut self, number: u32) -> Result<Vec<Effect>> {
        self.transact(true, |c| {
            if !before_start(&c.s.stage) {
                return Err(ExamError::NotNow("работа уже начата"));
            }
            if c.pkg.variant(number).is_none() {
                return Err(ExamError::UnknownVariant(number));
            }
            if c.s.variant != number {
                c.s.variant = number;
                c.events.push(EventKind::VariantSet { variant: number });
            }
            Ok(())
        })
    }

    /// Whether the variant and the version can still change.
    pub fn version_open(&self) -> bool {
        before_start(&self.state.stage)
    }
}

fn before_start(stage: &Stage) -> bool {
    matches!(
        stage,
        Stage::CodeEntry | Stage::Confirm | Stage::Briefing | Stage::HeadsetCheck
    )
}
