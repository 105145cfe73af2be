/**
 * The receiving school's scores for another school's cross-check package:
 * what the expert chose per piece and criterion, turned into the list the
 * core signs. A piece goes out only with every criterion scored; a piece
 * scored in part is named so the expert finishes it. No DOM here.
 */
import type { CrossPackage } from "../bindings/CrossPackage";
import type { CrossScore } from "../bindings/CrossScore";

/** token → criterion id → points chosen. */
export type Given = Record<string, Record<string, number>>;

export interface ScoreList {
  scores: CrossScore[];
  /** Pieces (1-based, in the package's order) scored in part. */
  partial: number[];
  /** Pieces fully scored. */
  done: number;
}

export function scoreList(pkg: CrossPackage, given: Given, expert: string, notes: Record<string, string>): ScoreList {
  const scores: CrossScore[] = [];
  const partial: number[] = [];
  let done = 0;
  pkg.items.forEach((item, i) => {
    const g = given[item.token] ?? {};
    const chosen = item.criteria.filter((c) => g[c.id] !== undefined);
    if (chosen.length === 0) return;
    if (chosen.length < item.criteria.length) {
      partial.push(i + 1);
      return;
    }
    done += 1;
    for (const c of item.criteria) {
      scores.push({ token: item.token, criterion: c.id, score: g[c.id], note: (notes[item.token] ?? "").trim(), expert: expert.trim() });
    }
  });
  return { scores, partial, done };
}

/** Whether every criterion of a piece has a score. */
export function isScored(pkg: CrossPackage, given: Given, token: string): boolean {
  const item = pkg.items.find((i) => i.token === token);
  return !!item && item.criteria.every((c) => given[token]?.[c.id] !== undefined);
}
