/**
 * Thread slots are interchangeable: two states that differ only in which slot runs which
 * operation behave alike (an operation starts in the lowest free slot, and no step looks at
 * its slot number except to compare it with a lock holder's). The canonical representative
 * orders the slots by what they run and which locks they hold, free slots last, and renames
 * the lock holders to match. It is only ever fingerprinted: traces keep the real slots.
 *
 * VMs and pages are not interchangeable here, so they are not reduced: VM 0 is created with
 * the guest_memfd file and a second VM only gets one through a link (intra-host migration), and
 * SEV ASIDs follow the VM number; pages differ by position, since a huge folio pairs indices
 * 2j and 2j + 1 and a conversion or PUNCH_HOLE covers a contiguous range [lo, hi).
 */
import type { GmemState, Thread } from './state.ts';

const text = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const locksOf = (s: GmemState, slot: number): number =>
  (s.mmapLock === slot ? 4 : 0) |
  (s.invalidateLock === slot ? 2 : 0) |
  (s.slotsLock === slot ? 1 : 0) |
  (((s.mmapReaders >> slot) & 1) << 3) |
  (((s.mmapWritersQueued >> slot) & 1) << 4);

/**
 * The order of two slots: their threads field by field, then their locks; free slots last. Any
 * total order on (thread, locks) gives one representative per renaming, and so the same counts:
 * this one compares fields instead of building a string per slot per fingerprint.
 */
function compareSlots(s: GmemState, a: number, b: number): number {
  const x: Thread | null = s.threads[a];
  const y: Thread | null = s.threads[b];
  if (x === null || y === null) return (x === null ? 1 : 0) - (y === null ? 1 : 0) || a - b;
  return (
    text(x.op, y.op) ||
    text(x.pc, y.pc) ||
    x.vm - y.vm ||
    x.lo - y.lo ||
    x.hi - y.hi ||
    Number(x.priv) - Number(y.priv) ||
    x.dom - y.dom ||
    x.seq - y.seq ||
    x.pfn - y.pfn ||
    x.level - y.level ||
    locksOf(s, b) - locksOf(s, a) ||
    a - b
  );
}

/** No thread, or one in the lowest slot: already canonical (most states; nothing to compare). */
function trivially(s: GmemState): boolean {
  for (let slot = 1; slot < s.threads.length; slot++) if (s.threads[slot] !== null) return false;
  return true;
}

/**
 * Written without closures or array callbacks: it runs for every successor the explorer makes,
 * and the slots are few (an insertion sort).
 */
export function canonicalThreadSlots(s: GmemState): GmemState {
  if (trivially(s)) return s;
  const n = s.threads.length;
  const order = new Array<number>(n);
  let moved = false;
  for (let slot = 0; slot < n; slot++) {
    let j = slot;
    while (j > 0 && compareSlots(s, order[j - 1], slot) > 0) {
      order[j] = order[j - 1];
      j--;
    }
    order[j] = slot;
    if (j !== slot) moved = true;
  }
  if (!moved) return s;
  const renamed = new Array<number>(n);
  const threads = new Array<Thread | null>(n);
  for (let newSlot = 0; newSlot < n; newSlot++) {
    renamed[order[newSlot]] = newSlot;
    threads[newSlot] = s.threads[order[newSlot]];
  }
  return {
    ...s,
    threads,
    mmapLock: holder(renamed, s.mmapLock),
    invalidateLock: holder(renamed, s.invalidateLock),
    slotsLock: holder(renamed, s.slotsLock),
    mmapReaders: bits(renamed, s.mmapReaders),
    mmapWritersQueued: bits(renamed, s.mmapWritersQueued),
  };
}

/** A lock holder under the renaming (-1: none). */
function holder(renamed: readonly number[], h: number): number {
  return h < 0 ? h : renamed[h];
}

/** A bit per slot, under the renaming. */
function bits(renamed: readonly number[], mask: number): number {
  let out = 0;
  for (let slot = 0; slot < renamed.length; slot++) if ((mask >> slot) & 1) out |= 1 << renamed[slot];
  return out;
}
