// Generated from vpr-api's command table by `cargo test -p vpr-bindings`. Do not edit.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { HeadsetStep } from "./HeadsetStep";
import type { LevelMeter } from "./LevelMeter";
import type { OrganizerAction } from "./OrganizerAction";
import type { SessionView } from "./SessionView";
import type { StationAlert } from "./StationAlert";
import type { StationStatus } from "./StationStatus";
import type { StudentAction } from "./StudentAction";

/** `station_status` (station window). Rejects with a `CommandError`. */
export function stationStatus(): Promise<StationStatus> {
  return invoke("station_status");
}

/** `station_view` (station window). Rejects with a `CommandError`. */
export function stationView(): Promise<SessionView> {
  return invoke("station_view");
}

/** `station_act` (station window). Rejects with a `CommandError`. */
export function stationAct(action: StudentAction): Promise<SessionView> {
  return invoke("station_act", { action });
}

/** `station_organizer` (station window). Rejects with a `CommandError`. */
export function stationOrganizer(pin: string, action: OrganizerAction): Promise<SessionView> {
  return invoke("station_organizer", { pin, action });
}

/** `station_rendered` (station window). Rejects with a `CommandError`. */
export function stationRendered(screen: string): Promise<null> {
  return invoke("station_rendered", { screen });
}

/** `station_media` (station window). Rejects with a `CommandError`. */
export function stationMedia(path: string): Promise<string> {
  return invoke("station_media", { path });
}

/** `station_request_exit` (station window). Rejects with a `CommandError`. */
export function stationRequestExit(pin: string): Promise<null> {
  return invoke("station_request_exit", { pin });
}

/** Event `station://view` (station window). */
export function onStationView(handler: (payload: SessionView) => void): Promise<UnlistenFn> {
  return listen<SessionView>("station://view", (e) => handler(e.payload));
}

/** Event `station://level` (station window). */
export function onStationLevel(handler: (payload: LevelMeter) => void): Promise<UnlistenFn> {
  return listen<LevelMeter>("station://level", (e) => handler(e.payload));
}

/** Event `station://alert` (station window). */
export function onStationAlert(handler: (payload: StationAlert) => void): Promise<UnlistenFn> {
  return listen<StationAlert>("station://alert", (e) => handler(e.payload));
}

/** Event `station://headset` (station window). */
export function onStationHeadset(handler: (payload: HeadsetStep) => void): Promise<UnlistenFn> {
  return listen<HeadsetStep>("station://headset", (e) => handler(e.payload));
}

/** Event `kiosk://close-refused` (station window). */
export function onKioskCloseRefused(handler: (payload: null) => void): Promise<UnlistenFn> {
  return listen<null>("kiosk://close-refused", (e) => handler(e.payload));
}
