/** Field paths as vpr-author names them: `variants[0].tasks[2].content.items[1].text`. */

export function child(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/** The task a path is in: `{ keys, variant, task }` indices, or null. */
export function taskOf(path: string): { keys: boolean; variant: number; task: number } | null {
  const m = /^(keys\.)?variants\[(\d+)\]\.tasks\[(\d+)\]/.exec(path);
  return m ? { keys: !!m[1], variant: Number(m[2]), task: Number(m[3]) } : null;
}

/** A value's field by path (for the problems list's «go to field»). */
export function variantOf(path: string): number | null {
  const m = /^(?:keys\.)?variants\[(\d+)\]/.exec(path);
  return m ? Number(m[1]) : null;
}
