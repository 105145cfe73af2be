//! Commands of the technician's window. See the crate docs for how to add one.

/// The technician's part of [`crate::command_table`] (passes on to the coordinator's).
#[doc(hidden)]
#[macro_export]
macro_rules! __technician_commands {
    ($callback:ident; $($done:tt)*) => {
        $crate::__coordinator_commands! { $callback; $($done)*
            technician = Technician [
                technician_pins_status() -> PinsStatus,
                technician_set_pin(
                    role: PinRoleName,
                    pin: String,
                    current_technician_pin: Option<String>,
                ) -> PinsStatus,
                technician_login(pin: String) -> StationIdentity,
                technician_logout() -> (),
                technician_set_identity(school_id: String, room: String, number: u32)
                    -> StationIdentity,
                technician_audio() -> AudioSetup,
                technician_save_audio(input: Option<String>, output: Option<String>, volume: f32)
                    -> AudioSetup,
                technician_headset_check() -> AudioCheck,
                technician_control_recording(seconds: u32) -> AudioCheck,
                technician_play_recording(file: String) -> (),
                technician_disk_clock(participants: u32, minutes: u32) -> DiskClock,
                technician_find_packages() -> Vec<PackageFile>,
                technician_packages() -> Vec<PackageInfo>,
                technician_load_package(path: String) -> PackageInfo,
                technician_unlock_package(package_id: String, password: String) -> PackageInfo,
                technician_start_training() -> TrainingStart,
                technician_clear_training() -> TrainingCleared,
                technician_export_preview() -> ExportPreview,
                technician_export(folder: String) -> BundleExported,
                technician_status() -> StationReport,
                technician_trust_list() -> Vec<TrustedKey>,
                technician_trust_inspect(path: String) -> TrustedKey,
                technician_trust_add(path: String, label: Option<String>) -> TrustedKey,
                technician_trust_remove(fingerprint: String) -> TrustedKey,
                technician_export_passport(folder: String) -> PassportWritten,
            ]
        }
    };
}
