/**
 * Starting a worker thread whose entry is a TypeScript module: the one bootstrap for both pools
 * (checkParallel's workers, parallel-worker.ts, and `review --jobs` helpers, cli/pool-worker.ts).
 *
 * The worker registers tsx before its entry loads, so that the entry and the user's model can be
 * TypeScript: `--import` in a worker's execArgv does not reach the loader of its entry module on
 * Node 20.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

let tsxApi: string | undefined;

/** The ESM entry of tsx's API, read from its exports map (require.resolve would give the CJS one). */
function tsxApiUrl(): string {
  if (tsxApi === undefined) {
    const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as {
      exports: Record<string, { import: { default: string } }>;
    };
    tsxApi = pathToFileURL(path.join(path.dirname(manifest), pkg.exports['./esm/api'].import.default)).href;
  }
  return tsxApi;
}

/** A worker thread running the TypeScript module `entry` (a file URL). */
export function startTsWorker(entry: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  const code = `import(${JSON.stringify(tsxApiUrl())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(code, { ...options, eval: true });
}
