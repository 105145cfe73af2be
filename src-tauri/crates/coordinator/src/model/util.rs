//! Dates, JSON cells and checks shared by the table modules.

use serde::{Deserialize, Serialize};

use crate::{CoordinatorError, Result};

pub(crate) fn now_string() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

const DATE_FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// Parse a `YYYY-MM-DD` date.
pub fn parse_date(s: &str) -> Result<time::Date> {
    time::Date::parse(s.trim(), DATE_FORMAT)
        .map_err(|_| CoordinatorError::Invalid(format!("дата «{s}» не в формате ГГГГ-ММ-ДД")))
}

pub(crate) fn format_date(d: time::Date) -> String {
    d.format(DATE_FORMAT).unwrap_or_default()
}

pub(crate) fn json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| CoordinatorError::Corrupt(e.to_string()))
}

pub(crate) fn from_json<T: for<'a> Deserialize<'a>>(s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| CoordinatorError::Corrupt(e.to_string()))
}

pub(crate) fn non_empty(what: &str, s: &str) -> Result<()> {
    if s.trim().is_empty() {
        return Err(CoordinatorError::Invalid(format!("не заполнено: {what}")));
    }
    Ok(())
}
