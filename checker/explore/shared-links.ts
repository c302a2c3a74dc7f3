/**
 * Parent links of a parallel run, written by each worker for the states it discovered and read
 * by the coordinator to rebuild traces: per state, the parent's reference (worker in the top 4
 * bits, the worker's own state number below) and the index of the action that reached it.
 * Stored in SharedArrayBuffer chunks, handed to the coordinator as each one is made.
 */

export const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
export const NO_PARENT = 0xffffffff;
const WORKER_SHIFT = 28;
/** The most workers a parallel run takes: a reference has 4 bits for the worker. */
export const MAX_WORKERS = 2 ** (32 - WORKER_SHIFT);

export const ref = (worker: number, local: number): number => ((worker << WORKER_SHIFT) | local) >>> 0;
export const workerOf = (r: number): number => r >>> WORKER_SHIFT;
export const localOf = (r: number): number => r & ((1 << WORKER_SHIFT) - 1);

export interface LinkChunk {
  parents: Uint32Array;
  actions: Uint16Array;
}

export function newChunk(): LinkChunk {
  return {
    parents: new Uint32Array(new SharedArrayBuffer(CHUNK * 4)),
    actions: new Uint16Array(new SharedArrayBuffer(CHUNK * 2)),
  };
}

export const CHUNK_BYTES = CHUNK * 6;

/** Reads a link out of one worker's chunks. */
export function linkOf(chunks: LinkChunk[], local: number): { parent: number; action: number } {
  const c = chunks[local >>> CHUNK_BITS];
  const i = local & (CHUNK - 1);
  return { parent: c.parents[i], action: c.actions[i] };
}

export function writeLink(
  chunks: LinkChunk[],
  local: number,
  parent: number,
  action: number,
  onNewChunk: (c: LinkChunk) => void,
): void {
  const k = local >>> CHUNK_BITS;
  if (k === chunks.length) {
    const c = newChunk();
    chunks.push(c);
    onNewChunk(c);
  }
  const i = local & (CHUNK - 1);
  chunks[k].parents[i] = parent;
  chunks[k].actions[i] = action;
}
