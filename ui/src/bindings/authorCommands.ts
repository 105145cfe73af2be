// Generated from vpr-api's command table by `cargo test -p vpr-bindings`. Do not edit.
import { invoke } from "@tauri-apps/api/core";
import type { AuthorStatus } from "./AuthorStatus";
import type { BuiltPackage } from "./BuiltPackage";
import type { Language } from "./Language";
import type { MediaReceived } from "./MediaReceived";
import type { RecorderCheck } from "./RecorderCheck";
import type { SchoolKey } from "./SchoolKey";
import type { TaskKind } from "./TaskKind";
import type { TaskPreview } from "./TaskPreview";
import type { Template } from "./Template";
import type { WorkView } from "./WorkView";

/** `author_status` (author window). Rejects with a `CommandError`. */
export function authorStatus(): Promise<AuthorStatus> {
  return invoke("author_status");
}

/** `author_create` (author window). Rejects with a `CommandError`. */
export function authorCreate(template: Template, language: Language, id: string, title: string | null): Promise<WorkView> {
  return invoke("author_create", { template, language, id, title });
}

/** `author_open` (author window). Rejects with a `CommandError`. */
export function authorOpen(id: string): Promise<WorkView> {
  return invoke("author_open", { id });
}

/** `author_set_field` (author window). Rejects with a `CommandError`. */
export function authorSetField(id: string, path: string, value: string): Promise<WorkView> {
  return invoke("author_set_field", { id, path, value });
}

/** `author_add_variant` (author window). Rejects with a `CommandError`. */
export function authorAddVariant(id: string, copyOf: number | null): Promise<WorkView> {
  return invoke("author_add_variant", { id, copyOf });
}

/** `author_add_task` (author window). Rejects with a `CommandError`. */
export function authorAddTask(id: string, variant: number, kind: TaskKind, after: number): Promise<WorkView> {
  return invoke("author_add_task", { id, variant, kind, after });
}

/** `author_remove_task` (author window). Rejects with a `CommandError`. */
export function authorRemoveTask(id: string, variant: number, number: number): Promise<WorkView> {
  return invoke("author_remove_task", { id, variant, number });
}

/** `author_add_media` (author window). Rejects with a `CommandError`. */
export function authorAddMedia(): Promise<MediaReceived> {
  return invoke("author_add_media");
}

/** `author_media` (author window). Rejects with a `CommandError`. */
export function authorMedia(id: string, path: string): Promise<string> {
  return invoke("author_media", { id, path });
}

/** `author_preview` (author window). Rejects with a `CommandError`. */
export function authorPreview(id: string, variant: number, number: number): Promise<TaskPreview> {
  return invoke("author_preview", { id, variant, number });
}

/** `author_play` (author window). Rejects with a `CommandError`. */
export function authorPlay(id: string, variant: number, number: number): Promise<number> {
  return invoke("author_play", { id, variant, number });
}

/** `author_stop` (author window). Rejects with a `CommandError`. */
export function authorStop(): Promise<null> {
  return invoke("author_stop");
}

/** `author_record_check` (author window). Rejects with a `CommandError`. */
export function authorRecordCheck(seconds: number): Promise<RecorderCheck> {
  return invoke("author_record_check", { seconds });
}

/** `author_play_check` (author window). Rejects with a `CommandError`. */
export function authorPlayCheck(): Promise<null> {
  return invoke("author_play_check");
}

/** `author_create_key` (author window). Rejects with a `CommandError`. */
export function authorCreateKey(): Promise<SchoolKey> {
  return invoke("author_create_key");
}

/** `author_export_key` (author window). Rejects with a `CommandError`. */
export function authorExportKey(folder: string): Promise<string> {
  return invoke("author_export_key", { folder });
}

/** `author_build` (author window). Rejects with a `CommandError`. */
export function authorBuild(id: string, school: string, examDate: string): Promise<BuiltPackage> {
  return invoke("author_build", { id, school, examDate });
}
