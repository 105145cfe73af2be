//! Participant codes: exactly five ASCII digits.

use std::fmt;

use crate::{Result, StationError};

/// A participant code as printed on the code sheet.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ParticipantCode(String);

impl ParticipantCode {
    pub const LEN: usize = 5;

    /// Parse what a student typed; surrounding spaces are forgiven.
    pub fn parse(raw: &str) -> Result<Self> {
        let s = raw.trim();
        if s.len() == Self::LEN && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(s.to_owned()))
        } else {
            Err(StationError::MalformedCode)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ParticipantCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_five_ascii_digits() {
        for ok in ["00000", "12345", " 54321\n"] {
            assert!(ParticipantCode::parse(ok).is_ok(), "{ok:?}");
        }
        for bad in [
            "",
            "1234",
            "123456",
            "12 45",
            "１２３４５",
            "-1234",
            "1234a",
        ] {
            assert!(ParticipantCode::parse(bad).is_err(), "{bad:?}");
        }
    }
}
