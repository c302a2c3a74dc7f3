/**
 * State queries and sentence pieces several properties share: live VMs, what a pfn backs, which
 * conversions and invalidations are in flight.
 */
import type { GmemState, Thread } from '../state.ts';
import { anyThread, hex } from '../state.ts';
import type { Ctx } from '../kernel/context.ts';
import { bindingsIn, layoutTranslates, rangeText } from '../kernel/memslots.ts';

export const gfn = (g: number) => `gfn ${hex(g)}`;
/** A gfn and the index its memslot binds there: `gfn 0x1 (index 0x0)`; the gfn alone where they are equal. */
export const gfnAt = (g: number, i: number) => (g === i || i < 0 ? gfn(g) : `gfn ${hex(g)} (index ${hex(i)})`);
export const kind = (priv: boolean) => (priv ? 'private' : 'shared');
/**
 * A range in a sentence: `gfns [0x2, 0x4)` / `indices [0x0, 0x2)` where the layout can give a gfn
 * another index, `[0x0, 0x2)` where it cannot (kernel/memslots.ts rangeText).
 */
export const span = (ctx: Ctx, what: 'gfns' | 'indices', lo: number, hi: number) =>
  rangeText(what, lo, hi, layoutTranslates(ctx.bounds));
/** What an invalidation thread's range is of: KVM_SET_MEMORY_ATTRIBUTES' gfns, guest_memfd's (PUNCH_HOLE, its conversion) indices. */
export const rangeKind = (t: { op: string }, ctx: Ctx): 'gfns' | 'indices' =>
  t.op === 'convert' && ctx.design.attributes === 'vm' ? 'gfns' : 'indices';

/** The first non-null answer of `f` over `xs` (null: none). */
export function first<T>(xs: readonly T[], f: (x: T, i: number) => string | null): string | null {
  for (let i = 0; i < xs.length; i++) {
    const r = f(xs[i], i);
    if (r) return r;
  }
  return null;
}

/** One entry per index: `first(pages(s), (_, i) => ...)` visits every index (no array built per state). */
export const pages = (s: GmemState): readonly unknown[] => s.filemap;

export function liveVms(s: GmemState): number[] {
  const out: number[] = [];
  for (let vm = 0; vm < s.vms.length; vm++) if (s.vms[vm].alive) out.push(vm);
  return out;
}

/** Does `pfn` still back index `i` in the filemap? */
export const backs = (s: GmemState, pfn: number, i: number) => s.pfns[pfn].index === i && s.pfns[pfn].cached;

/** Where a pfn that a mapping still points at has gone. */
export function whose(s: GmemState, pfn: number): string {
  const p = s.pfns[pfn];
  return p.index < 0
    ? 'is back in the host allocator'
    : !p.cached
      ? `was truncated from index ${hex(p.index)}`
      : `now backs index ${hex(p.index)}`;
}

/** A conversion of index i is between its start and its end. */
export function converting(s: GmemState, i: number): boolean {
  return anyThread(s, (t) => t.op === 'convert' && t.lo <= i && i < t.hi);
}

/**
 * The gfn ranges of `vm` an invalidation thread covers: a KVM_SET_MEMORY_ATTRIBUTES range is of
 * gfns; a guest_memfd one (PUNCH_HOLE, the in-place conversion) of indices, reaching each
 * binding's gfn range (kernel/memslots.ts bindingsIn).
 */
export function invalidatedGfns(s: GmemState, vm: number, t: Thread, ctx: Ctx): [number, number][] {
  if (t.op === 'convert' && ctx.design.attributes === 'vm') return [[t.lo, t.hi]];
  return bindingsIn(s.vms[vm], t.lo, t.hi).map((b) => [b.lo, b.hi]);
}

/** Invalidations in progress, from the threads' own program counters (the ground truth). */
export function invalidating(prev: GmemState, vm: number, ctx: Ctx): Thread[] {
  return prev.threads.filter((t): t is Thread => {
    if (!t) return false;
    if (t.op === 'convert' && ctx.design.attributes === 'vm') {
      return t.vm === vm && (t.pc === 'kvm_vm_set_mem_attributes' || t.pc === 'kvm_mmu_invalidate_end');
    }
    const bound = prev.vms[vm].binding;
    if (t.op === 'convert') return bound && (t.pc === 'kvm_gmem_set_attributes' || t.pc === 'kvm_gmem_invalidate_end');
    if (t.op === 'punchHole')
      return bound && (t.pc === 'truncate_inode_pages_range' || t.pc === 'kvm_gmem_invalidate_end');
    return false;
  });
}
