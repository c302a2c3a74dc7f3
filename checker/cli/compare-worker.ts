/**
 * The helper thread of compare-aside.ts: compares each task's designs with its spec's baseline
 * and posts every comparison back at once.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { specComparisons, type ReviewComparison } from '../review/comparisons.ts';
import type { Spec } from '../spec.ts';
import type { CompareReply, CompareTask } from './compare-aside.ts';
import { firstLine } from './errors.ts';

const port = parentPort;
if (!port) throw new Error('compare-worker.ts runs only as a worker thread');
const { named, tasks } = workerData as { named: string; tasks: CompareTask[] };

const designs: ReviewComparison[] = [];
let reply: CompareReply | undefined;
for (const task of tasks) {
  try {
    const spec = (await import(task.href)).default as Spec;
    designs.push(...specComparisons(task.id, spec, task.designs, named, (d) => spec.model(d), task.options));
  } catch (error) {
    reply = { kind: 'error', file: task.file, designs: task.designs, message: firstLine(error) };
    break;
  }
}
port.postMessage(reply ?? { kind: 'done', designs });
