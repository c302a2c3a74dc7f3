/**
 * Memslots and bindings: a file's bindings never overlap, every SPTE maps what its memslot's
 * translation says, and a guest_memfd invalidation reaches every binding of its indices
 * (virt/kvm/guest_memfd.c kvm_gmem_bind, __kvm_gmem_invalidate_begin; virt/kvm/kvm_main.c
 * kvm_set_memslot). Read from the state: the memslots, the bindings, the SPTEs and the filemap.
 */
import { hex, pfnName } from '../state.ts';
import type { GmemState, Memslot, Spte } from '../state.ts';
import { spanOf } from '../kernel/mmu.ts';
import { bindingGfnRange, bindingsIn, inMemslots, slotHasGfn } from '../kernel/memslots.ts';
import type { StateProperty, StepProperty } from './record.ts';
import { writersOf } from './writes.ts';
import { gfn, gfnAt, liveVms, rangeKind, span, whose } from './queries.ts';

/** No index of a file is bound by two of its memslots. */
export const bindingsDoNotOverlap: StateProperty = {
  name: 'bindings-do-not-overlap',
  kind: 'always',
  why: 'An index bound twice is invalidated through one binding only: the other memslot keeps mapping it after PUNCH_HOLE or a conversion.',
  where:
    'virt/kvm/guest_memfd.c kvm_gmem_bind (xa_find over [pgoff, pgoff + npages) under filemap_invalidate_lock: -EEXIST)',
  changedBy: writersOf('slots'),
  violation(s) {
    for (const vm of liveVms(s)) {
      const slots = s.vms[vm].slots;
      for (let a = 0; a < slots.length; a++) {
        for (let b = a + 1; b < slots.length; b++) {
          if (!slots[a].bound || !slots[b].bound) continue;
          const r = bindingGfnRange(slots[b], slots[a].pgoff, slots[a].pgoff + slots[a].npages);
          if (r) {
            const i = r[0] - slots[b].base + slots[b].pgoff;
            const at = (k: number) => `${k} (${gfn(slots[k].base + i - slots[k].pgoff)})`;
            return `vm${vm}'s guest_memfd binds index ${hex(i)} through memslots ${at(a)} and ${at(b)}`;
          }
        }
      }
    }
    return null;
  },
};

/** The memslot in `slots` holding gfn `g` (live or being deleted), or null. */
function slotAt(slots: readonly Memslot[], g: number): Memslot | null {
  return slots.find((sl) => inMemslots(sl) && slotHasGfn(sl, g)) ?? null;
}

/**
 * Every SPTE of gfn g lies in a memslot and maps the pfn of index g - base_gfn + pgoff of the
 * file that memslot is bound to (or, pfn -1, memory outside guest_memfd).
 */
export const spteMatchesTranslation: StateProperty = {
  name: 'spte-matches-translation',
  kind: 'always',
  why: 'The guest reaches through an SPTE whatever pfn it holds: one left from a deleted memslot, or from before the index was truncated, gives the guest memory its gfn no longer names.',
  where:
    'virt/kvm/guest_memfd.c kvm_gmem_get_pfn (index = gfn - slot->base_gfn + slot->gmem.pgoff), __kvm_gmem_invalidate_begin; virt/kvm/kvm_main.c kvm_invalidate_memslot (KVM_MEMSLOT_INVALID, synchronize_srcu, kvm_arch_flush_shadow_memslot)',
  changedBy: writersOf('alive', 'spte', 'folios', 'slots'),
  violation(s, ctx) {
    for (const vm of liveVms(s)) {
      const v = s.vms[vm];
      for (let g = 0; g < v.spte.length; g++) {
        const sp = v.spte[g];
        if (!sp) continue;
        const r = mismatch(s, v.slots, g, sp, ctx.bounds.folioPages);
        if (r) return `vm${vm} ${r}`;
      }
    }
    return null;
  },
};

function mismatch(s: GmemState, slots: readonly Memslot[], g: number, sp: Spte, n: number): string | null {
  const [a, b] = spanOf(g, sp, n);
  for (let k = a; k < b; k++) {
    const sl = slotAt(slots, k);
    if (!sl) return `maps ${gfn(k)}, which no memslot holds`;
    if (sp.pfn < 0) continue;
    const i = k - sl.base + sl.pgoff;
    const p = sp.pfn + (k - a);
    if (!sl.bound) return `maps ${gfnAt(k, i)} to ${pfnName(p)} through a memslot no longer bound to its guest_memfd`;
    if (s.pfns[p].index !== i || !s.pfns[p].cached) return `maps ${gfnAt(k, i)} to ${pfnName(p)}, which ${whose(s, p)}`;
  }
  return null;
}

/** The step that ends an invalidation, with the index (or gfn) range it covered. */
function endedInvalidation(
  prev: GmemState,
  slot: number,
): { op: string; lo: number; hi: number; priv: boolean; vm: number } | null {
  const t = prev.threads[slot];
  if (!t) return null;
  if (
    (t.op === 'punchHole' || t.op === 'convert') &&
    (t.pc === 'kvm_gmem_invalidate_end' || t.pc === 'kvm_mmu_invalidate_end')
  )
    return t;
  return null;
}

/**
 * When a guest_memfd invalidation of indices [lo, hi) ends, no binding of them keeps an SPTE
 * into them that the invalidation was to remove: any guest_memfd SPTE after PUNCH_HOLE, one of
 * the old type after a conversion. KVM_SET_MEMORY_ATTRIBUTES, whose range is of gfns, counts
 * for its own VM.
 */
export const invalidationReachesEveryBinding: StepProperty = {
  name: 'invalidation-reaches-every-binding',
  kind: 'step',
  why: 'Each binding of an invalidated index has its own gfn: a binding the walk misses, or whose gfn range a fault can still map during the invalidation, keeps the guest on memory that is being freed or converted.',
  where:
    "virt/kvm/guest_memfd.c __kvm_gmem_invalidate_begin (xa_for_each_range over the bindings, kvm_mmu_unmap_gfn_range per binding); virt/kvm/kvm_main.c kvm_mmu_invalidate_range_add (the union of every binding's range)",
  changedBy: { punchHole: ['kvm_gmem_invalidate_end'], convert: ['kvm_gmem_invalidate_end', 'kvm_mmu_invalidate_end'] },
  violation(prev, a, _fx, ctx, next) {
    const t = endedInvalidation(prev, a.slot);
    if (!t) return null;
    const stale = (sp: Spte) => (t.op === 'punchHole' ? sp.pfn >= 0 : sp.private !== t.priv);
    const byGfns = t.op === 'convert' && ctx.design.attributes === 'vm';
    for (const vm of liveVms(next)) {
      if (byGfns && vm !== t.vm) continue;
      const v = next.vms[vm];
      const ranges = byGfns ? [{ slot: -1, lo: t.lo, hi: t.hi }] : bindingsIn(v, t.lo, t.hi);
      for (const r of ranges) {
        for (let g = 0; g < v.spte.length; g++) {
          const sp = v.spte[g];
          if (!sp || !stale(sp)) continue;
          const [x, y] = spanOf(g, sp, ctx.bounds.folioPages);
          if (x < r.hi && r.lo < y) {
            const what = t.op === 'punchHole' ? 'PUNCH_HOLE' : 'a conversion';
            const mem = r.slot >= 0 ? ` through memslot ${r.slot} (gfns [${hex(r.lo)}, ${hex(r.hi)}))` : '';
            return `${what} of ${span(ctx, rangeKind(t, ctx), t.lo, t.hi)} ended, yet vm${vm} still maps ${gfn(g)}${mem} ${sp.private ? 'private' : 'shared'} to ${pfnName(sp.pfn)}`;
          }
        }
      }
    }
    return null;
  },
};

/**
 * No step reads lpage_info outside its memslot's array: kvm_alloc_memslot_metadata sizes each
 * level's array to the huge pages the memslot touches. Read from what the step did
 * (Effects.lpageOutOfBounds, kernel/lpage-info.ts): the entries its lpage_info walk reached.
 */
export const lpageInfoInBounds: StepProperty = {
  name: 'lpage-info-in-bounds',
  kind: 'step',
  why: 'An lpage_info entry past the end of a level array is vmalloc memory of something else: KVM reads it as disallow_lpage (a KASAN vmalloc-out-of-bounds, or a fault on the guard page), and decides from it whether the 1G page is mixed.',
  where:
    'arch/x86/kvm/mmu/mmu.c kvm_arch_post_set_memory_attributes -> hugepage_has_attrs -> hugepage_test_mixed(slot, gfn, level - 1) (992b54bd083c: the head huge page only if `gfn + nr_pages <= slot->base_gfn + slot->npages`); arch/x86/kvm/x86.c kvm_alloc_memslot_metadata',
  changedBy: { convert: ['kvm_mmu_invalidate_end'] },
  violation(prev, _a, fx) {
    const o = fx.lpageOutOfBounds;
    if (!o) return null;
    const sl = prev.vms[o.vm].slots[o.slot];
    return `hugepage_has_attrs of the 1G page at ${gfn(o.gfn & ~3)} read the 2M lpage_info of gfns [${hex(o.gfn)}, ${hex(o.gfn + 2)}), past the end of vm${o.vm}'s memslot ${o.slot} (gfns [${hex(sl.base)}, ${hex(sl.base + sl.npages)}))`;
  },
};

export const MEMSLOT_PROPERTIES = [
  bindingsDoNotOverlap,
  spteMatchesTranslation,
  invalidationReachesEveryBinding,
  lpageInfoInBounds,
] as const;
