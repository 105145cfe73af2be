//! Coordinator workflow: roster, participant codes, protocol, staff, scoring,
//! the results collection form, statistics and the export of all results.
//!
//! Everything lives in the coordinator's own folder ([`CoordinatorLayout`],
//! never a station's data folder): one SQLite file opened with the
//! coordinator's password ([`Coordinator::create_in`] / [`Coordinator::open_in`])
//! and the imported bundles beside it. Names of participants and staff are
//! sealed with AES-256-GCM under a key derived from that password
//! (PBKDF2-HMAC-SHA256, `vpr-integrity`); a wrong password is refused before
//! anything is read. Every file that leaves the app (form, CSV, scoring
//! package, archive) is keyed by participant code only.
//!
//! Layout of the crate: `model/` and `scoring/` hold one module per table
//! group, each owning its SQL; the schema is `migrations/NNNN_*.sql`, run by
//! `vpr-sql` (one transaction per step, a newer schema refused). Databases
//! of every earlier schema version open: 0003 converts the criterion and
//! keys JSON of schema 2 to the package's types. The app and the CLI share
//! [`Coordinator::add_work_from_package`] and [`Coordinator::release_keys`]:
//! a work is taken from the same signed `.vprpkg` the stations ran (its
//! issuer on the coordinator's own trust list, [`custody`]), never from a
//! package folder; stations are enrolled from their passports; import
//! checks station, school, date and package hash, holds unknown codes and
//! conflicts for the coordinator, and compares the paper receipts.
//! Works taken on paper are typed in by code ([`paper`]) and feed the same
//! results as station bundles.

pub mod archive;
mod crosscheck;
mod crypto;
pub mod custody;
mod db;
mod error;
pub mod forms;
pub mod import;
mod layout;
pub mod model;
pub mod names_scan;
pub mod official_form;
mod owner_only;
pub mod paper;
pub mod pdf;
mod rekey;
pub mod roster;
pub mod scoring;
pub mod stats;
pub mod tabular;

pub use crosscheck::{CrossItem, CrossPackage, CrossPart, CrossScore};
pub use crypto::ITERATIONS;
pub use custody::PackageWork;
pub use db::{Coordinator, SCHEMA_VERSION};
pub use error::{CoordinatorError, Result};
pub use layout::{CoordinatorLayout, DB_FILE, DIR_ENV};
pub use model::*;
/// The package's own criterion and keys types: one of each in the product.
pub use vpr_exam::{Criterion, Keys};
/// The engines the coordinator builds on, for the shell and the CLI (which
/// depend on this crate alone for the coordinator's mode).
pub use {vpr_audio, vpr_bundle, vpr_exam, vpr_package};
