// Generated from src-tauri/crates/api/src/commands.rs by `cargo test -p vpr-bindings`. Do not edit.
import { invoke } from "@tauri-apps/api/core";
import type { CodeAccepted } from "./CodeAccepted";
import type { PinRoleName } from "./PinRoleName";
import type { PinsStatus } from "./PinsStatus";
import type { StationStatus } from "./StationStatus";

/** `station_status` (station window). Rejects with a `CommandError`. */
export function stationStatus(): Promise<StationStatus> {
  return invoke("station_status");
}

/** `station_submit_code` (station window). Rejects with a `CommandError`. */
export function stationSubmitCode(code: string): Promise<CodeAccepted> {
  return invoke("station_submit_code", { code });
}

/** `station_request_exit` (station window). Rejects with a `CommandError`. */
export function stationRequestExit(pin: string): Promise<null> {
  return invoke("station_request_exit", { pin });
}

/** `technician_pins_status` (technician window). Rejects with a `CommandError`. */
export function technicianPinsStatus(): Promise<PinsStatus> {
  return invoke("technician_pins_status");
}

/** `technician_set_pin` (technician window). Rejects with a `CommandError`. */
export function technicianSetPin(role: PinRoleName, pin: string, currentTechnicianPin: string | null): Promise<PinsStatus> {
  return invoke("technician_set_pin", { role, pin, currentTechnicianPin });
}

/** `coordinator_about` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorAbout(): Promise<string> {
  return invoke("coordinator_about");
}
