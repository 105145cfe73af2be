import { getContext, setContext } from "svelte";
import type { StudentAction } from "../bindings/StudentAction";
import type { SessionView } from "../bindings/SessionView";
import type { StationBackend } from "./backend";

/** Shared by the station screens: the backend and a way to act that updates the view. */
export interface StationContext {
  backend: StationBackend;
  /** Send an action; the returned view replaces the current one. Rejects with a CommandError. */
  act(action: StudentAction): Promise<SessionView>;
  /** Like `act`, but shows a failure in the station's error banner instead of rejecting. */
  tryAct(action: StudentAction): Promise<boolean>;
}

const KEY = Symbol("station");

export function setStation(ctx: StationContext): void {
  setContext(KEY, ctx);
}

export function station(): StationContext {
  return getContext<StationContext>(KEY);
}
