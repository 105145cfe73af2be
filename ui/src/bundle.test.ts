// The student's window loads only the station's screens: the production build
// splits each mode's UI into its own chunk, and nothing the station window
// loads (the entry, the station chunk and their static imports) holds a
// technician or coordinator command.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { build } from "vite";

type Chunk = { file: string; imports?: string[]; dynamicImports?: string[]; isEntry?: boolean };

const root = join(__dirname, "..");
const out = mkdtempSync(join(tmpdir(), "vpr-ui-build-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function invoked(bindings: string): string[] {
  const text = readFileSync(join(__dirname, "bindings", bindings), "utf8");
  return [...text.matchAll(/invoke\("([a-z_]+)"/g)].map((m) => m[1]);
}

/** The manifest keys loaded with `key`: itself and its static imports, recursively. */
function closure(manifest: Record<string, Chunk>, key: string, seen = new Set<string>()): Set<string> {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const i of manifest[key]?.imports ?? []) closure(manifest, i, seen);
  return seen;
}

describe("the production build", () => {
  it("keeps the technician's and the coordinator's screens out of the station window", async () => {
    await build({
      root,
      configFile: join(root, "vite.config.ts"),
      logLevel: "silent",
      build: { outDir: out, emptyOutDir: true, manifest: "manifest.json" },
    });
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as Record<string, Chunk>;
    const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
    expect(entry).toBeDefined();
    const lazy = manifest[entry!].dynamicImports ?? [];
    expect(lazy.sort()).toEqual(
      [
        "src/author/AuthorApp.svelte",
        "src/coordinator/CoordinatorApp.svelte",
        "src/station/StationApp.svelte",
        "src/technician/TechnicianApp.svelte",
      ].sort(),
    );

    const station = new Set([...closure(manifest, entry!), ...closure(manifest, "src/station/StationApp.svelte")]);
    expect(station.has("src/technician/TechnicianApp.svelte")).toBe(false);
    expect(station.has("src/coordinator/CoordinatorApp.svelte")).toBe(false);
    expect(station.has("src/author/AuthorApp.svelte")).toBe(false);
    const stationJs = [...station].map((k) => readFileSync(join(out, manifest[k].file), "utf8")).join("\n");

    const others = [
      ...invoked("technicianCommands.ts"),
      ...invoked("coordinatorCommands.ts"),
      ...invoked("authorCommands.ts"),
    ];
    expect(others.length).toBeGreaterThan(40);
    expect(others.filter((c) => stationJs.includes(`"${c}"`))).toEqual([]);
    for (const c of invoked("stationCommands.ts")) expect(stationJs).toContain(`"${c}"`);

    // The other modes' chunks do hold their commands (the check above can fail).
    const coordinator = readFileSync(join(out, manifest["src/coordinator/CoordinatorApp.svelte"].file), "utf8");
    expect(coordinator).toContain('"coordinator_import_bundle"');
  }, 120_000);
});
