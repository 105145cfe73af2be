// Generated from vpr-api's command table by `cargo test -p vpr-bindings`. Do not edit.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { Absence } from "./Absence";
import type { AssignmentReport } from "./AssignmentReport";
import type { AudioCheck } from "./AudioCheck";
import type { AudioSetup } from "./AudioSetup";
import type { BundleExported } from "./BundleExported";
import type { BundleStation } from "./BundleStation";
import type { CoordinatorStatus } from "./CoordinatorStatus";
import type { CriterionScore } from "./CriterionScore";
import type { DiskClock } from "./DiskClock";
import type { ExpertItem } from "./ExpertItem";
import type { ImportReport } from "./ImportReport";
import type { LevelMeter } from "./LevelMeter";
import type { NewStaff } from "./NewStaff";
import type { OrganizerAction } from "./OrganizerAction";
import type { PackageFile } from "./PackageFile";
import type { PackageInfo } from "./PackageInfo";
import type { Participant } from "./Participant";
import type { PinRoleName } from "./PinRoleName";
import type { PinsStatus } from "./PinsStatus";
import type { Printout } from "./Printout";
import type { Room } from "./Room";
import type { RoomBoard } from "./RoomBoard";
import type { RosterOutcome } from "./RosterOutcome";
import type { SavedFiles } from "./SavedFiles";
import type { School } from "./School";
import type { SessionView } from "./SessionView";
import type { Slot } from "./Slot";
import type { StaffMember } from "./StaffMember";
import type { Station } from "./Station";
import type { StationAlert } from "./StationAlert";
import type { StationIdentity } from "./StationIdentity";
import type { StationReport } from "./StationReport";
import type { StationStatus } from "./StationStatus";
import type { StudentAction } from "./StudentAction";
import type { TrainingCleared } from "./TrainingCleared";
import type { TrainingStart } from "./TrainingStart";
import type { Work } from "./Work";
import type { WorkForm } from "./WorkForm";
import type { WorkStats } from "./WorkStats";

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

/** `technician_export` (technician window). Rejects with a `CommandError`. */
export function technicianExport(folder: string): Promise<BundleExported> {
  return invoke("technician_export", { folder });
}

/** `technician_status` (technician window). Rejects with a `CommandError`. */
export function technicianStatus(): Promise<StationReport> {
  return invoke("technician_status");
}

/** `coordinator_status` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorStatus(): Promise<CoordinatorStatus> {
  return invoke("coordinator_status");
}

/** `coordinator_create` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorCreate(password: string): Promise<CoordinatorStatus> {
  return invoke("coordinator_create", { password });
}

/** `coordinator_open` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorOpen(password: string): Promise<CoordinatorStatus> {
  return invoke("coordinator_open", { password });
}

/** `coordinator_close` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorClose(): Promise<CoordinatorStatus> {
  return invoke("coordinator_close");
}

/** `coordinator_school` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorSchool(): Promise<School | null> {
  return invoke("coordinator_school");
}

/** `coordinator_set_school` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorSetSchool(school: School): Promise<null> {
  return invoke("coordinator_set_school", { school });
}

/** `coordinator_import_roster` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorImportRoster(path: string): Promise<RosterOutcome> {
  return invoke("coordinator_import_roster", { path });
}

/** `coordinator_participants` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorParticipants(): Promise<Array<Participant>> {
  return invoke("coordinator_participants");
}

/** `coordinator_works` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorWorks(): Promise<Array<Work>> {
  return invoke("coordinator_works");
}

/** `coordinator_add_work` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorAddWork(form: WorkForm): Promise<Work> {
  return invoke("coordinator_add_work", { form });
}

/** `coordinator_release_keys` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorReleaseKeys(workId: number, packageDir: string): Promise<Work> {
  return invoke("coordinator_release_keys", { workId, packageDir });
}

/** `coordinator_rooms` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorRooms(): Promise<Array<Room>> {
  return invoke("coordinator_rooms");
}

/** `coordinator_add_room` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorAddRoom(name: string): Promise<Room> {
  return invoke("coordinator_add_room", { name });
}

/** `coordinator_stations` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorStations(): Promise<Array<Station>> {
  return invoke("coordinator_stations");
}

/** `coordinator_bundle_station` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorBundleStation(path: string): Promise<BundleStation> {
  return invoke("coordinator_bundle_station", { path });
}

/** `coordinator_add_station` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorAddStation(roomId: number, number: number, publicKey: string): Promise<Station> {
  return invoke("coordinator_add_station", { roomId, number, publicKey });
}

/** `coordinator_staff` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorStaff(): Promise<Array<StaffMember>> {
  return invoke("coordinator_staff");
}

/** `coordinator_add_staff` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorAddStaff(staff: NewStaff): Promise<StaffMember> {
  return invoke("coordinator_add_staff", { staff });
}

/** `coordinator_absences` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorAbsences(workId: number): Promise<Array<Absence>> {
  return invoke("coordinator_absences", { workId });
}

/** `coordinator_record_absences` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorRecordAbsences(workId: number, participantIds: Array<number>, reason: string, document: string, reserveDate: string | null): Promise<Array<Absence>> {
  return invoke("coordinator_record_absences", { workId, participantIds, reason, document, reserveDate });
}

/** `coordinator_seat_all` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorSeatAll(workId: number, roomId: number, firstStart: string, minutes: number): Promise<Array<Slot>> {
  return invoke("coordinator_seat_all", { workId, roomId, firstStart, minutes });
}

/** `coordinator_print` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorPrint(what: Printout, workId: number, roomId: number | null, folder: string): Promise<string> {
  return invoke("coordinator_print", { what, workId, roomId, folder });
}

/** `coordinator_import_bundle` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorImportBundle(path: string): Promise<ImportReport> {
  return invoke("coordinator_import_bundle", { path });
}

/** `coordinator_completeness` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorCompleteness(workId: number): Promise<Array<RoomBoard>> {
  return invoke("coordinator_completeness", { workId });
}

/** `coordinator_auto_score` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorAutoScore(workId: number): Promise<number> {
  return invoke("coordinator_auto_score", { workId });
}

/** `coordinator_assign_experts` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorAssignExperts(workId: number): Promise<AssignmentReport> {
  return invoke("coordinator_assign_experts", { workId });
}

/** `coordinator_expert_queue` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorExpertQueue(expertId: number): Promise<Array<ExpertItem>> {
  return invoke("coordinator_expert_queue", { expertId });
}

/** `coordinator_waveform` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorWaveform(workId: number, code: number, task: number, buckets: number): Promise<Array<number>> {
  return invoke("coordinator_waveform", { workId, code, task, buckets });
}

/** `coordinator_play` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorPlay(workId: number, code: number, task: number): Promise<null> {
  return invoke("coordinator_play", { workId, code, task });
}

/** `coordinator_stop` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorStop(): Promise<null> {
  return invoke("coordinator_stop");
}

/** `coordinator_submit_scores` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorSubmitScores(expertId: number, workId: number, code: number, task: number, scores: Array<CriterionScore>): Promise<boolean> {
  return invoke("coordinator_submit_scores", { expertId, workId, code, task, scores });
}

/** `coordinator_form_missing` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorFormMissing(workId: number): Promise<Array<string>> {
  return invoke("coordinator_form_missing", { workId });
}

/** `coordinator_export_form` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorExportForm(workId: number, folder: string): Promise<SavedFiles> {
  return invoke("coordinator_export_form", { workId, folder });
}

/** `coordinator_export_school_forms` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorExportSchoolForms(folder: string): Promise<SavedFiles> {
  return invoke("coordinator_export_school_forms", { folder });
}

/** `coordinator_statistics` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorStatistics(workId: number): Promise<WorkStats> {
  return invoke("coordinator_statistics", { workId });
}

/** `coordinator_export_archive` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorExportArchive(workId: number, folder: string): Promise<SavedFiles> {
  return invoke("coordinator_export_archive", { workId, folder });
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

/** Event `kiosk://close-refused` (station window). */
export function onKioskCloseRefused(handler: (payload: null) => void): Promise<UnlistenFn> {
  return listen<null>("kiosk://close-refused", (e) => handler(e.payload));
}

/** Event `technician://level` (technician window). */
export function onTechnicianLevel(handler: (payload: LevelMeter) => void): Promise<UnlistenFn> {
  return listen<LevelMeter>("technician://level", (e) => handler(e.payload));
}
