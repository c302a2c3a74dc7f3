/**
 * `npm run bench`: our checker and SPIN side by side on the anchor models, in one session.
 *
 * For each anchor, SPIN's pan (breadth-first, no partial order reduction, one core; compiled
 * once), our checker on the tuned model and on its plain-style twin (PLAIN_TWINS) run
 * alternately, `--runs` times each (default 3), every run of ours in a child process of its own
 * (bench/one.ts) so that its peak RSS is its own. Printed: the medians of distinct states/s
 * (per second of search and per CPU second), transitions/s, bytes/state, peak RSS and peak RSS
 * per state, and each of ours over SPIN. Both
 * tools' counts are checked against the reference table (bench/anchors.ts); a mismatch is
 * printed loudly and makes the bench exit 1. Beside the anchors: our states/s on the guest_memfd
 * model's largest spec, the guest_memfd rows at the bounds reviewers ask for (bench/gmem.ts: states,
 * states per CPU second, bytes/state, peak RSS, complete or what stopped it; the spec time limit
 * applies), and the 2-worker speedup when the engine offers workers.
 * Results go to bench/results.json (written atomically).
 *
 *   npm run bench [-- --quick] [--runs N] [--no-spin] [--spec-time-limit ms] [--specs DIR]
 *
 * Speed is compared as each tool's own search time (SPIN's `elapsed time`, our `elapsedMs`);
 * pan's whole-process wall time (with allocating its 512 MiB hash table) and our process's
 * start (Node, tsx) are outside both; pan's wall time is printed beside. CPU time is printed
 * too, SPIN's less an empty model's pan run: it moves less than wall time on a busy machine.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative, resolve } from 'node:path';
import {
  BENCH_ANCHORS,
  PLAIN_TWINS,
  QUICK_ANCHORS,
  SPIN_QUOTED,
  anchorLabel,
  promelaFile,
  reference,
  type AnchorName,
  type AnchorReference,
} from './anchors.ts';
import { parallelEngine, specFiles, type OneRun } from './one.ts';
import { GMEM_ROWS, gmemLines, type GmemResult } from './gmem.ts';
import {
  NOTES,
  NOTES_OURS,
  anchorRows,
  busy,
  domainLines,
  fmt,
  table,
  workersLine,
  type AnchorResult,
  type DomainResult,
  type ProbedDesign,
} from './report.ts';
import { BENCH_DIR, compilePan, ensureSpin, runPan, type SpinFigures } from './spin.ts';

const ROOT = join(BENCH_DIR, '..');
const HEAP_MB = 8192;

interface Args {
  quick: boolean;
  runs: number;
  spin: boolean;
  specTimeLimitMs: number;
  specsDir: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { quick: false, runs: 3, spin: true, specTimeLimitMs: 60_000, specsDir: join(ROOT, 'specs') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const int = () => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v <= 0) throw new Error(`${a} wants a positive integer, got ${argv[i]}`);
      return v;
    };
    if (a === '--quick') args.quick = true;
    else if (a === '--runs') args.runs = int();
    else if (a === '--no-spin') args.spin = false;
    else if (a === '--spec-time-limit') args.specTimeLimitMs = int();
    else if (a === '--specs') args.specsDir = resolve(argv[++i] ?? '');
    else
      throw new Error(`unknown option ${a} (known: --quick, --runs N, --no-spin, --spec-time-limit ms, --specs DIR)`);
  }
  return args;
}

/** Runs bench/one.ts in a child Node and returns the JSON of its last line. */
function ours<T = OneRun>(args: string[], script = 'one.ts'): T {
  const r = spawnSync(
    process.execPath,
    [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', join(BENCH_DIR, script), ...args],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  if (r.status !== 0)
    throw new Error(`bench/${script} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stderr}`);
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as T;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The median of every numeric field over the runs (the counts are equal in every run). */
function medians<T extends object>(runs: readonly T[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(runs[0])) {
    if (typeof value === 'number') out[key] = median(runs.map((r) => (r as Record<string, number>)[key]));
  }
  return out;
}

/** Differences from the reference table, as sentences; empty when the counts are exact. */
function countMismatches(
  who: string,
  got: { distinctStates: number; transitions: number; depth: number },
  ref: AnchorReference,
): string[] {
  const out: string[] = [];
  for (const key of ['distinctStates', 'transitions', 'depth'] as const) {
    if (got[key] !== ref[key]) out.push(`${who}: ${key} ${fmt(got[key])}, reference ${fmt(ref[key])}`);
  }
  return out;
}

/** Our verdict must be the reference's: peterson holds, the philosophers deadlock in N steps. */
function outcomeMismatches(who: string, run: OneRun, ref: AnchorReference): string[] {
  const outcome = ref.outcome;
  if (outcome === 'holds') {
    const bad = Object.entries(run.properties).filter(([, p]) => p.status !== 'holds');
    return bad.map(([name, p]) => `${who}: ${name} ${p.status}, reference: holds`);
  }
  const [name, expectedLength] =
    'deadlockAt' in outcome ? ['no-deadlock', outcome.deadlockAt] : ['mutual-exclusion', outcome.violatedAt];
  const p = run.properties[name];
  return p?.status === 'violated' && p.traceLength === expectedLength
    ? []
    : [
        `${who}: ${name} ${p ? `${p.status} at ${p.traceLength}` : 'not reported'}, reference: violated at ${expectedLength}`,
      ];
}

function writeAtomic(path: string, content: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

/**
 * The CPU time every pan run spends outside its search (allocating, zeroing and freeing the
 * 2^26-slot hash table): the median of an empty model's runs, subtracted from SPIN's CPU time.
 */
function spinBaselineCpuMs(runs: number): number {
  const pan = compilePan('empty.pml', 'empty');
  return median(
    Array.from({ length: runs }, () => {
      const f = runPan(pan);
      return f.cpuUserMs + f.cpuSystemMs;
    }),
  );
}

/** `spinBaselineMs`: undefined when SPIN is not there; else what spinBaselineCpuMs measured. */
function benchAnchor(
  name: AnchorName,
  n: number,
  args: Args,
  spinBaselineMs: number | undefined,
  workers2: boolean,
): AnchorResult {
  const label = anchorLabel(name, n);
  const ref = reference(name, n);
  if (!ref) throw new Error(`no reference figures for ${label}`);
  const pan = spinBaselineMs !== undefined ? compilePan(promelaFile(name, n), `${name}${n}`) : undefined;
  const spinRuns: SpinFigures[] = [];
  const ourRuns: OneRun[] = [];
  const plainRuns: OneRun[] = [];
  const our2Runs: OneRun[] = [];
  const mismatches: string[] = [];
  for (let i = 0; i < args.runs; i++) {
    // Alternate who goes first, so that neither always runs on a warmer (or hotter) machine.
    const steps: (() => void)[] = [];
    if (pan) {
      steps.push(() => {
        const s = runPan(pan);
        s.cpuSearchMs = Math.max(0, s.cpuUserMs + s.cpuSystemMs - (spinBaselineMs ?? 0));
        // SPIN counts its initial step as a transition: one more than the reference.
        mismatches.push(...countMismatches(`SPIN run ${i + 1}`, { ...s, transitions: s.transitions - 1 }, ref));
        spinRuns.push(s);
      });
    }
    steps.push(() => {
      const o = ours(['anchor', name, String(n)]);
      mismatches.push(
        ...countMismatches(`ours run ${i + 1}`, o, ref),
        ...outcomeMismatches(`ours run ${i + 1}`, o, ref),
      );
      ourRuns.push(o);
    });
    if (PLAIN_TWINS.includes(name)) {
      steps.push(() => {
        const o = ours(['anchor', name, String(n), '--plain']);
        mismatches.push(
          ...countMismatches(`ours plain run ${i + 1}`, o, ref),
          ...outcomeMismatches(`ours plain run ${i + 1}`, o, ref),
        );
        plainRuns.push(o);
      });
    }
    if (workers2) {
      steps.push(() => {
        const o = ours(['anchor', name, String(n), '--workers', '2']);
        mismatches.push(
          ...countMismatches(`ours 2 workers run ${i + 1}`, o, ref),
          ...outcomeMismatches(`ours 2 workers run ${i + 1}`, o, ref),
        );
        our2Runs.push(o);
      });
    }
    if (i % 2 === 1) steps.reverse();
    for (const step of steps) step();
    process.stdout.write(`  ${label}: run ${i + 1}/${args.runs} done\n`);
  }
  return {
    model: label,
    reference: ref,
    ...(spinRuns.length ? { spin: { runs: spinRuns, median: medians(spinRuns) } } : {}),
    ours: { runs: ourRuns, median: medians(ourRuns) },
    ...(plainRuns.length ? { plain: { runs: plainRuns, median: medians(plainRuns) } } : {}),
    ...(our2Runs.length ? { ours2: { runs: our2Runs, median: medians(our2Runs) } } : {}),
    mismatches,
  };
}

/** Our states/s on the guest_memfd model's largest spec: the (spec, design) with the most states. */
function benchDomain(args: Args): DomainResult {
  const dir = args.specsDir;
  if (!existsSync(dir) || specFiles(dir).length === 0)
    return { skipped: `${relative(ROOT, dir) || dir}/ holds no spec file yet` };
  // "Largest": from a probe (5 s at most) of every design of every spec, a space the probe could not finish
  // before any it finished; then the most distinct states reached.
  const probe = ours<ProbedDesign[]>(['probe', dir, '--time-limit', '5000']);
  if (probe.length === 0) return { skipped: 'the specs declare no design' };
  const size = (p: ProbedDesign) => (p.complete ? 0 : 1e15) + p.distinctStates;
  const largest = probe.reduce((a, b) => (size(b) > size(a) ? b : a));
  const runs: OneRun[] = [];
  for (let i = 0; i < args.runs; i++) {
    runs.push(ours(['spec', largest.file, largest.design, '--time-limit', String(args.specTimeLimitMs)]));
  }
  return { spec: largest.file, design: largest.design, probe, runs, median: medians(runs) };
}

function main(): number {
  const args = parseArgs(process.argv.slice(2));
  const anchors = args.quick ? QUICK_ANCHORS : BENCH_ANCHORS;
  const cpus = os.cpus();
  const cores = os.availableParallelism();
  const machine = {
    cores,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
  console.log(`gmemcheck bench: ${cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, Node ${machine.node}`);
  console.log(
    `${args.runs} run(s) each, alternating, medians; ours in a child process each (heap limit ${HEAP_MB} MiB)`,
  );
  const loadAtStart = os.loadavg()[0];
  console.log(`load average at start: ${loadAtStart.toFixed(2)}${busy(loadAtStart, cores)}`);

  const spin = args.spin ? ensureSpin() : { available: false, note: 'SPIN skipped (--no-spin)' };
  console.log(
    spin.available
      ? `SPIN: ${spin.note}; BFS, -DNOREDUCE, one core, pan compiled once (bench/run-spin.sh)`
      : `${spin.note}; our figures only (models.md quotes SPIN at ${Object.entries(SPIN_QUOTED)
          .map(([m, q]) => `${m} ${fmt(q.statesPerSecond)} states/s`)
          .join(', ')})`,
  );
  const workers2 = parallelEngine() !== undefined;
  console.log(
    workers2
      ? 'engine offers workers: 2-worker runs included'
      : 'engine offers no workers yet: 2-worker speedup skipped',
  );
  console.log('');

  const spinBaselineMs = spin.available ? spinBaselineCpuMs(args.runs) : undefined;
  if (spinBaselineMs !== undefined) {
    console.log(
      `SPIN's set-up (an empty model's pan run): ${fmt(spinBaselineMs / 1000, 2)} s CPU, subtracted from its cpu s`,
    );
  }
  const results: AnchorResult[] = [];
  for (const { name, n } of anchors) results.push(benchAnchor(name, n, args, spinBaselineMs, workers2));
  console.log('');
  console.log('domain model: measuring ...');
  const domain = benchDomain(args);
  console.log('guest_memfd rows: measuring ...');
  const gmem = GMEM_ROWS.map((row) =>
    ours<GmemResult>([row.name, '--json', '--time-limit', String(args.specTimeLimitMs)], 'gmem.ts'),
  );

  console.log('');
  const header = [
    'model',
    'tool',
    'states',
    'transitions',
    'depth',
    'search s',
    'runs s',
    'cpu s',
    'states/s',
    'states/cpu s',
    'trans/s',
    'B/state',
    'peak RSS',
    'RSS B/state',
  ];
  console.log(table([header, ...results.flatMap(anchorRows)]));
  console.log('');
  for (const line of results.some((r) => r.spin) ? NOTES : NOTES_OURS) console.log(line);
  for (const r of results) {
    if (!r.spin) continue;
    const s = r.spin.median;
    console.log(
      `${r.model}: SPIN's hash table adds ${fmt(s.hashTableBytes / s.distinctStates, 1)} B/state ` +
        `(total ${fmt(s.memoryBytes / s.distinctStates, 1)}); pan's whole process took ${fmt(s.wallMs / 1000, 2)} s`,
    );
  }
  for (const r of results) {
    const line = workersLine(r);
    if (line) console.log(line);
  }
  for (const line of domainLines(domain, args.specTimeLimitMs)) console.log(line);
  for (const line of gmemLines(gmem, args.specTimeLimitMs)) console.log(line);

  const loadAtEnd = os.loadavg()[0];
  console.log(`load average at end: ${loadAtEnd.toFixed(2)}${busy(loadAtEnd, cores)}`);

  const mismatches = results.flatMap((r) => r.mismatches.map((m) => `${r.model}: ${m}`));
  if (mismatches.length) {
    console.log('');
    console.log('!!! COUNT MISMATCH: the figures below differ from the reference table (bench/anchors.ts) !!!');
    for (const m of mismatches) console.log(`!!! ${m}`);
  } else {
    console.log(`counts: every run of every tool equals the reference table`);
  }

  mkdirSync(BENCH_DIR, { recursive: true });
  writeAtomic(
    join(BENCH_DIR, 'results.json'),
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        machine,
        load: { atStart: loadAtStart, atEnd: loadAtEnd },
        args,
        spin,
        spinBaselineCpuMs: spinBaselineMs,
        anchors: results,
        domain,
        gmem,
        mismatches,
      },
      null,
      2,
    )}\n`,
  );
  console.log('written: bench/results.json');
  return mismatches.length ? 1 : 0;
}

process.exitCode = main();
