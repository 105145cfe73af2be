// Dev-only: a stand-in for the shell that serves one fixture, so screens can be seen without Rust.
import type { SessionView } from "../bindings/SessionView";
import type { StudentAction } from "../bindings/StudentAction";
import type { StationBackend } from "../lib/backend";
import { allFixtures, type FixtureName } from "./fixtures";
import park from "./media/park.svg?raw";
import kitchen from "./media/kitchen.svg?raw";
import beach from "./media/beach.svg?raw";

const media: Record<string, string> = { "media/park.svg": park, "media/kitchen.svg": kitchen, "media/beach.svg": beach };

export function previewBackend(name: string): StationBackend {
  const key = (name in allFixtures ? name : "code") as FixtureName;
  let view: SessionView = structuredClone(allFixtures[key]);
  const viewHandlers: ((v: SessionView) => void)[] = [];

  function apply(a: StudentAction): SessionView {
    const s = view.screen;
    if (a.action === "set_answer" && s.screen === "task") s.answers = { ...s.answers, [a.item]: a.value };
    if (a.action === "choose_photo" && s.screen === "task") s.photo = a.photo;
    if (a.action === "enter_code") view = { ...view, code: a.code, screen: { screen: "confirm", code: a.code } };
    view = structuredClone(view);
    viewHandlers.forEach((h) => h(view));
    return view;
  }

  return {
    status: async () => ({ package_title: view.package_title, demo: true, station_number: 3, exit_pin_set: true, pin_alert: null, alerts: [] }),
    view: async () => view,
    act: async (a) => apply(a),
    organizer: async (pin) => {
      if (pin !== "1234") throw { code: "pin_wrong", message: "Неверный PIN-код", severity: "non_blocking" };
      return view;
    },
    media: async (path) => "data:image/svg+xml;charset=utf-8," + encodeURIComponent(media[path] ?? ""),
    requestExit: async () => null,
    onView: async (h) => {
      viewHandlers.push(h);
      return () => {};
    },
    onLevel: async (h) => {
      let t = 0;
      const id = setInterval(() => {
        t += 1;
        h({ level: 0.45 + 0.3 * Math.abs(Math.sin(t / 4)) * Math.random(), clipping: false });
      }, 50);
      return () => clearInterval(id);
    },
    onAlert: async (h) => {
      if (new URLSearchParams(location.search).has("alert"))
        setTimeout(() => h({ code: "device_lost", message: "Микрофон не записывает звук. Проверьте гарнитуру." }), 100);
      return () => {};
    },
    onHeadset: async () => () => {},
    onCloseRefused: async () => () => {},
    rendered: async () => null,
  };
}
