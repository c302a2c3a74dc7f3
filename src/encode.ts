/**
 * The fast canonical encoding of a state: every field in a fixed order, straight into the
 * checker's hasher. Array lengths are fixed by the bounds, so the sequence is injective without
 * length prefixes; a missing SPTE, IOMMU mapping or thread is a tag no real value takes.
 *
 * Small fields are packed several to a word (each word a hasher round): a pfn's owner, references,
 * S-EPT owner and ASID; a thread's operation and step, its range, VM and domain, its snapshot and
 * pfn; the start counts two by two. Where a value does not fit its bits, a negative tag word
 * (a packed word is never negative) is followed by the fields one by one, so the sequence stays
 * injective at any bounds.
 */
import type { Encoder } from '../checker/index.ts';
import type { GmemState, OpKind } from './state.ts';
import { OP_KINDS } from './state.ts';
import { OPS } from './ops/index.ts';

const FILE = { none: 0, open: 1, dying: 2, released: 3 } as const;
/** OP_KINDS.indexOf(op), looked up rather than searched: this runs for every thread of every state. */
const OP_INDEX = Object.fromEntries(OP_KINDS.map((k, i) => [k, i])) as Readonly<Record<OpKind, number>>;
const b = (x: boolean) => (x ? 1 : 0);

const SLOT_STATE = { none: 0, new: 1, live: 2, invalid: 3 } as const;

/**
 * Every step name of every operation, numbered in sorted order (the same numbers in every
 * process, workers included); a thread's pc is looked up here rather than hashed as a string.
 */
const STEP_INDEX: ReadonlyMap<string, number> = new Map(
  [...new Set(Object.values(OPS).flatMap((op) => Object.keys(op!.steps)))].sort().map((name, i) => [name, i]),
);
/** Tags of the unpacked forms. */
const WIDE_PFN = -11;
const WIDE_THREAD = -12;
const WIDE_LOCALS = -13;
const WIDE_STEP = -14;
const WIDE_COUNTS = -15;
/** 0 <= x < 128 for each of the four, packed 7 bits wide (a negative value has its high bits set). */
const fits7 = (w: number, x: number, y: number, z: number) => ((w | x | y | z) & ~127) === 0;

export function encodeState(s: GmemState, out: Encoder): void {
  for (const p of s.pfns) {
    if (fits7(p.index + 1, p.refs, p.sept + 1, p.rmpAsid))
      out.int((p.index + 1) | (p.refs << 7) | ((p.sept + 1) << 14) | (p.rmpAsid << 21));
    else {
      out.int(WIDE_PFN);
      out.int(p.index);
      out.int(p.refs);
      out.int(p.sept);
      out.int(p.rmpAsid);
    }
    out.int(
      b(p.huge) |
        (b(p.cached) << 1) |
        (b(p.zeroed) << 2) |
        (b(p.uptodate) << 3) |
        (b(p.rmpHuge) << 4) |
        (b(p.rmpPending) << 5) |
        (b(p.tdData) << 6) |
        (b(p.leaked) << 7) |
        (b(p.hpage ?? false) << 8) |
        (b(p.septHuge ?? false) << 9),
    );
    out.int(p.rmpGpa);
  }
  for (const x of s.filemap) out.int(x);
  for (const x of s.shared) out.int(b(x));
  for (const v of s.vms) {
    out.int(b(v.alive) | (b(v.bugged) << 1) | (b(v.binding) << 2) | (b(v.memslot) << 3) | (FILE[v.file] << 4));
    out.int(v.asid);
    for (const x of v.private) out.int(b(x));
    for (const sp of v.spte) {
      if (!sp) out.int(-7);
      else {
        out.int(sp.pfn);
        out.int(b(sp.private) | (sp.level << 1));
      }
    }
    out.int(v.seq);
    out.int(v.inProgress);
    out.int(v.rangeLo);
    out.int(v.rangeHi);
    for (const x of v.mixed) out.int(b(x));
    // Memslots (issue 12): base, pgoff, state and binding; npages follows the bounds' layout.
    for (const sl of v.slots) out.int(((sl.base * 16 + sl.pgoff) * 4 + SLOT_STATE[sl.state]) * 2 + b(sl.bound));
  }
  for (const dom of s.iommu) {
    for (const m of dom) {
      if (!m) out.int(-7);
      else {
        out.int(m.pfn);
        out.int(b(m.private));
      }
    }
  }
  for (const x of s.umap) out.int(x);
  for (const x of s.pin) out.int(x);
  out.int(s.mmapLock);
  out.int(s.invalidateLock);
  out.int(s.slotsLock);
  out.int(s.mmapReaders);
  out.int(s.mmapWritersQueued);
  for (const t of s.threads) {
    if (!t) {
      out.int(-7);
      continue;
    }
    const step = STEP_INDEX.get(t.pc);
    if (step !== undefined) out.int(OP_INDEX[t.op] | (step << 5));
    else {
      out.int(WIDE_STEP);
      out.int(OP_INDEX[t.op]);
      out.str(t.pc);
    }
    if (fits7(t.vm, t.lo, t.hi, t.dom))
      out.int(t.vm | (t.lo << 7) | (t.hi << 14) | (t.dom << 21) | (b(t.priv) << 28) | (t.level << 29));
    else {
      out.int(WIDE_THREAD);
      out.int(t.vm);
      out.int(t.lo);
      out.int(t.hi);
      out.int(t.dom);
      out.int(b(t.priv) | (t.level << 1));
    }
    if (((t.seq + 1) & ~0x7fff) === 0 && ((t.pfn + 1) & ~0x7fff) === 0) out.int((t.seq + 1) | ((t.pfn + 1) << 15));
    else {
      out.int(WIDE_LOCALS);
      out.int(t.seq);
      out.int(t.pfn);
    }
  }
  const c = s.started;
  for (let k = 0; k < OP_KINDS.length; k += 2) {
    const x = c[OP_KINDS[k]];
    const y = k + 1 < OP_KINDS.length ? c[OP_KINDS[k + 1]] : 0;
    if (((x | y) & ~0x7fff) === 0) out.int(x | (y << 15));
    else {
      out.int(WIDE_COUNTS);
      out.int(x);
      out.int(y);
    }
  }
  const w = s.seen;
  out.int(b(w.eagain) | (b(w.memoryFault) << 1) | (b(w.retried) << 2) | (b(w.sharedFaultExit) << 3));
  out.int(w.hostWrotePrivate);
}
