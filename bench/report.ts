/**
 * How `npm run bench` prints its figures: the side-by-side table, its notes, the 2-worker and
 * guest_memfd lines. The measuring is in run.ts.
 */
import { join, relative } from 'node:path';
import type { AnchorReference } from './anchors.ts';
import type { OneRun } from './one.ts';
import { BENCH_DIR, type SpinFigures } from './spin.ts';

const ROOT = join(BENCH_DIR, '..');

export const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
export const mib = (bytes: number) => `${fmt(bytes / 2 ** 20)} MiB`;
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a');

/** User and system CPU time, in seconds (medians of each). */
function cpuSeconds(m: Record<string, number>): number {
  return (m.cpuUserMs + m.cpuSystemMs) / 1000;
}

/** The fastest and slowest search of the runs, in seconds: how noisy the machine was. */
function range(runs: readonly { elapsedMs: number }[]): string {
  const t = runs.map((r) => r.elapsedMs / 1000);
  return runs.length > 1 ? `${fmt(Math.min(...t), 2)}-${fmt(Math.max(...t), 2)}` : '';
}

export function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Other work on the machine makes both tools' times noisy (the ratio less so: runs alternate). */
export function busy(load: number, cores: number): string {
  return load > cores ? ` (busy machine: other work competes for the ${cores} cores, times are noisy)` : '';
}

export const NOTES = [
  'ours: the tuned model (flat number arrays, number actions, an encode); ours, plain: its plain-style twin (an object of',
  '  arrays, action objects, no encode, no presentation: checker/examples/*-plain.ts).',
  'ours/SPIN, plain/SPIN: above 1 on states/s and trans/s is faster; below 1 on times, B/state and RSS is leaner.',
  'states/cpu s: distinct states per CPU second (cpu s below); RSS B/state: peak RSS over distinct states.',
  "Speed: each tool's own search time (SPIN's `elapsed time`, our engine's elapsedMs); runs s: fastest-slowest.",
  "cpu s: user + system CPU time (SPIN: the pan process less an empty model's pan run, its hash table set-up;",
  '  ours: during the search, GC threads included): less sensitive than search s to other work on the machine.',
  'SPIN counts its initial step as a transition (one more than ours).',
  "B/state: ours, the engine's seen-set (64-bit fingerprints, hash table included) and parent links;",
  '  SPIN, its stored state vectors (exact states); its fixed 2^26-slot hash table (-w26) comes on top.',
];

export const NOTES_OURS = [
  "Speed: the engine's own search time (elapsedMs); cpu s: user + system CPU time during it. B/state: its seen-set (64-bit fingerprints, hash",
  'table included) and parent links per state.',
];

export interface AnchorResult {
  model: string;
  reference: AnchorReference;
  spin?: { runs: SpinFigures[]; median: Record<string, number> };
  ours: { runs: OneRun[]; median: Record<string, number> };
  /** The plain-style twin (bench/anchors.ts PLAIN_TWINS). */
  plain?: { runs: OneRun[]; median: Record<string, number> };
  ours2?: { runs: OneRun[]; median: Record<string, number> };
  mismatches: string[];
}

export function anchorRows(r: AnchorResult): string[][] {
  const rows: string[][] = [];
  const s = r.spin?.median;
  if (s) {
    rows.push([
      r.model,
      'SPIN',
      fmt(s.distinctStates),
      fmt(s.transitions),
      fmt(s.depth),
      fmt(s.elapsedMs / 1000, 2),
      range(r.spin!.runs),
      fmt(s.cpuSearchMs / 1000, 2),
      fmt((s.distinctStates * 1000) / s.elapsedMs),
      fmt((s.distinctStates * 1000) / s.cpuSearchMs),
      fmt((s.transitions * 1000) / s.elapsedMs),
      fmt(s.statesMemoryBytes / s.distinctStates, 1),
      mib(s.maxRSSBytes),
      fmt(s.maxRSSBytes / s.distinctStates, 1),
    ]);
  }
  const ourRow = (tool: string, m: Record<string, number>, runs: readonly OneRun[]) => [
    s || tool !== 'ours' ? '' : r.model,
    tool,
    fmt(m.distinctStates),
    fmt(m.transitions),
    fmt(m.depth),
    fmt(m.elapsedMs / 1000, 2),
    range(runs),
    fmt(cpuSeconds(m), 2),
    fmt(m.statesPerSecond),
    fmt(m.distinctStates / cpuSeconds(m)),
    fmt(m.transitionsPerSecond),
    fmt(m.bytesPerState, 1),
    mib(m.maxRSSBytes),
    fmt(m.maxRSSBytes / m.distinctStates, 1),
  ];
  /** Each figure of `o` over SPIN's (above 1 is faster on speeds, below 1 leaner elsewhere). */
  const overSpin = (tool: string, o: Record<string, number>) => {
    if (!s) return [];
    return [
      [
        '',
        tool,
        '',
        '',
        '',
        ratio(o.elapsedMs, s.elapsedMs),
        '',
        ratio(cpuSeconds(o), s.cpuSearchMs / 1000),
        ratio(o.statesPerSecond, (s.distinctStates * 1000) / s.elapsedMs),
        ratio(o.distinctStates / cpuSeconds(o), (s.distinctStates * 1000) / s.cpuSearchMs),
        ratio(o.transitionsPerSecond, (s.transitions * 1000) / s.elapsedMs),
        ratio(o.bytesPerState, s.statesMemoryBytes / s.distinctStates),
        ratio(o.maxRSSBytes, s.maxRSSBytes),
        ratio(o.maxRSSBytes / o.distinctStates, s.maxRSSBytes / s.distinctStates),
      ],
    ];
  };
  rows.push(ourRow('ours', r.ours.median, r.ours.runs), ...overSpin('ours/SPIN', r.ours.median));
  if (r.plain)
    rows.push(ourRow('ours, plain', r.plain.median, r.plain.runs), ...overSpin('plain/SPIN', r.plain.median));
  if (r.ours2) rows.push(ourRow('ours, 2 workers', r.ours2.median, r.ours2.runs));
  return rows;
}

export interface ProbedDesign {
  file: string;
  design: string;
  distinctStates: number;
  complete: boolean;
}

export interface DomainResult {
  skipped?: string;
  spec?: string;
  design?: string;
  probe?: ProbedDesign[];
  runs?: OneRun[];
  median?: Record<string, number>;
}

export function workersLine(r: AnchorResult): string | undefined {
  if (!r.ours2) return undefined;
  const speedup = r.ours.median.elapsedMs / r.ours2.median.elapsedMs;
  const [one] = r.ours.runs;
  const same = r.ours2.runs.every((o) => o.distinctStates === one.distinctStates && o.transitions === one.transitions);
  return (
    `${r.model}: 2 workers ${fmt(r.ours2.median.statesPerSecond)} states/s, ` +
    `speedup ${speedup.toFixed(2)}x over 1 worker, counts identical: ${same ? 'yes' : 'NO'}`
  );
}

export function domainLines(domain: DomainResult, specTimeLimitMs: number): string[] {
  if (domain.skipped) return [`guest_memfd model: skipped, ${domain.skipped}`];
  if (!domain.median || !domain.runs) return [];
  const m = domain.median;
  const [first] = domain.runs;
  const done = first.complete ? 'complete' : `stopped by ${first.stoppedBy} at ${fmt(specTimeLimitMs / 1000)} s`;
  const probed = domain.probe ?? [];
  return [
    `guest_memfd model: probed ${probed.length} designs of ${new Set(probed.map((p) => p.file)).size} specs`,
    `guest_memfd model, largest spec ${relative(ROOT, domain.spec ?? '')} [${domain.design}]: ` +
      `${fmt(m.distinctStates)} states (${done}), ${fmt(m.statesPerSecond)} states/s, ` +
      `${fmt(m.transitionsPerSecond)} trans/s, ${fmt(m.bytesPerState, 1)} B/state, peak RSS ${mib(m.maxRSSBytes)}`,
  ];
}
