/**
 * Huge folios that split and merge as ranges convert (the 1G HugeTLB series, RFC v2): shared
 * pages sit in order-0 folios, no huge entry of any table covers a split folio or mixed
 * attributes, folios are restructured only with their references frozen, huge pages go back to
 * the pool whole, and a failed conversion leaves its range as it found it. Each is read from the
 * state or from the step (states before and after), never from a design switch.
 */
import { hex, pfnName } from '../state.ts';
import type { GmemState } from '../state.ts';
import { isPrivateGfn } from '../kernel/attributes.ts';
import { layoutIndexOfGfn } from '../kernel/memslots.ts';
import { conversionLocals } from '../ops/convert-hugetlb.ts';
import type { StateProperty, StepProperty } from './record.ts';
import { converting, first, gfn, kind, liveVms, pages, span } from './queries.ts';
import { writersOf } from './writes.ts';

/** A shared index's folio is order 0 (outside a conversion of it, which splits it before it returns). */
export const sharedPagesAreSmall: StateProperty = {
  name: 'shared-pages-are-small',
  kind: 'always',
  why: 'Shared pages are refcounted, mapped and pinned by userspace one by one: a shared page inside a huge folio lets the host map, pin or free a private neighbour with it.',
  where:
    '1G RFC v2 virt/kvm/guest_memfd.c kvm_gmem_convert_execute_work -> kvm_gmem_restructure_folios_in_range (split), kvm_gmem_get_folio -> kvm_gmem_try_split_folio_in_filemap',
  changedBy: writersOf('attributes', 'folios', 'conversions'),
  violation(s, ctx) {
    return first(pages(s), (_, i) => {
      const p = s.filemap[i];
      if (!s.shared[i] || p < 0 || !s.pfns[p].huge || converting(s, i)) return null;
      return `index ${hex(i)} is shared, yet it sits in a huge folio (${pfnName(p - (p % ctx.bounds.folioPages))})`;
    });
  },
};

/** The folio at `pfn` is one huge folio of `n` pages backing indices [i, i + n). */
function hugeFolioAt(s: GmemState, pfn: number, i: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (!s.pfns[pfn + k]?.huge || s.pfns[pfn + k].index !== i + k) return false;
  return true;
}

/**
 * No huge SPTE, 2M RMP entry or 2M S-EPT entry covers a split folio or pages whose attributes
 * differ (IOMMU mappings are 4K in the model).
 */
export const noHugeEntryOverSplitFolio: StateProperty = {
  name: 'no-huge-entry-over-split-folio',
  kind: 'always',
  why: 'A huge entry grants the whole huge page: over a split folio it reaches pages now refcounted and converted one by one (a shared page through a private 2M entry, or the reverse).',
  where:
    '1G RFC v2 kvm_gmem_convert_invalidate_begin (range rounded to the huge page), kvm_gmem_mapping_order; arch/x86/kvm/mmu/mmu.c kvm_mmu_max_mapping_level; SNP PSMASH in sev_gmem_invalidate / rmp_make_shared; TDX tdx_sept_split_private_spte (TDH.MEM.PAGE.DEMOTE)',
  changedBy: writersOf('alive', 'spte', 'sept', 'rmp', 'folios', 'attributes'),
  violation(s, ctx) {
    for (const vm of liveVms(s)) {
      const v = s.vms[vm];
      const n = ctx.bounds.folioPages;
      for (let g = 0; g + 1 < v.spte.length; g++) {
        const sp = v.spte[g];
        if (!sp || sp.level === 0) continue;
        if (sp.pfn >= 0 && !hugeFolioAt(s, sp.pfn, layoutIndexOfGfn(v, g), n))
          return `vm${vm} maps ${span(ctx, 'gfns', g, g + n)} huge to ${pfnName(sp.pfn)}, which is no longer one huge folio`;
        const a = isPrivateGfn(s, ctx.design, vm, g);
        for (let k = 1; k < n; k++) {
          const b = isPrivateGfn(s, ctx.design, vm, g + k);
          if (a !== b)
            return `vm${vm} maps ${span(ctx, 'gfns', g, g + n)} huge, but ${gfn(g)} is ${kind(a)} and ${gfn(g + k)} is ${kind(b)}`;
        }
      }
    }
    return first(s.pfns, (p, k) => {
      if (p.index < 0 || p.huge) return null;
      if (p.rmpAsid !== 0 && p.rmpHuge) return `the RMP entry of ${pfnName(k)} is 2M, yet its folio is split`;
      if (p.sept >= 0 && p.septHuge)
        return `vm${p.sept}'s S-EPT maps ${pfnName(k)} with a 2M entry, yet its folio is split`;
      return null;
    });
  },
};

/** The pfns whose folio changed order between two states while staying in the filemap. */
function restructured(prev: GmemState, next: GmemState): number[] {
  const out: number[] = [];
  for (let p = 0; p < prev.pfns.length; p++) {
    const a = prev.pfns[p];
    const b = next.pfns[p];
    if (a.cached && b.cached && a.index === b.index && a.huge !== b.huge) out.push(p);
  }
  return out;
}

/** No folio is split or merged while anyone but the filemap holds a reference to it. */
export const restructureWithRefsFrozen: StepProperty = {
  name: 'restructure-with-refs-frozen',
  kind: 'step',
  why: 'A split or merge rewrites the folio under its users: a userspace PTE, GUP pin or KVM reference taken on the old folio then points into a folio of another size (refcounts and mapcounts go wrong, a pinned page is freed or merged into a private folio).',
  where:
    '1G RFC v2 filemap_remove_folio_for_restructuring: while (!folio_ref_freeze(folio, filemap_refcount)) spin; kvm_gmem_has_safe_refcount before a merge',
  changedBy: writersOf('folios'),
  violation(prev, _a, _fx, _ctx, next) {
    for (const p of restructured(prev, next)) {
      if (prev.pfns[p].refs > 0) {
        return `the folio of ${pfnName(p)} was ${next.pfns[p].huge ? 'merged' : 'split'} while ${prev.pfns[p].refs} other reference(s) to ${pfnName(p)} were held`;
      }
    }
    return null;
  },
};

/** No page of a pool huge page is back in the allocator while another page of it is in use. */
export const hugePageReturnsWhole: StateProperty = {
  name: 'huge-page-returns-whole',
  kind: 'always',
  why: 'A HugeTLB page can go back to its pool only whole: a page freed alone leaves the pool a broken huge page, and the allocator may hand the page out while the rest of it is still guest memory.',
  where:
    '1G RFC v2 kvm_gmem_truncate_inode_range (zero a partial huge page, never free part of it), kvm_gmem_merge_truncate_indices; guestmem_hugetlb folio_put handling of split folios',
  changedBy: writersOf('folios'),
  violation(s, ctx) {
    const n = ctx.bounds.folioPages;
    return first(s.pfns, (p, k) => {
      if (p.index >= 0 || p.hpage) return null;
      const head = k - (k % n);
      for (let b = head; b < head + n && b < s.pfns.length; b++) {
        const buddy = s.pfns[b];
        if (b === k || !buddy.hpage) continue;
        return `${pfnName(k)} went back to the allocator alone, while ${pfnName(b)} of its huge page is still ${buddy.index >= 0 ? `in use at index ${hex(buddy.index)}` : 'held'}`;
      }
      return null;
    });
  },
};

/**
 * A conversion that returns an error leaves its work indices with their old attribute and the
 * range's huge pages as they were (huge or split) when it began.
 */
export const failedConversionRestoresRange: StepProperty = {
  name: 'failed-conversion-restores-range',
  kind: 'step',
  why: 'Userspace retries a failed conversion (-EAGAIN, -ENOMEM): a range left half converted, or split with nothing converted, breaks that contract and the mapping-order rules that follow the folio structure.',
  where:
    '1G RFC v2 kvm_gmem_convert_range: should_proceed for every item before any store; on a failed execute_work, execute_work(!shared) on the executed items (rollback_stop_item)',
  changedBy: writersOf('conversions'),
  violation(prev, a, _fx, ctx, next) {
    if (a.op !== 'convert' || next.threads[a.slot] !== null) return null;
    const t = prev.threads[a.slot];
    const locals = t && conversionLocals(t);
    if (!t || !locals || !locals.failed) return null;
    for (const i of locals.work) {
      if (next.shared[i] !== t.priv)
        return `a conversion of ${span(ctx, 'indices', t.lo, t.hi)} to ${kind(t.priv)} failed, yet index ${hex(i)} is ${kind(!next.shared[i])}`;
    }
    const n = ctx.bounds.folioPages;
    for (let i = t.lo - (t.lo % n); i < Math.min(next.filemap.length, Math.ceil(t.hi / n) * n); i++) {
      const p = next.filemap[i];
      const huge = p >= 0 && next.pfns[p].huge;
      if (huge !== locals.hugeBefore(i))
        return `a conversion of ${span(ctx, 'indices', t.lo, t.hi)} failed, yet index ${hex(i)}'s folio is ${huge ? 'huge' : 'split'}, not ${huge ? 'split' : 'huge'} as it found it`;
    }
    return null;
  },
};

export const HUGE_PROPERTIES = [
  sharedPagesAreSmall,
  noHugeEntryOverSplitFolio,
  restructureWithRefsFrozen,
  hugePageReturnsWhole,
  failedConversionRestoresRange,
] as const;
