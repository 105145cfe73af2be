// Generated from vpr-api's command table by `cargo test -p vpr-bindings`. Do not edit.
import { invoke } from "@tauri-apps/api/core";
import type { Absence } from "./Absence";
import type { AssignmentReport } from "./AssignmentReport";
import type { CodeOrder } from "./CodeOrder";
import type { CodesImport } from "./CodesImport";
import type { CoordinatorStatus } from "./CoordinatorStatus";
import type { CriterionScore } from "./CriterionScore";
import type { CrossPackage } from "./CrossPackage";
import type { CrossScore } from "./CrossScore";
import type { EnteredBy } from "./EnteredBy";
import type { ExpertItem } from "./ExpertItem";
import type { FormAnswer } from "./FormAnswer";
import type { FormMapping } from "./FormMapping";
import type { HeldSession } from "./HeldSession";
import type { ImportReport } from "./ImportReport";
import type { MediaBytes } from "./MediaBytes";
import type { NameHit } from "./NameHit";
import type { NewStaff } from "./NewStaff";
import type { OfficialForm } from "./OfficialForm";
import type { PaperGrid } from "./PaperGrid";
import type { PaperKeyTable } from "./PaperKeyTable";
import type { PaperLogEntry } from "./PaperLogEntry";
import type { PaperRow } from "./PaperRow";
import type { PaperWorkDraft } from "./PaperWorkDraft";
import type { Participant } from "./Participant";
import type { Printout } from "./Printout";
import type { PurgePreview } from "./PurgePreview";
import type { ReceiptRow } from "./ReceiptRow";
import type { Resolution } from "./Resolution";
import type { Room } from "./Room";
import type { RoomBoard } from "./RoomBoard";
import type { RosterChoices } from "./RosterChoices";
import type { RosterImport } from "./RosterImport";
import type { RosterOutcome } from "./RosterOutcome";
import type { RosterPreview } from "./RosterPreview";
import type { SavedFiles } from "./SavedFiles";
import type { School } from "./School";
import type { Slot } from "./Slot";
import type { StaffMember } from "./StaffMember";
import type { Station } from "./Station";
import type { TaskMaterial } from "./TaskMaterial";
import type { TrustedIssuer } from "./TrustedIssuer";
import type { Work } from "./Work";
import type { WorkForm } from "./WorkForm";
import type { WorkStats } from "./WorkStats";

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

/** `coordinator_roster_preview` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorRosterPreview(path: string, choices: RosterChoices): Promise<RosterPreview> {
  return invoke("coordinator_roster_preview", { path, choices });
}

/** `coordinator_import_roster_valid` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorImportRosterValid(path: string): Promise<RosterImport> {
  return invoke("coordinator_import_roster_valid", { path });
}

/** `coordinator_import_roster_edited` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorImportRosterEdited(path: string, sha256: string, choices: RosterChoices): Promise<RosterImport> {
  return invoke("coordinator_import_roster_edited", { path, sha256, choices });
}

/** `coordinator_import_codes` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorImportCodes(path: string, order: CodeOrder): Promise<CodesImport> {
  return invoke("coordinator_import_codes", { path, order });
}

/** `coordinator_names_in_notes` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorNamesInNotes(workId: number): Promise<Array<NameHit>> {
  return invoke("coordinator_names_in_notes", { workId });
}

/** `coordinator_set_score_note` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorSetScoreNote(workId: number, code: number, task: number, round: number, criterion: string, note: string): Promise<null> {
  return invoke("coordinator_set_score_note", { workId, code, task, round, criterion, note });
}

/** `coordinator_purge_preview` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorPurgePreview(today: string | null): Promise<PurgePreview> {
  return invoke("coordinator_purge_preview", { today });
}

/** `coordinator_purge` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorPurge(today: string | null, confirmed: boolean): Promise<null> {
  return invoke("coordinator_purge", { today, confirmed });
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
export function coordinatorReleaseKeys(workId: number, keysPassword: string): Promise<Work> {
  return invoke("coordinator_release_keys", { workId, keysPassword });
}

/** `coordinator_issuers` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorIssuers(): Promise<Array<TrustedIssuer>> {
  return invoke("coordinator_issuers");
}

/** `coordinator_import_issuer` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorImportIssuer(path: string, label: string): Promise<TrustedIssuer> {
  return invoke("coordinator_import_issuer", { path, label });
}

/** `coordinator_remove_issuer` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorRemoveIssuer(fingerprint: string): Promise<null> {
  return invoke("coordinator_remove_issuer", { fingerprint });
}

/** `coordinator_enrol_station` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorEnrolStation(roomId: number, path: string): Promise<Station> {
  return invoke("coordinator_enrol_station", { roomId, path });
}

/** `coordinator_held` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorHeld(workId: number): Promise<Array<HeldSession>> {
  return invoke("coordinator_held", { workId });
}

/** `coordinator_resolve_held` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorResolveHeld(id: number, resolution: Resolution): Promise<null> {
  return invoke("coordinator_resolve_held", { id, resolution });
}

/** `coordinator_receipts` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorReceipts(workId: number): Promise<Array<ReceiptRow>> {
  return invoke("coordinator_receipts", { workId });
}

/** `coordinator_enter_receipt` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorEnterReceipt(workId: number, code: number, receipt: string): Promise<ReceiptRow> {
  return invoke("coordinator_enter_receipt", { workId, code, receipt });
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

/** `coordinator_add_station` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorAddStation(roomId: number, number: number, stationRoom: string, publicKey: string, fingerprint: string): Promise<Station> {
  return invoke("coordinator_add_station", { roomId, number, stationRoom, publicKey, fingerprint });
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

/** `coordinator_set_seat_variant` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorSetSeatVariant(workId: number, code: number, variant: number | null): Promise<null> {
  return invoke("coordinator_set_seat_variant", { workId, code, variant });
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
export function coordinatorWaveform(workId: number, code: number, task: number, part: number, segment: number, buckets: number): Promise<Array<number>> {
  return invoke("coordinator_waveform", { workId, code, task, part, segment, buckets });
}

/** `coordinator_play` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorPlay(workId: number, code: number, task: number, part: number, segment: number): Promise<null> {
  return invoke("coordinator_play", { workId, code, task, part, segment });
}

/** `coordinator_stop` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorStop(): Promise<null> {
  return invoke("coordinator_stop");
}

/** `coordinator_submit_scores` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorSubmitScores(expertId: number, workId: number, code: number, task: number, scores: Array<CriterionScore>): Promise<boolean> {
  return invoke("coordinator_submit_scores", { expertId, workId, code, task, scores });
}

/** `coordinator_work_material` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorWorkMaterial(workId: number, code: number): Promise<Array<TaskMaterial>> {
  return invoke("coordinator_work_material", { workId, code });
}

/** `coordinator_material_photo` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorMaterialPhoto(workId: number, file: string): Promise<MediaBytes> {
  return invoke("coordinator_material_photo", { workId, file });
}

/** `coordinator_keep_pictures` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorKeepPictures(workId: number, password: string): Promise<number> {
  return invoke("coordinator_keep_pictures", { workId, password });
}

/** `coordinator_recording_audio` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorRecordingAudio(workId: number, code: number, task: number, part: number, segment: number): Promise<MediaBytes> {
  return invoke("coordinator_recording_audio", { workId, code, task, part, segment });
}

/** `coordinator_assign_organizer` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorAssignOrganizer(staffId: number, workId: number, roomId: number): Promise<Array<string>> {
  return invoke("coordinator_assign_organizer", { staffId, workId, roomId });
}

/** `coordinator_assignment_warnings` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorAssignmentWarnings(workId: number): Promise<Array<string>> {
  return invoke("coordinator_assignment_warnings", { workId });
}

/** `coordinator_export_cross_package` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorExportCrossPackage(workId: number, tasks: Array<number> | null, out: string): Promise<number> {
  return invoke("coordinator_export_cross_package", { workId, tasks, out });
}

/** `coordinator_import_cross_scores` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorImportCrossScores(path: string, schoolKey: string): Promise<number> {
  return invoke("coordinator_import_cross_scores", { path, schoolKey });
}

/** `coordinator_archive_public_key` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorArchivePublicKey(): Promise<string> {
  return invoke("coordinator_archive_public_key");
}

/** `coordinator_open_cross_package` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorOpenCrossPackage(path: string): Promise<CrossPackage> {
  return invoke("coordinator_open_cross_package", { path });
}

/** `coordinator_cross_part_audio` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorCrossPartAudio(path: string, token: string, index: number): Promise<MediaBytes> {
  return invoke("coordinator_cross_part_audio", { path, token, index });
}

/** `coordinator_cross_part_waveform` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorCrossPartWaveform(path: string, token: string, index: number, buckets: number): Promise<Array<number>> {
  return invoke("coordinator_cross_part_waveform", { path, token, index, buckets });
}

/** `coordinator_write_cross_scores` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorWriteCrossScores(path: string, out: string, scores: Array<CrossScore>): Promise<SavedFiles> {
  return invoke("coordinator_write_cross_scores", { path, out, scores });
}

/** `coordinator_form_missing` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorFormMissing(workId: number): Promise<Array<string>> {
  return invoke("coordinator_form_missing", { workId });
}

/** `coordinator_export_form` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorExportForm(workId: number, folder: string): Promise<SavedFiles> {
  return invoke("coordinator_export_form", { workId, folder });
}

/** `coordinator_official_form_mapping` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorOfficialFormMapping(workId: number, template: string, answers: Array<FormAnswer>): Promise<FormMapping> {
  return invoke("coordinator_official_form_mapping", { workId, template, answers });
}

/** `coordinator_fill_official_form` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorFillOfficialForm(workId: number, template: string, folder: string, answers: Array<FormAnswer>): Promise<OfficialForm> {
  return invoke("coordinator_fill_official_form", { workId, template, folder, answers });
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

/** `coordinator_paper_grid` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorPaperGrid(workId: number): Promise<PaperGrid> {
  return invoke("coordinator_paper_grid", { workId });
}

/** `coordinator_paper_enter` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorPaperEnter(workId: number, code: number, item: string, value: string, by: EnteredBy): Promise<PaperRow> {
  return invoke("coordinator_paper_enter", { workId, code, item, value, by });
}

/** `coordinator_paper_log` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorPaperLog(workId: number): Promise<Array<PaperLogEntry>> {
  return invoke("coordinator_paper_log", { workId });
}

/** `coordinator_add_paper_work` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorAddPaperWork(draft: PaperWorkDraft): Promise<Work> {
  return invoke("coordinator_add_paper_work", { draft });
}

/** `coordinator_update_paper_work` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorUpdatePaperWork(workId: number, draft: PaperWorkDraft): Promise<Work> {
  return invoke("coordinator_update_paper_work", { workId, draft });
}

/** `coordinator_remove_work` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorRemoveWork(workId: number): Promise<null> {
  return invoke("coordinator_remove_work", { workId });
}

/** `coordinator_paper_key_table` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorPaperKeyTable(workId: number): Promise<PaperKeyTable> {
  return invoke("coordinator_paper_key_table", { workId });
}

/** `coordinator_set_paper_keys` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorSetPaperKeys(workId: number, table: PaperKeyTable): Promise<Work> {
  return invoke("coordinator_set_paper_keys", { workId, table });
}

/** `coordinator_paper_sheet` (coordinator window). Rejects with a `CommandError`. */
export function coordinatorPaperSheet(workId: number, code: number, variant: number, version: string | null, by: EnteredBy): Promise<PaperRow> {
  return invoke("coordinator_paper_sheet", { workId, code, variant, version, by });
}
