// Generated from vpr-api's command table by `cargo test -p vpr-bindings`. Do not edit.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { AudioCheck } from "./AudioCheck";
import type { AudioSetup } from "./AudioSetup";
import type { BundleExported } from "./BundleExported";
import type { DiskClock } from "./DiskClock";
import type { ExportPreview } from "./ExportPreview";
import type { LevelMeter } from "./LevelMeter";
import type { PackageFile } from "./PackageFile";
import type { PackageInfo } from "./PackageInfo";
import type { PassportWritten } from "./PassportWritten";
import type { PinRoleName } from "./PinRoleName";
import type { PinsStatus } from "./PinsStatus";
import type { StationIdentity } from "./StationIdentity";
import type { StationReport } from "./StationReport";
import type { TrainingCleared } from "./TrainingCleared";
import type { TrainingStart } from "./TrainingStart";
import type { TrustedKey } from "./TrustedKey";

/** `technician_pins_status` (technician window). Rejects with a `CommandError`. */
export function technicianPinsStatus(): Promise<PinsStatus> {
  return invoke("technician_pins_status");
}

/** `technician_set_pin` (technician window). Rejects with a `CommandError`. */
export function technicianSetPin(role: PinRoleName, pin: string, currentTechnicianPin: string | null): Promise<PinsStatus> {
  return invoke("technician_set_pin", { role, pin, currentTechnicianPin });
}

/** `technician_login` (technician window). Rejects with a `CommandError`. */
export function technicianLogin(pin: string): Promise<StationIdentity> {
  return invoke("technician_login", { pin });
}

/** `technician_logout` (technician window). Rejects with a `CommandError`. */
export function technicianLogout(): Promise<null> {
  return invoke("technician_logout");
}

/** `technician_set_identity` (technician window). Rejects with a `CommandError`. */
export function technicianSetIdentity(schoolId: string, room: string, number: number): Promise<StationIdentity> {
  return invoke("technician_set_identity", { schoolId, room, number });
}

/** `technician_audio` (technician window). Rejects with a `CommandError`. */
export function technicianAudio(): Promise<AudioSetup> {
  return invoke("technician_audio");
}

/** `technician_save_audio` (technician window). Rejects with a `CommandError`. */
export function technicianSaveAudio(input: string | null, output: string | null, volume: number): Promise<AudioSetup> {
  return invoke("technician_save_audio", { input, output, volume });
}

/** `technician_headset_check` (technician window). Rejects with a `CommandError`. */
export function technicianHeadsetCheck(): Promise<AudioCheck> {
  return invoke("technician_headset_check");
}

/** `technician_control_recording` (technician window). Rejects with a `CommandError`. */
export function technicianControlRecording(seconds: number): Promise<AudioCheck> {
  return invoke("technician_control_recording", { seconds });
}

/** `technician_play_recording` (technician window). Rejects with a `CommandError`. */
export function technicianPlayRecording(file: string): Promise<null> {
  return invoke("technician_play_recording", { file });
}

/** `technician_disk_clock` (technician window). Rejects with a `CommandError`. */
export function technicianDiskClock(participants: number, minutes: number): Promise<DiskClock> {
  return invoke("technician_disk_clock", { participants, minutes });
}

/** `technician_find_packages` (technician window). Rejects with a `CommandError`. */
export function technicianFindPackages(): Promise<Array<PackageFile>> {
  return invoke("technician_find_packages");
}

/** `technician_packages` (technician window). Rejects with a `CommandError`. */
export function technicianPackages(): Promise<Array<PackageInfo>> {
  return invoke("technician_packages");
}

/** `technician_load_package` (technician window). Rejects with a `CommandError`. */
export function technicianLoadPackage(path: string): Promise<PackageInfo> {
  return invoke("technician_load_package", { path });
}

/** `technician_unlock_package` (technician window). Rejects with a `CommandError`. */
export function technicianUnlockPackage(packageId: string, password: string): Promise<PackageInfo> {
  return invoke("technician_unlock_package", { packageId, password });
}

/** `technician_start_training` (technician window). Rejects with a `CommandError`. */
export function technicianStartTraining(): Promise<TrainingStart> {
  return invoke("technician_start_training");
}

/** `technician_clear_training` (technician window). Rejects with a `CommandError`. */
export function technicianClearTraining(): Promise<TrainingCleared> {
  return invoke("technician_clear_training");
}

/** `technician_export_preview` (technician window). Rejects with a `CommandError`. */
export function technicianExportPreview(): Promise<ExportPreview> {
  return invoke("technician_export_preview");
}

/** `technician_export` (technician window). Rejects with a `CommandError`. */
export function technicianExport(folder: string): Promise<BundleExported> {
  return invoke("technician_export", { folder });
}

/** `technician_status` (technician window). Rejects with a `CommandError`. */
export function technicianStatus(): Promise<StationReport> {
  return invoke("technician_status");
}

/** `technician_trust_list` (technician window). Rejects with a `CommandError`. */
export function technicianTrustList(): Promise<Array<TrustedKey>> {
  return invoke("technician_trust_list");
}

/** `technician_trust_inspect` (technician window). Rejects with a `CommandError`. */
export function technicianTrustInspect(path: string): Promise<TrustedKey> {
  return invoke("technician_trust_inspect", { path });
}

/** `technician_trust_add` (technician window). Rejects with a `CommandError`. */
export function technicianTrustAdd(path: string, label: string | null): Promise<TrustedKey> {
  return invoke("technician_trust_add", { path, label });
}

/** `technician_trust_remove` (technician window). Rejects with a `CommandError`. */
export function technicianTrustRemove(fingerprint: string): Promise<TrustedKey> {
  return invoke("technician_trust_remove", { fingerprint });
}

/** `technician_export_passport` (technician window). Rejects with a `CommandError`. */
export function technicianExportPassport(folder: string): Promise<PassportWritten> {
  return invoke("technician_export_passport", { folder });
}

/** Event `technician://level` (technician window). */
export function onTechnicianLevel(handler: (payload: LevelMeter) => void): Promise<UnlistenFn> {
  return listen<LevelMeter>("technician://level", (e) => handler(e.payload));
}
