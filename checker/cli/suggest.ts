/** "Did you mean ...?" for a mistyped name: the closest candidate by edit distance, if close. */

/** Edits (insert, delete, replace, swap two neighbours) from a to b: optimal string alignment. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The candidate closest to `name`: within a third of its length in edits, or the only one it abbreviates. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; d: number } | undefined;
  for (const candidate of candidates) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    if (!best || d < best.d) best = { candidate, d };
  }
  if (best && best.d <= Math.max(1, Math.floor(name.length / 3))) return best.candidate;
  const abbreviated = candidates.filter((c) => c.startsWith(name));
  return name.length >= 3 && abbreviated.length === 1 ? abbreviated[0] : undefined;
}

/** `did you mean "lock"? ` (to put before the list of known names), or ''. */
export function didYouMean(name: string, candidates: readonly string[]): string {
  const best = closest(name, candidates);
  return best === undefined ? '' : `did you mean "${best}"? `;
}
