/**
 * The guest_memfd model's speed at the bounds reviewers ask for (issue 13): states, time, states
 * per CPU second, bytes per state, peak RSS, whether the run completed or what stopped it, and
 * every verdict. Each row runs in a process of its own (its peak RSS is its own).
 *
 *   node --import tsx bench/gmem.ts [--time-limit ms] [--json] [row names...]
 *     without --json: the rows as `npm run bench` prints them; --json: one JSON line per row,
 *     run here (npm run bench and this script's own rows run each row so, in a child process)
 *   rows: upstream (pages=3, inFlight=3, fault:3 convert:2 punchHole:1),
 *         in-place (pages=3, inFlight=3, fault:2 convert:2 punchHole:1 mmapFault:1 pin:1),
 *         in-place-pages2 (the same at pages=2); symmetry on in each
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { check } from '../checker/index.ts';
import type { BoundsInput, Design } from '../src/index.ts';
import { gmemModel, inPlace, upstream } from '../src/index.ts';

export interface GmemRow {
  readonly name: string;
  readonly design: Design;
  readonly bounds: BoundsInput;
  readonly symmetry: boolean;
}

const IN_PLACE_OPS = { fault: 2, convert: 2, punchHole: 1, mmapFault: 1, pin: 1 };

export const GMEM_ROWS: readonly GmemRow[] = [
  {
    name: 'upstream',
    design: upstream,
    symmetry: true,
    bounds: { pages: 3, inFlight: 3, ops: { fault: 3, convert: 2, punchHole: 1 } },
  },
  { name: 'in-place', design: inPlace, symmetry: true, bounds: { pages: 3, inFlight: 3, ops: IN_PLACE_OPS } },
  { name: 'in-place-pages2', design: inPlace, symmetry: true, bounds: { pages: 2, inFlight: 3, ops: IN_PLACE_OPS } },
];

export interface GmemResult {
  readonly name: string;
  readonly states: number;
  readonly transitions: number;
  readonly depth: number;
  /** The search's own time (the engine's elapsedMs), and the process's CPU time over it. */
  readonly seconds: number;
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
    transitions: r.transitions,
    depth: r.depth,
    seconds: r.elapsedMs / 1000,
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
  const rows = GMEM_ROWS.filter((r) => names.length === 0 || names.includes(r.name));
  if (json) {
    for (const row of rows) console.log(JSON.stringify(runGmemRow(row, timeLimitMs)));
    return;
  }
  const results = rows.map((row) => {
    const child = spawnSync(
      process.execPath,
      [
        '--max-old-space-size=8192',
        ...process.execArgv,
        fileURLToPath(import.meta.url),
        row.name,
        '--json',
        '--time-limit',
        String(timeLimitMs),
      ],
      { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 },
    );
    if (child.status !== 0) throw new Error(`bench/gmem.ts ${row.name}: ${child.stderr}`);
    return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as GmemResult;
  });
  for (const line of gmemLines(results, timeLimitMs)) console.log(line);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));

/** The verdicts in one line: how many hold, then every other outcome by property. */
function verdictLine(verdicts: Record<string, string>): string {
  const entries = Object.entries(verdicts);
  const holds = entries.filter(([, v]) => v === 'holds').length;
  const others = entries.filter(([, v]) => v !== 'holds').map(([k, v]) => `${k}: ${v}`);
  return `${holds} of ${entries.length} hold${others.length > 0 ? `; ${others.join('; ')}` : ''}`;
}

/** The rows as `npm run bench` prints them. */
export function gmemLines(results: readonly GmemResult[], timeLimitMs: number): string[] {
  return [
    `guest_memfd model (bench/gmem.ts, one core, symmetry on, ${timeLimitMs / 1000} s limit):`,
    ...results.flatMap((g) => {
      const row = GMEM_ROWS.find((r) => r.name === g.name)!;
      const ops = Object.entries(row.bounds.ops ?? {})
        .map(([k, v]) => `${k}:${v}`)
        .join(' ');
      return [
        `  ${g.name} (pages=${row.bounds.pages}, inFlight=${row.bounds.inFlight}, ${ops}): ${g.outcome}, ` +
          `${g.states} states, ${g.transitions} transitions, depth ${g.depth}, ${g.seconds.toFixed(1)} s ` +
          `(${g.cpuSeconds.toFixed(1)} CPU s), ${Math.round(g.statesPerCpuSecond)} states/cpu s, ` +
          `${g.bytesPerState.toFixed(1)} B/state, peak RSS ${(g.maxRSSBytes / 2 ** 20).toFixed(0)} MiB ` +
          `(${(g.maxRSSBytes / g.states).toFixed(0)} B/state)`,
        `    verdicts: ${verdictLine(g.verdicts)}`,
      ];
    }),
  ];
}
