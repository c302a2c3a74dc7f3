/**
 * The fast canonical encoding of a state: every field in a fixed order, straight into the
 * checker's hasher. Array lengths are fixed by the bounds, so the sequence is injective without
 * length prefixes; a missing SPTE, IOMMU mapping or thread is a tag no real value takes.
 */
import type { Encoder } from '../checker/index.ts';
import type { GmemState, OpKind } from './state.ts';
import { OP_KINDS } from './state.ts';

const FILE = { none: 0, open: 1, dying: 2, released: 3 } as const;
/** OP_KINDS.indexOf(op), looked up rather than searched: this runs for every thread of every state. */
const OP_INDEX = Object.fromEntries(OP_KINDS.map((k, i) => [k, i])) as Readonly<Record<OpKind, number>>;
const b = (x: boolean) => (x ? 1 : 0);

const SLOT_STATE = { none: 0, new: 1, live: 2, invalid: 3 } as const;

export function encodeState(s: GmemState, out: Encoder): void {
  for (const p of s.pfns) {
    out.int(p.index);
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
    out.int(p.refs);
    out.int(p.rmpAsid);
    out.int(p.rmpGpa);
    out.int(p.sept);
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
    out.int(OP_INDEX[t.op]);
    out.str(t.pc);
    out.int(t.vm);
    out.int(t.lo);
    out.int(t.hi);
    out.int(b(t.priv) | (t.level << 1));
    out.int(t.dom);
    out.int(t.seq);
    out.int(t.pfn);
  }
  for (const k of OP_KINDS) out.int(s.started[k]);
  const w = s.seen;
  out.int(b(w.eagain) | (b(w.memoryFault) << 1) | (b(w.retried) << 2) | (b(w.sharedFaultExit) << 3));
  out.int(w.hostWrotePrivate);
}
