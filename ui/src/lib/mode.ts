import type { WindowMode } from "../bindings/WindowMode";

const MODES: readonly WindowMode[] = ["station", "technician", "coordinator", "author"];

/** The window's mode is its label, set by the shell; anything else is a station. */
export function modeFromLabel(label: string | undefined): WindowMode {
  return MODES.find((m) => m === label) ?? "station";
}

/** Reads the label Tauri injects, without an IPC call. */
export function currentLabel(): string | undefined {
  const internals = (window as unknown as { __TAURI_INTERNALS__?: { metadata?: { currentWindow?: { label?: string } } } })
    .__TAURI_INTERNALS__;
  return internals?.metadata?.currentWindow?.label;
}
