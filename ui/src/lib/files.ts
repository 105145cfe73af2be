/** Files the way people handle files: the folder each kind of file was last
 * taken from or saved to is remembered (per window, in the web view's storage),
 * so the next dialog opens there. */

export type FileKind = "roster" | "codes" | "form" | "package" | "bundle" | "export" | "key" | "media";

/** The little storage the remembering needs (localStorage, or a fake in tests). */
export interface FolderStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const storeKey = (kind: FileKind) => `vpr.folder.${kind}`;

function defaultStore(): FolderStore | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}

/** The folder of a path (the path itself when it ends with a separator). */
export function folderOf(path: string): string {
  const i = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  if (i < 0) return "";
  if (i === 0) return path.slice(0, 1);
  return path.slice(0, i);
}

/** Where the last file of this kind came from or went, if anywhere. */
export function rememberedFolder(kind: FileKind, store: FolderStore | null = defaultStore()): string | undefined {
  const v = store?.getItem(storeKey(kind));
  return v && v.trim() !== "" ? v : undefined;
}

/** Remember the folder of a file (or a folder itself, `isFolder`). */
export function remember(kind: FileKind, path: string, isFolder = false, store: FolderStore | null = defaultStore()): void {
  const folder = isFolder ? path.replace(/[\\/]+$/, "") || path : folderOf(path);
  if (folder !== "") store?.setItem(storeKey(kind), folder);
}

/** A default path for a save dialog: the remembered folder and the name. */
export function savePath(kind: FileKind, name: string, store: FolderStore | null = defaultStore()): string {
  const folder = rememberedFolder(kind, store);
  return folder ? `${folder}/${name}` : name;
}

/** Whether the page runs inside the app (dialogs exist), not the dev preview. */
export function inApp(): boolean {
  return typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;
}

/** Show a written file in the system's file manager (nothing in the preview). */
export async function showInFolder(path: string): Promise<void> {
  if (!inApp() || path.trim() === "") return;
  const { revealItemInDir } = await import("@tauri-apps/plugin-opener");
  await revealItemInDir(path);
}
