/**
 * A helper thread of `review --jobs`: it receives (spec file, design, options), builds the model
 * from the spec file itself (a model holds functions, which cannot cross threads), runs `check`
 * and posts the result back (plain data: counts and traces of plain states and actions).
 */
import { parentPort } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { check } from '../explore/bfs.ts';
import type { Progress } from '../model.ts';
import type { Spec } from '../spec.ts';
import type { PoolReply, PoolRequest } from './pool.ts';

const port = parentPort;
if (!port) throw new Error('pool-worker.ts runs only as a worker thread');
const post = (reply: PoolReply) => port.postMessage(reply);

port.on('message', async ({ id, file, design, options, progressIntervalMs }: PoolRequest) => {
  try {
    const spec = (await import(pathToFileURL(file).href)).default as Spec;
    const onProgress =
      progressIntervalMs === undefined ? undefined : (progress: Progress) => post({ kind: 'progress', id, progress });
    post({ kind: 'result', id, result: check(spec.model(design), { ...options, onProgress, progressIntervalMs }) });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    post({ kind: 'error', id, error: { name: e.name, message: e.message, stack: e.stack } });
  }
});
post({ kind: 'ready' });
