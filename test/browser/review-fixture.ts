/**
 * The reviews the page tests open: a real one, written as `gmemcheck review` writes it, of a
 * few quick specs (violations with race diagrams, witnesses, several designs, each design
 * compared with its spec's baseline); and a synthetic
 * one with that review's specs repeated until it holds ten times the counterexamples and
 * witnesses of today's full review, to test that the page stays usable at that size.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFiles } from '../../checker/cli/atomic.ts';
import { COMPARE_WITH } from '../../checker/cli/defaults.ts';
import { reviewFiles } from '../../checker/cli/review.ts';
import { compareRuns } from '../../checker/cli/review-parts.ts';
import { prepare, runDesign } from '../../checker/cli/run.ts';
import { loadSpecs } from '../../checker/cli/specs.ts';
import { buildReview, type ReviewData, type ReviewInput } from '../../checker/review/data.ts';
import { renderReviewHtml } from '../../checker/review/html.ts';
import { toolVersion } from '../../checker/version.ts';

/** Quick to check (about 0.4 s together), and between them every kind of cell and trace. */
export const PAGE_SPECS = ['conversion-all-or-nothing', 'intra-host-migration', 'populate', 'shared-access-to-private'];

/** Today's full review (`npm start`) holds this many traces; the big page holds ten times as many. */
export const TODAY_TRACES = 63;

export interface WrittenReview {
  readonly review: ReviewData;
  readonly dir: string;
  /** review.html as a file: URL. */
  readonly url: string;
}

export async function writeSmallReview(): Promise<WrittenReview> {
  const loaded = await loadSpecs('specs', PAGE_SPECS);
  const inputs: ReviewInput[] = [];
  const prepared = loaded.flatMap((l) => prepare(l));
  for (const one of prepared) {
    const { design, model, result } = await runDesign(one, {});
    inputs.push({ specId: one.loaded.id, file: one.loaded.file, spec: one.loaded.spec, design, model, result });
  }
  const { review, traceFiles } = buildReview(inputs, toolVersion, 0);
  const comparisons = compareRuns(prepared, {}, COMPARE_WITH);
  const dir = mkdtempSync(join(tmpdir(), 'gmemcheck-page-'));
  writeFiles(dir, reviewFiles(review, traceFiles, dir, comparisons));
  return { review: { ...review, comparisons }, dir, url: `file://${join(dir, 'review.html')}` };
}

/** `review`'s specs again and again (ids and titles numbered) until there are `traces` traces. */
export function repeatedReview(review: ReviewData, traces: number): ReviewData {
  const perCopy = review.specs.reduce((n, s) => n + s.runs.reduce((m, r) => m + r.traces.length, 0), 0);
  const copies = Math.ceil(traces / perCopy);
  const specs = Array.from({ length: copies }, (_, k) =>
    review.specs.map((s) => ({ ...s, id: `${s.id}-${k + 1}`, title: `${s.title} (${k + 1})` })),
  ).flat();
  const n = (key: keyof ReviewData['summary']) => review.summary[key] * copies;
  return {
    ...review,
    summary: {
      specs: n('specs'),
      runs: n('runs'),
      cells: n('cells'),
      asExpected: n('asExpected'),
      differs: n('differs'),
      inconclusive: n('inconclusive'),
    },
    specs,
  };
}

export function writeHtml(review: ReviewData, dir: string): string {
  const file = join(dir, 'review.html');
  writeFileSync(file, renderReviewHtml(review, { outDir: dir }));
  return `file://${file}`;
}
