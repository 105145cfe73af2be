//! Payloads of the technician window: defined by the technician's core
//! (`vpr-station`), re-exported here under the same names.

pub use vpr_station::export::{ExportPreview, ExportWork};
pub use vpr_station::technician::{
    AudioCheck, AudioDevice, AudioSetup, BundleExported, CheckStatus, DiskClock, PackageFile,
    PackageInfo, PinRoleName, PinsStatus, ReadinessCheck, SetPin, StationIdentity, StationReport,
    TrainingCleared, TrainingStart, TrustedKey,
};
