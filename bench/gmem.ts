/**
 * The guest_memfd model's speed at the bounds reviewers ask for: states, states per CPU second,
 * bytes per state, and whether the run completed or what stopped it. One row per line.
 *
 *   node --import tsx bench/gmem.ts [--time-limit ms] [--json] [row names...]
 *     --json: one JSON line per row (npm run bench runs each row in a process of its own)
 *   rows: upstream (pages=3, inFlight=3, fault:3 convert:2 punchHole:1, symmetry on),
 *         in-place (pages=2, inFlight=3, fault:2 convert:2 punchHole:1 mmapFault:1 pin:1)
 */
import { pathToFileURL } from 'node:url';
import { check } from '../checker/index.ts';
import type { BoundsInput, Design } from '../src/index.ts';
import { gmemModel, inPlace, upstream } from '../src/index.ts';

export interface GmemRow {
  readonly name: string;
  readonly design: Design;
  readonly bounds: BoundsInput;
  readonly symmetry: boolean;
}

export const GMEM_ROWS: readonly GmemRow[] = [
  {
    name: 'upstream',
    design: upstream,
    symmetry: true,
    bounds: { pages: 3, inFlight: 3, ops: { fault: 3, convert: 2, punchHole: 1 } },
  },
  {
    name: 'in-place',
    design: inPlace,
    symmetry: true,
    bounds: { pages: 2, inFlight: 3, ops: { fault: 2, convert: 2, punchHole: 1, mmapFault: 1, pin: 1 } },
  },
];

export interface GmemResult {
  readonly name: string;
  readonly states: number;
  readonly cpuSeconds: number;
  readonly statesPerCpuSecond: number;
  readonly bytesPerState: number;
  readonly outcome: string;
  readonly verdicts: Record<string, string>;
  /** This process's peak resident set size. */
  readonly maxRSSBytes: number;
}

export function runGmemRow(row: GmemRow, timeLimitMs: number): GmemResult {
  const model = gmemModel({ design: row.design, bounds: row.bounds, symmetry: row.symmetry });
  const cpu = process.cpuUsage();
  const r = check(model, { timeLimitMs, deadlock: true });
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  const verdicts: Record<string, string> = {};
  for (const p of r.properties)
    verdicts[p.name] = p.trace ? `${p.status} (${p.trace.steps.length - 1} steps)` : p.status;
  return {
    name: row.name,
    states: r.distinctStates,
    cpuSeconds,
    statesPerCpuSecond: r.distinctStates / cpuSeconds,
    bytesPerState: r.bytesPerState,
    outcome: r.complete ? 'complete' : `stopped by ${r.stoppedBy}`,
    verdicts,
    maxRSSBytes: process.resourceUsage().maxRSS * 1024,
  };
}

function main(argv: string[]): void {
  let timeLimitMs = 60_000;
  let json = false;
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--time-limit') timeLimitMs = Number(argv[++i]);
    else if (argv[i] === '--json') json = true;
    else names.push(argv[i]);
  }
  const unknown = names.filter((n) => !GMEM_ROWS.some((r) => r.name === n));
  if (unknown.length > 0 || !Number.isInteger(timeLimitMs) || timeLimitMs <= 0) {
    console.error(
      `bench/gmem.ts: rows are ${GMEM_ROWS.map((r) => r.name).join(', ')}; --time-limit takes a positive integer (ms)`,
    );
    process.exit(2);
  }
  for (const row of GMEM_ROWS.filter((r) => names.length === 0 || names.includes(r.name))) {
    const g = runGmemRow(row, timeLimitMs);
    if (json) {
      console.log(JSON.stringify(g));
      continue;
    }
    console.log(
      `${g.name}: ${g.states} states, ${g.cpuSeconds.toFixed(1)} CPU s, ${Math.round(g.statesPerCpuSecond)} states/CPU s, ` +
        `${g.bytesPerState.toFixed(1)} bytes/state, ${g.outcome}`,
    );
    console.log(
      `  ${Object.entries(g.verdicts)
        .map(([k, v]) => `${k}: ${v}`)
        .join('; ')}`,
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));

/** The rows as `npm run bench` prints them. */
export function gmemLines(results: readonly GmemResult[], timeLimitMs: number): string[] {
  return [
    `guest_memfd model (bench/gmem.ts, one core, symmetry on, ${timeLimitMs / 1000} s limit):`,
    ...results.map((g) => {
      const row = GMEM_ROWS.find((r) => r.name === g.name)!;
      const ops = Object.entries(row.bounds.ops ?? {})
        .map(([k, v]) => `${k}:${v}`)
        .join(' ');
      return (
        `  ${g.name} (pages=${row.bounds.pages}, inFlight=${row.bounds.inFlight}, ${ops}): ${g.states} states, ` +
        `${Math.round(g.statesPerCpuSecond)} states/cpu s, ${g.bytesPerState.toFixed(1)} B/state, ` +
        `peak RSS ${(g.maxRSSBytes / 2 ** 20).toFixed(0)} MiB (${(g.maxRSSBytes / g.states).toFixed(0)} B/state), ${g.outcome}`
      );
    }),
  ];
}
