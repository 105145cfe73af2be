//! The coordinator's side of the chain of custody (issue 11): its own
//! issuer trust list ([`issuers`]), works taken from the signed package
//! ([`sealed`]), sessions held for the coordinator to decide (unknown codes,
//! conflicts: [`held`]) and the receipts written on the paper protocol
//! ([`receipts`]).

pub mod held;
pub mod issuers;
pub mod receipts;
pub mod sealed;

pub use held::{HeldKind, HeldSession, HeldSide, Resolution};
pub use issuers::TrustedIssuer;
pub use receipts::{ReceiptRow, ReceiptState};
pub use sealed::PackageWork;
