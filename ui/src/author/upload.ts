import { invoke } from "@tauri-apps/api/core";
import type { MediaReceived } from "../bindings/MediaReceived";
import { at } from "./text";

/** The caps vpr-author applies (vpr-exam's media caps): checked here before a byte is read. */
export const MAX_AUDIO_BYTES = 200 * 1024 * 1024;
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
const IMAGE = /\.(jpe?g|png|svg)$/i;

export function capFor(name: string): number {
  return IMAGE.test(name) ? MAX_IMAGE_BYTES : MAX_AUDIO_BYTES;
}

/** Refused before reading: a file over its kind's cap (the message names it). */
export function tooLarge(file: { name: string; size: number }): string | null {
  const cap = capFor(file.name);
  return file.size > cap ? at.media.tooLarge(file.name, Math.round(cap / 1024 / 1024)) : null;
}

/** Send a file's bytes as the raw body of `author_add_media` (names in headers); the
 *  backend checks the size again, decodes the file and keeps it (into `slot` when given). */
export async function sendMedia(work: string, file: File, slot: string | null): Promise<MediaReceived> {
  const refused = tooLarge(file);
  if (refused) throw { code: "author_too_large", message: refused, severity: "non_blocking" };
  const bytes = new Uint8Array(await file.arrayBuffer());
  return invoke<MediaReceived>("author_add_media", bytes, {
    headers: {
      "x-work": encodeURIComponent(work),
      "x-file-name": encodeURIComponent(file.name),
      "x-slot": encodeURIComponent(slot ?? ""),
    },
  });
}
