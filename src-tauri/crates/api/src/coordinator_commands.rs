//! Commands of the coordinator's window. See the crate docs for how to add one.

/// The coordinator's part of [`crate::command_table`] (the last: calls the callback).
#[doc(hidden)]
#[macro_export]
macro_rules! __coordinator_commands {
    ($callback:ident; $($done:tt)*) => {
        $callback! { $($done)*
            coordinator = Coordinator [
                // The database: created or opened with the coordinator's password.
                coordinator_status() -> CoordinatorStatus,
                coordinator_create(password: String) -> CoordinatorStatus,
                coordinator_open(password: String) -> CoordinatorStatus,
                coordinator_close() -> CoordinatorStatus,
                // School, roster, participants (names: this window only).
                coordinator_school() -> Option<School>,
                coordinator_set_school(school: School) -> (),
                coordinator_import_roster(path: String) -> RosterOutcome,
                coordinator_participants() -> Vec<Participant>,
                // Rosters as schools have them: preview with the coordinator's fixes
                // and skipped rows, import skipping invalid rows or as fixed.
                coordinator_roster_preview(path: String, choices: RosterChoices) -> RosterPreview,
                coordinator_import_roster_valid(path: String) -> RosterImport,
                coordinator_import_roster_edited(
                    path: String,
                    sha256: String,
                    choices: RosterChoices,
                ) -> RosterImport,
                // Participant codes from ФИС ОКО, handed out in roster order or at random.
                coordinator_import_codes(path: String, order: CodeOrder) -> CodesImport,
                // Data at rest: the names scan of notes, the one-year purge.
                coordinator_names_in_notes(work_id: i64) -> Vec<NameHit>,
                coordinator_set_score_note(
                    work_id: i64,
                    code: u32,
                    task: u32,
                    round: u32,
                    criterion: String,
                    note: String,
                ) -> (),
                coordinator_purge_preview(today: Option<String>) -> PurgePreview,
                coordinator_purge(today: Option<String>, confirmed: bool) -> (),
                // Works from the schedule, keys.
                coordinator_works() -> Vec<Work>,
                coordinator_add_work(form: WorkForm) -> Work,
                coordinator_release_keys(work_id: i64, keys_password: String) -> Work,
                // The chain of custody: issuers, enrolment, held sessions, receipts.
                coordinator_issuers() -> Vec<TrustedIssuer>,
                coordinator_import_issuer(path: String, label: String) -> TrustedIssuer,
                coordinator_remove_issuer(fingerprint: String) -> (),
                coordinator_enrol_station(room_id: i64, path: String) -> Station,
                coordinator_held(work_id: i64) -> Vec<HeldSession>,
                coordinator_resolve_held(id: i64, resolution: Resolution) -> (),
                coordinator_receipts(work_id: i64) -> Vec<ReceiptRow>,
                coordinator_enter_receipt(work_id: i64, code: u32, receipt: String) -> ReceiptRow,
                // Rooms, stations, staff, absences.
                coordinator_rooms() -> Vec<Room>,
                coordinator_add_room(name: String) -> Room,
                coordinator_stations() -> Vec<Station>,
                coordinator_add_station(
                    room_id: i64,
                    number: u32,
                    station_room: String,
                    public_key: String,
                    fingerprint: String,
                ) -> Station,
                coordinator_staff() -> Vec<StaffMember>,
                coordinator_add_staff(staff: NewStaff) -> StaffMember,
                coordinator_absences(work_id: i64) -> Vec<Absence>,
                coordinator_record_absences(
                    work_id: i64,
                    participant_ids: Vec<i64>,
                    reason: String,
                    document: String,
                    reserve_date: Option<String>,
                ) -> Vec<Absence>,
                // Seating in time slots (stations per room from the package), printouts.
                coordinator_seat_all(work_id: i64, room_id: i64, first_start: String, minutes: u32)
                    -> Vec<Slot>,
                // The variant the seating gives a participant (None: by station number).
                coordinator_set_seat_variant(work_id: i64, code: u32, variant: Option<u32>) -> (),
                coordinator_print(what: Printout, work_id: i64, room_id: Option<i64>, folder: String)
                    -> String,
                // Station bundles and the completeness board.
                coordinator_import_bundle(path: String) -> ImportReport,
                coordinator_completeness(work_id: i64) -> Vec<RoomBoard>,
                // Scoring.
                coordinator_auto_score(work_id: i64) -> u32,
                coordinator_assign_experts(work_id: i64) -> AssignmentReport,
                coordinator_expert_queue(expert_id: i64) -> Vec<ExpertItem>,
                // A recorded answer by task and part (0, or the question
                // number), one segment at a time.
                coordinator_waveform(
                    work_id: i64,
                    code: u32,
                    task: u32,
                    part: u32,
                    segment: u32,
                    buckets: usize,
                ) -> Vec<f32>,
                coordinator_play(work_id: i64, code: u32, task: u32, part: u32, segment: u32) -> (),
                coordinator_stop() -> (),
                coordinator_submit_scores(
                    expert_id: i64,
                    work_id: i64,
                    code: u32,
                    task: u32,
                    scores: Vec<CriterionScore>,
                ) -> bool,
                // The expert's material and player (the pictures and the
                // recording as bytes), assignment warnings, cross-check.
                coordinator_work_material(work_id: i64, code: u32) -> Vec<TaskMaterial>,
                coordinator_material_photo(work_id: i64, file: String) -> MediaBytes,
                coordinator_keep_pictures(work_id: i64, password: String) -> u32,
                coordinator_recording_audio(
                    work_id: i64,
                    code: u32,
                    task: u32,
                    part: u32,
                    segment: u32,
                ) -> MediaBytes,
                coordinator_assign_organizer(staff_id: i64, work_id: i64, room_id: i64)
                    -> Vec<String>,
                coordinator_assignment_warnings(work_id: i64) -> Vec<String>,
                coordinator_export_cross_package(work_id: i64, tasks: Option<Vec<u32>>, out: String)
                    -> u32,
                coordinator_import_cross_scores(path: String, school_key: String) -> u32,
                coordinator_archive_public_key() -> String,
                // The receiving school's side: open, listen, score, sign.
                coordinator_open_cross_package(path: String) -> CrossPackage,
                coordinator_cross_part_audio(path: String, token: String, index: u32) -> MediaBytes,
                coordinator_cross_part_waveform(path: String, token: String, index: u32, buckets: usize)
                    -> Vec<f32>,
                coordinator_write_cross_scores(path: String, out: String, scores: Vec<CrossScore>)
                    -> SavedFiles,
                // The results form, statistics, the archive.
                coordinator_form_missing(work_id: i64) -> Vec<String>,
                coordinator_export_form(work_id: i64, folder: String) -> SavedFiles,
                // The official form from ФИС ОКО: its columns recognised, then filled in place.
                coordinator_official_form_mapping(
                    work_id: i64,
                    template: String,
                    answers: Vec<FormAnswer>,
                ) -> FormMapping,
                coordinator_fill_official_form(
                    work_id: i64,
                    template: String,
                    folder: String,
                    answers: Vec<FormAnswer>,
                ) -> OfficialForm,
                coordinator_export_school_forms(folder: String) -> SavedFiles,
                coordinator_statistics(work_id: i64) -> WorkStats,
                coordinator_export_archive(work_id: i64, folder: String) -> SavedFiles,
                // Paper works: the grid by code, one value at a time, the change log.
                coordinator_paper_grid(work_id: i64) -> PaperGrid,
                coordinator_paper_enter(
                    work_id: i64,
                    code: u32,
                    item: String,
                    value: String,
                    by: EnteredBy,
                ) -> PaperRow,
                coordinator_paper_log(work_id: i64) -> Vec<PaperLogEntry>,
                // A paper work described in the window: tasks, marks, keys per variant.
                coordinator_add_paper_work(draft: PaperWorkDraft) -> Work,
                coordinator_update_paper_work(work_id: i64, draft: PaperWorkDraft) -> Work,
                coordinator_remove_work(work_id: i64) -> (),
                coordinator_paper_key_table(work_id: i64) -> PaperKeyTable,
                coordinator_set_paper_keys(work_id: i64, table: PaperKeyTable) -> Work,
                // The variant and adapted version written on a participant's sheet.
                coordinator_paper_sheet(
                    work_id: i64,
                    code: u32,
                    variant: u32,
                    version: Option<String>,
                    by: EnteredBy,
                ) -> PaperRow,
            ]
        }
    };
}
