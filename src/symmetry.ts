/**
 * Thread slots are interchangeable: two states that differ only in which slot runs which
 * operation behave alike (an operation starts in the lowest free slot, and no step looks at
 * its slot number except to compare it with a lock holder's). The canonical representative
 * orders the slots by what they run and which locks they hold, free slots last, and renames
 * the lock holders to match. It is only ever fingerprinted: traces keep the real slots.
 */
import type { GmemState, Thread } from './state.ts';

function slotKey(s: GmemState, slot: number): string {
  const t: Thread | null = s.threads[slot];
  if (t === null) return '~'; // after every occupied slot
  const locks = `${s.mmapLock === slot ? 'm' : ''}${s.invalidateLock === slot ? 'i' : ''}${s.slotsLock === slot ? 's' : ''}`;
  return `${t.op}|${t.pc}|${t.vm}|${t.lo}|${t.hi}|${t.priv}|${t.dom}|${t.seq}|${t.pfn}|${t.level}|${locks}`;
}

/** No thread, or one in the lowest slot: already canonical (most states; no keys to build). */
function trivially(s: GmemState): boolean {
  for (let slot = 1; slot < s.threads.length; slot++) if (s.threads[slot] !== null) return false;
  return true;
}

export function canonicalThreadSlots(s: GmemState): GmemState {
  if (trivially(s)) return s;
  const n = s.threads.length;
  const keys = s.threads.map((_, slot) => slotKey(s, slot));
  const order = keys.map((_, slot) => slot).sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : a - b));
  if (order.every((slot, i) => slot === i)) return s;
  const renamed = new Array<number>(n);
  order.forEach((oldSlot, newSlot) => (renamed[oldSlot] = newSlot));
  const holder = (h: number) => (h < 0 ? h : renamed[h]);
  return {
    ...s,
    threads: order.map((slot) => s.threads[slot]),
    mmapLock: holder(s.mmapLock),
    invalidateLock: holder(s.invalidateLock),
    slotsLock: holder(s.slotsLock),
  };
}
