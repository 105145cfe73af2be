import type { UnlistenFn } from "@tauri-apps/api/event";
import * as cmd from "../bindings/stationCommands";
import type { HeadsetStep } from "../bindings/HeadsetStep";
import type { LevelMeter } from "../bindings/LevelMeter";
import type { OrganizerAction } from "../bindings/OrganizerAction";
import type { SessionView } from "../bindings/SessionView";
import type { StationAlert } from "../bindings/StationAlert";
import type { StationStatus } from "../bindings/StationStatus";
import type { StudentAction } from "../bindings/StudentAction";

/** What the station screens need from the shell: the generated commands and events. */
export interface StationBackend {
  status(): Promise<StationStatus>;
  view(): Promise<SessionView>;
  act(action: StudentAction): Promise<SessionView>;
  organizer(pin: string, action: OrganizerAction): Promise<SessionView>;
  media(path: string): Promise<string>;
  requestExit(pin: string): Promise<null>;
  onView(handler: (v: SessionView) => void): Promise<UnlistenFn>;
  onLevel(handler: (l: LevelMeter) => void): Promise<UnlistenFn>;
  onAlert(handler: (a: StationAlert) => void): Promise<UnlistenFn>;
  /** The headset check's steps (playing the phrase, recording, done). */
  onHeadset(handler: (s: HeadsetStep) => void): Promise<UnlistenFn>;
  onCloseRefused(handler: () => void): Promise<UnlistenFn>;
  /** Tells the shell the first screen is painted (start-up benchmark, watchdog). */
  rendered(screen: string): Promise<null>;
}

export const tauriBackend: StationBackend = {
  status: cmd.stationStatus,
  view: cmd.stationView,
  act: cmd.stationAct,
  organizer: cmd.stationOrganizer,
  media: cmd.stationMedia,
  requestExit: cmd.stationRequestExit,
  onView: cmd.onStationView,
  onLevel: cmd.onStationLevel,
  onAlert: cmd.onStationAlert,
  onHeadset: cmd.onStationHeadset,
  onCloseRefused: (h) => cmd.onKioskCloseRefused(() => h()),
  rendered: cmd.stationRendered,
};
