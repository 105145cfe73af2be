import type { Component } from "svelte";
import type { WindowMode } from "../bindings/WindowMode";

/** Each mode's UI is its own chunk, loaded on demand: the student's window
 *  never downloads (or holds) the technician's or the coordinator's screens. */
export function loadMode(mode: WindowMode): Promise<Component> {
  switch (mode) {
    case "technician":
      return import("../technician/TechnicianApp.svelte").then((m) => m.default);
    case "coordinator":
      return import("../coordinator/CoordinatorApp.svelte").then((m) => m.default);
    case "author":
      return import("../author/AuthorApp.svelte").then((m) => m.default);
    case "station":
      return import("../station/StationApp.svelte").then((m) => m.default);
  }
}
