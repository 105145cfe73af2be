//! The coordinator's tables, one module per table group, each owning its
//! SQL (the schema itself is in `migrations/*.sql`, run by `vpr-sql`).

mod absences;
mod fis_codes;
mod participants;
mod retention;
mod rooms;
mod school;
mod seating;
mod spec;
mod staff;
mod stations;
pub(crate) mod util;
mod version;
mod works;

pub use absences::*;
pub use fis_codes::*;
pub use participants::*;
pub use retention::{today, PurgeCount, PurgePreview};
pub use rooms::*;
pub use school::*;
pub use seating::*;
pub use spec::*;
pub use staff::*;
pub use stations::*;
pub use util::parse_date;
pub(crate) use util::{format_date, from_json, json, non_empty, now_string};
pub use version::*;
pub use works::*;
