/**
 * SPIN's side of the bench: make sure `spin` and `gcc` are there (installing them with apt-get
 * when the bench runs as root, as the project's machines are set up anew), compile each Promela
 * twin once, run its `pan` under bench/rusage.c, and parse what it prints.
 * How SPIN is compiled and run is said in one place only: bench/run-spin.sh.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';

export const BENCH_DIR = new URL('.', import.meta.url).pathname;
/** Scratch space (gitignored): compiled pans, the rusage wrapper, apt's log. */
export const WORK_DIR = join(BENCH_DIR, '.work');
const RUN_SPIN = join(BENCH_DIR, 'run-spin.sh');

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function missingTools(): string[] {
  return ['spin', 'gcc'].filter((c) => !onPath(c));
}

export interface SpinAvailability {
  available: boolean;
  /** One line: what was found or done, or why SPIN is not there. */
  note: string;
  version?: string;
}

/**
 * SPIN and gcc, installed with `apt-get install -y spin gcc` when missing and the bench runs as
 * root with apt-get; `apt-get update` first only if the plain install fails (a fresh machine's
 * package lists may be empty). apt's output goes to bench/.work/apt.log, not to the screen.
 */
export function ensureSpin(): SpinAvailability {
  let missing = missingTools();
  let note = '';
  if (missing.length > 0) {
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (!isRoot || !onPath('apt-get')) {
      return {
        available: false,
        note: `SPIN unavailable: ${missing.join(' and ')} missing, and ${isRoot ? 'no apt-get' : 'not root'} to install them (apt-get install -y spin gcc)`,
      };
    }
    mkdirSync(WORK_DIR, { recursive: true });
    const logPath = join(WORK_DIR, 'apt.log');
    const log = openSync(logPath, 'a');
    const apt = (args: string[]) =>
      spawnSync('apt-get', args, {
        stdio: ['ignore', log, log],
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      }).status === 0;
    const packages = missing.map((m) => (m === 'gcc' ? 'gcc' : 'spin'));
    process.stdout.write(`installing ${packages.join(' ')} with apt-get (log: ${logPath}) ... `);
    let ok = apt(['install', '-y', ...packages]);
    if (!ok) ok = apt(['update']) && apt(['install', '-y', ...packages]);
    closeSync(log);
    missing = missingTools();
    process.stdout.write(ok && missing.length === 0 ? 'done\n' : 'failed\n');
    if (missing.length > 0) {
      return {
        available: false,
        note: `SPIN unavailable: apt-get install -y ${packages.join(' ')} failed (see ${logPath})`,
      };
    }
    note = `installed ${packages.join(' ')} with apt-get; `;
  }
  const version = spawnSync('spin', ['-V'], { encoding: 'utf8' }).stdout.trim();
  return { available: true, note: `${note}${version}`, version };
}

/** The rusage wrapper (bench/rusage.c), built once into bench/.work/. */
function rusageWrapper(): string {
  const out = join(WORK_DIR, 'rusage');
  if (!existsSync(out)) {
    mkdirSync(WORK_DIR, { recursive: true });
    execFileSync('gcc', ['-O2', '-o', out, join(BENCH_DIR, 'rusage.c')], { stdio: 'inherit' });
  }
  return out;
}

/** Compiles a Promela twin (breadth-first, no reduction) into its own folder; returns that folder. */
export function compilePan(pmlFile: string, tag: string): string {
  const dir = join(WORK_DIR, `pan-${tag}`);
  execFileSync('bash', [RUN_SPIN, '--compile', join(BENCH_DIR, 'promela', pmlFile), dir, 'bfs'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return dir;
}

export interface SpinFigures {
  distinctStates: number;
  /** As SPIN prints it: one more than ours, its initial step. */
  transitions: number;
  depth: number;
  /** SPIN's own `elapsed time`, the search. */
  elapsedMs: number;
  /** The `pan` process, start to exit (includes allocating its hash table). */
  wallMs: number;
  /** SPIN's `total actual memory usage`. */
  memoryBytes: number;
  /** SPIN's `actual memory usage for states`: the stored state vectors (exact states, not fingerprints). */
  statesMemoryBytes: number;
  /** SPIN's `memory used for hash table` (fixed by -w26: 2^26 slots). */
  hashTableBytes: number;
  maxRSSBytes: number;
  /** CPU time of the pan process (its hash table's page faults are system time). */
  cpuUserMs: number;
  cpuSystemMs: number;
  /** CPU time less an empty model's run (set by the bench: see spinBaselineCpuMs in run.ts). */
  cpuSearchMs?: number;
}

function figure(output: string, re: RegExp, what: string): number {
  const m = re.exec(output);
  if (!m) throw new Error(`could not find SPIN's ${what} in its output:\n${output}`);
  return Number(m[1]);
}

/** SPIN's "Megabytes" are MiB. */
const MB = 1024 * 1024;

/** Parses the lines SPIN's pan prints at the end of a search, and rusage's line. */
export function parsePanOutput(output: string): SpinFigures {
  return {
    distinctStates: figure(output, /([\d.e+]+) states, stored/, 'states, stored'),
    transitions: figure(output, /([\d.e+]+) transitions \(= stored\+matched\)/, 'transitions'),
    depth: figure(output, /depth reached (\d+)/, 'depth reached'),
    elapsedMs: figure(output, /pan: elapsed time ([\d.e+]+) seconds/, 'elapsed time') * 1000,
    wallMs: figure(output, /rusage: .*wall_ms=([\d.]+)/, 'wall time (rusage)'),
    memoryBytes: figure(output, /([\d.]+)\s+total actual memory usage/, 'total actual memory usage') * MB,
    statesMemoryBytes:
      figure(output, /([\d.]+)\s+actual memory usage for states/, 'actual memory usage for states') * MB,
    hashTableBytes: figure(output, /([\d.]+)\s+memory used for hash table/, 'memory used for hash table') * MB,
    maxRSSBytes: figure(output, /rusage: maxrss_kb=(\d+)/, 'peak RSS (rusage)') * 1024,
    cpuUserMs: figure(output, /rusage: .*user_ms=([\d.]+)/, 'user time (rusage)'),
    cpuSystemMs: figure(output, /rusage: .*sys_ms=([\d.]+)/, 'system time (rusage)'),
  };
}

/** One run of a compiled pan. */
export function runPan(dir: string): SpinFigures {
  const r = spawnSync('bash', [RUN_SPIN, '--run', dir], {
    encoding: 'utf8',
    env: { ...process.env, PAN_WRAPPER: rusageWrapper() },
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${r.stdout}\n${r.stderr}`;
  if (r.status !== 0) throw new Error(`pan in ${dir} exited with ${r.status}:\n${output}`);
  return parsePanOutput(output);
}
