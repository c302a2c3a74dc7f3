/**
 * One measured run of our checker, in a process of its own so that peak RSS and heap belong to
 * this run alone. bench/run.ts starts it and reads the JSON it prints as its last line.
 *
 *   one.ts anchor <peterson|naive_mutex|philosophers> <n> [--plain] [--workers k]
 *     --plain: the anchor's plain-style twin (object state, action objects, no encode)
 *   one.ts spec <file.spec.ts> <design> [--time-limit ms] [--workers k]
 *   one.ts probe <specs dir> [--time-limit ms]    every design of every spec, briefly: their sizes
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import * as checker from '../checker/index.ts';
import type { CheckOptions, CheckResult, Model, Spec } from '../checker/index.ts';
import { naiveMutex, peterson, petersonPlain, philosophers, philosophersPlain } from '../checker/examples/index.ts';
import type { AnchorName } from './anchors.ts';

export interface OneRun {
  label: string;
  workers: number;
  status: CheckResult<unknown, unknown>['status'];
  complete: boolean;
  stoppedBy?: string;
  distinctStates: number;
  transitions: number;
  depth: number;
  /** The engine's own figure: the search, module loading and process start aside. */
  elapsedMs: number;
  statesPerSecond: number;
  transitionsPerSecond: number;
  /** The engine's own figure: seen-set and parent links per distinct state. */
  bytesPerState: number;
  /** This process's peak resident set size (process.resourceUsage().maxRSS). */
  maxRSSBytes: number;
  /** The largest JS heap of the main thread (workers' heaps aside: see maxRSSBytes), sampled by onProgress once a second and at the end. */
  peakHeapBytes: number;
  /** CPU time of this process during the search (all its threads: GC helpers included). */
  cpuUserMs: number;
  cpuSystemMs: number;
  /** Property name -> status, and the length of its trace where there is one. */
  properties: Record<string, { status: string; traceLength?: number }>;
}

interface AnchorBuild {
  build: (n: number) => Model<any, any>;
  /** Its export's name in checker/examples/index.ts (for workers). */
  export: string;
}

/** Each anchor's builder, tuned (flat number arrays, number actions, `encode`) and plain where it has a twin. */
const ANCHORS: Record<AnchorName, { tuned: AnchorBuild; plain?: AnchorBuild }> = {
  peterson: {
    tuned: { build: peterson, export: 'peterson' },
    plain: { build: petersonPlain, export: 'petersonPlain' },
  },
  naive_mutex: { tuned: { build: naiveMutex, export: 'naiveMutex' } },
  philosophers: {
    tuned: { build: philosophers, export: 'philosophers' },
    plain: { build: philosophersPlain, export: 'philosophersPlain' },
  },
};

/** The engine's parallel search, when it has one (it builds the model in each worker from a ModelSource). */
type Parallel = (source: ModelSource, options: CheckOptions) => Promise<CheckResult<any, any>>;
export function parallelEngine(): Parallel | undefined {
  const candidate = (checker as Record<string, unknown>).checkParallel;
  return typeof candidate === 'function' ? (candidate as Parallel) : undefined;
}

/** Where a worker thread finds the model: module, export and arguments (see checker/explore/model-source.ts). */
interface ModelSource {
  module: string;
  export?: string;
  method?: string;
  args?: unknown[];
}

const EXAMPLES = fileURLToPath(new URL('../checker/examples/index.ts', import.meta.url));

async function measure(
  label: string,
  model: Model<any, any>,
  source: ModelSource,
  options: CheckOptions,
  workers: number,
): Promise<OneRun> {
  let peakHeap = 0;
  const sampleHeap = () => {
    peakHeap = Math.max(peakHeap, v8.getHeapStatistics().used_heap_size);
  };
  const withProgress: CheckOptions = { ...options, onProgress: sampleHeap };
  let result: CheckResult<any, any>;
  const cpuBefore = process.cpuUsage();
  if (workers > 1) {
    const parallel = parallelEngine();
    if (!parallel) throw new Error('this engine has no checkParallel: --workers is not available');
    result = await parallel(source, { ...withProgress, workers });
  } else {
    result = checker.check(model, withProgress);
  }
  const cpu = process.cpuUsage(cpuBefore);
  sampleHeap();
  const properties: OneRun['properties'] = {};
  for (const p of result.properties) {
    properties[p.name] = { status: p.status, ...(p.trace ? { traceLength: p.trace.steps.length - 1 } : {}) };
  }
  return {
    label,
    workers,
    status: result.status,
    complete: result.complete,
    ...(result.stoppedBy ? { stoppedBy: result.stoppedBy } : {}),
    distinctStates: result.distinctStates,
    transitions: result.transitions,
    depth: result.depth,
    elapsedMs: result.elapsedMs,
    statesPerSecond: result.statesPerSecond,
    transitionsPerSecond: result.elapsedMs > 0 ? (result.transitions * 1000) / result.elapsedMs : 0,
    bytesPerState: result.bytesPerState,
    // Node reports maxRSS in kilobytes.
    maxRSSBytes: process.resourceUsage().maxRSS * 1024,
    peakHeapBytes: peakHeap,
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
    properties,
  };
}

export async function loadSpec(file: string): Promise<Spec> {
  const mod = (await import(pathToFileURL(resolve(file)).href)) as { default?: Spec };
  if (!mod.default || typeof mod.default.model !== 'function') {
    throw new Error(`${file} does not export default defineSpec({...})`);
  }
  return mod.default;
}

export function specFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.spec.ts'))
    .sort()
    .map((f) => join(dir, f));
}

function flag(args: string[], name: string): number | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = Number(args[i + 1]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} wants a positive integer, got ${args[i + 1]}`);
  return value;
}

async function main(args: string[]): Promise<unknown> {
  const [mode, a, b] = args;
  if (mode === 'anchor') {
    const plain = args.includes('--plain');
    const anchor = ANCHORS[a as AnchorName]?.[plain ? 'plain' : 'tuned'];
    const n = Number(b);
    if (!anchor || !Number.isInteger(n)) {
      throw new Error(
        `usage: one.ts anchor <${Object.keys(ANCHORS).join('|')}> <n> [--plain] (plain: peterson, philosophers)`,
      );
    }
    // The philosophers' deadlock is part of the anchor's figures: look for it (SPIN runs with -E).
    const options: CheckOptions = a === 'philosophers' ? { deadlock: true } : {};
    const source = { module: EXAMPLES, export: anchor.export, args: [n] };
    return measure(
      `${a}(${n})${plain ? ' plain' : ''}`,
      anchor.build(n),
      source,
      options,
      flag(args, '--workers') ?? 1,
    );
  }
  if (mode === 'spec') {
    const spec = await loadSpec(a);
    const timeLimitMs = flag(args, '--time-limit');
    const workers = flag(args, '--workers') ?? 1;
    const source = { module: resolve(a), export: 'default', method: 'model', args: [b] };
    return measure(
      `${a} [${b}]`,
      spec.model(b),
      source,
      { ...spec.options, ...(timeLimitMs ? { timeLimitMs } : {}) },
      workers,
    );
  }
  if (mode === 'probe') {
    const timeLimitMs = flag(args, '--time-limit') ?? 3000;
    const sizes: { file: string; design: string; distinctStates: number; complete: boolean }[] = [];
    for (const file of specFiles(a)) {
      const spec = await loadSpec(file);
      for (const design of spec.designs) {
        const r = checker.check(spec.model(design), { ...spec.options, timeLimitMs });
        sizes.push({ file, design, distinctStates: r.distinctStates, complete: r.complete });
      }
    }
    return sizes;
  }
  throw new Error(
    'usage: one.ts anchor <name> <n> [--plain] [--workers k] | spec <file> <design> [--time-limit ms] | probe <dir>',
  );
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (out) => process.stdout.write(`${JSON.stringify(out)}\n`),
    (error: unknown) => {
      process.stderr.write(`bench/one.ts: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}
