/**
 * Mappings: who may reach a page (private vs shared), that every mapping points at memory its
 * index still owns, at a level the memory allows, zeroed first, and never installed inside an
 * invalidation.
 */
import { hex, pfnName } from '../state.ts';
import { isPrivate, isPrivateGfn } from '../kernel/attributes.ts';
import { layoutGfnOfIndex, layoutIndexOfGfn, layoutTranslates } from '../kernel/memslots.ts';
import type { Thread } from '../state.ts';
import { spanOf, spteAt } from '../kernel/mmu.ts';
import type { StateProperty, StepProperty } from './record.ts';
import { writersOf } from './writes.ts';
import {
  backs,
  converting,
  first,
  gfn,
  gfnAt,
  invalidatedGfns,
  invalidating,
  kind,
  liveVms,
  pages,
  rangeKind,
  span,
  whose,
} from './queries.ts';

const hexRange = (lo: number, hi: number) => `[${hex(lo)}, ${hex(hi)})`;

/** A private index has no shared access: userspace, GUP pins, shared SPTEs, shared IOMMU, host writes. */
export const noSharedAccessToPrivate: StateProperty = {
  name: 'no-shared-access-to-private',
  kind: 'always',
  why: 'A private page must be reachable by the guest alone: a host PTE, pin, shared SPTE, shared IOMMU mapping or host write leaks or corrupts confidential memory (SNP: an RMP #PF in the host).',
  where:
    'virt/kvm/kvm_main.c kvm_vm_set_mem_attributes (zap shared); in-place series: unmap_mapping_pages + refcount check before the attribute flip',
  changedBy: writersOf(
    'hostWrotePrivate',
    'attributes',
    'umap',
    'pin',
    'folios',
    'conversions',
    'alive',
    'spte',
    'iommu',
    'slots',
  ),
  violation(s, ctx) {
    const { design } = ctx;
    if (s.seen.hostWrotePrivate >= 0) {
      return `the host wrote zeroes into ${pfnName(s.seen.hostWrotePrivate)} of a private index (truncate of a partial folio)`;
    }
    return first(pages(s), (_, i) => {
      const priv0 = isPrivate(s, design, 0, i);
      if (priv0 && s.umap[i] >= 0) return `index ${hex(i)} is private, yet userspace maps it (${pfnName(s.umap[i])})`;
      if (priv0 && s.pin[i] >= 0 && backs(s, s.pin[i], i) && !converting(s, i))
        return `index ${hex(i)} is private, yet a GUP pin holds ${pfnName(s.pin[i])}`;
      for (const vm of liveVms(s)) {
        const g = layoutGfnOfIndex(s.vms[vm], i);
        const sp = g < 0 ? null : spteAt(s.vms[vm], g, ctx.bounds.folioPages);
        if (sp && !sp.private && isPrivate(s, design, vm, i))
          return `${gfnAt(g, i)} is private, yet vm${vm} maps it shared to ${pfnName(sp.pfn)}`;
      }
      for (let dom = 0; dom < s.iommu.length; dom++) {
        const m = s.iommu[dom][i];
        if (m && !m.private && priv0)
          return `index ${hex(i)} is private, yet IOMMU domain ${dom} maps it shared to ${pfnName(m.pfn)}`;
      }
      return null;
    });
  },
};

/** A shared index has no private SPTE nor private IOMMU mapping; (SNP, in place) its RMP entry is the hypervisor's. */
export const noPrivateAccessAfterSharedConversion: StateProperty = {
  name: 'no-private-access-after-shared-conversion',
  kind: 'always',
  why: 'Once a range is shared the host may write it: no guest private SPTE or private IOMMU mapping may survive, and on SNP the RMP entry must be hypervisor-owned first.',
  where:
    'arch/x86/kvm/mmu/mmu.c kvm_mmu_faultin_pfn (mmu_seq snapshot) + is_page_fault_stale; kvm_arch_pre_set_memory_attributes zaps private SPTEs',
  changedBy: writersOf('alive', 'spte', 'attributes', 'iommu', 'folios', 'rmp', 'conversions', 'slots'),
  violation(s, ctx) {
    const { design } = ctx;
    return first(pages(s), (_, i) => {
      for (const vm of liveVms(s)) {
        const g = layoutGfnOfIndex(s.vms[vm], i);
        const sp = g < 0 ? null : spteAt(s.vms[vm], g, ctx.bounds.folioPages);
        if (sp && sp.private && !isPrivate(s, design, vm, i))
          return `${gfnAt(g, i)} is shared, yet vm${vm} maps it private to ${pfnName(sp.pfn)}`;
      }
      const shared0 = !isPrivate(s, design, 0, i);
      for (let dom = 0; dom < s.iommu.length; dom++) {
        const m = s.iommu[dom][i];
        if (m && m.private && shared0)
          return `index ${hex(i)} is shared, yet IOMMU domain ${dom} maps it private to ${pfnName(m.pfn)}`;
      }
      const p = s.filemap[i];
      if (
        design.arch === 'snp' &&
        design.inPlaceConversion &&
        shared0 &&
        p >= 0 &&
        s.pfns[p].rmpAsid !== 0 &&
        !converting(s, i)
      ) {
        return `index ${hex(i)} is shared, yet the RMP entry of ${pfnName(p)} is still assigned to ASID ${s.pfns[p].rmpAsid}`;
      }
      return null;
    });
  },
};

/** Every mapping points at a pfn its index still owns; no binding points at a deleted memslot. */
export const noMappingOfFreedMemory: StateProperty = {
  name: 'no-mapping-of-freed-memory',
  kind: 'always',
  why: 'A mapping to a pfn its index no longer owns is a use after free (truncate, close); a binding to a deleted memslot is a dangling pointer.',
  where: 'virt/kvm/guest_memfd.c kvm_gmem_punch_hole / kvm_gmem_invalidate_begin, kvm_gmem_release, kvm_gmem_unbind',
  changedBy: writersOf('alive', 'spte', 'folios', 'binding', 'memslot', 'slots', 'umap', 'iommu'),
  violation(s, ctx) {
    for (const vm of liveVms(s)) {
      const v = s.vms[vm];
      for (let g = 0; g < v.spte.length; g++) {
        const sp = v.spte[g];
        if (!sp || sp.pfn < 0) continue;
        const [a, b] = spanOf(g, sp, ctx.bounds.folioPages);
        for (let k = a; k < b; k++) {
          const p = sp.pfn + (k - a);
          const i = layoutIndexOfGfn(v, k);
          if (!backs(s, p, i)) return `vm${vm} maps ${gfnAt(k, i)} to ${pfnName(p)}, which ${whose(s, p)}`;
        }
      }
      const dangling = v.slots.findIndex((sl) => sl.bound && sl.state === 'none');
      if (dangling >= 0)
        return `vm${vm}'s guest_memfd file still binds its deleted memslot${v.slots.length > 1 ? ` ${dangling}` : ''}`;
    }
    return first(pages(s), (_, i) => {
      if (s.umap[i] >= 0 && !backs(s, s.umap[i], i))
        return `userspace maps index ${hex(i)} to ${pfnName(s.umap[i])}, which ${whose(s, s.umap[i])}`;
      for (let dom = 0; dom < s.iommu.length; dom++) {
        const m = s.iommu[dom][i];
        if (m && !backs(s, m.pfn, i))
          return `IOMMU domain ${dom} maps index ${hex(i)} to ${pfnName(m.pfn)}, which ${whose(s, m.pfn)}`;
      }
      return null;
    });
  },
};

/** A huge mapping lies inside one folio, its gfns share one attribute, and (SNP) a 2M RMP entry backs it. */
export const mappingLevelFits: StateProperty = {
  name: 'mapping-level-fits',
  kind: 'always',
  why: 'A huge SPTE exposes every page it covers: they must be one folio, one attribute, and on SNP one 2M RMP entry.',
  where:
    'arch/x86/kvm/mmu/mmu.c kvm_mmu_hugepage_adjust -> kvm_mmu_max_mapping_level (lpage_info KVM_LPAGE_MIXED_FLAG, kvm_gmem_max_mapping_level, host_pfn_mapping_level); kvm_arch_pre_set_memory_attributes (9129633d568e), kvm_arch_post_set_memory_attributes; sev_gmem_max_mapping_level',
  changedBy: writersOf('alive', 'spte', 'folios', 'attributes', 'rmp', 'slots'),
  violation(s, ctx) {
    for (const vm of liveVms(s)) {
      const v = s.vms[vm];
      for (let g = 0; g < v.spte.length; g++) {
        const sp = v.spte[g];
        if (!sp || sp.level === 0) continue;
        const n = ctx.bounds.folioPages;
        if (g + n > v.spte.length) return `vm${vm} maps ${gfn(g)} huge past the end of its memslot`;
        const i = layoutIndexOfGfn(v, g);
        const oneFolio = (k: number) => s.pfns[sp.pfn + k]?.index === i + k;
        if (sp.pfn >= 0 && !(s.pfns[sp.pfn].huge && [...Array(n).keys()].every(oneFolio))) {
          return `vm${vm} maps ${span(ctx, 'gfns', g, g + n)} huge, but it is not one folio`;
        }
        const priv = (k: number) => isPrivateGfn(s, ctx.design, vm, g + k);
        const k = [...Array(n).keys()].find((x) => priv(x) !== priv(0));
        if (k !== undefined) {
          const at = (x: number) =>
            `${gfnAt(x, layoutIndexOfGfn(v, x))} is ${kind(isPrivateGfn(s, ctx.design, vm, x))}`;
          return `vm${vm} maps ${span(ctx, 'gfns', g, g + n)} huge (${kind(sp.private)}), but ${at(g)} and ${at(g + k)}`;
        }
        if (ctx.design.arch === 'snp' && sp.private && sp.pfn >= 0 && !s.pfns[sp.pfn].rmpHuge) {
          return `vm${vm} maps ${span(ctx, 'gfns', g, g + n)} huge, but the RMP entry of ${pfnName(sp.pfn)} is 4K`;
        }
      }
    }
    return null;
  },
};

/** No mapping reaches a page that was neither zeroed nor populated. */
export const zeroedBeforeFirstUse: StateProperty = {
  name: 'zeroed-before-first-use',
  kind: 'always',
  why: "A folio mapped before it is cleared leaks the previous owner's data to the guest, userspace or a device.",
  where:
    'virt/kvm/guest_memfd.c kvm_gmem_get_pfn / kvm_gmem_fault_user_mapping: clear if !folio_test_uptodate, then folio_mark_uptodate',
  changedBy: writersOf('alive', 'spte', 'sept', 'folios', 'zeroed', 'umap', 'iommu'),
  violation(s, ctx) {
    // Only pages still owned: a mapping of a freed page is no-mapping-of-freed-memory's.
    const dirty = (p: number) => p >= 0 && s.pfns[p].index >= 0 && !s.pfns[p].zeroed;
    for (const vm of liveVms(s)) {
      const v = s.vms[vm];
      for (let g = 0; g < v.spte.length; g++) {
        const sp = v.spte[g];
        // A TD's mirror SPTE without its S-EPT entry maps nothing the TD can reach (property 10).
        if (!sp || (sp.private && sp.pfn >= 0 && s.pfns[sp.pfn].sept !== vm && ctx.design.arch === 'tdx')) continue;
        const [a, b] = spanOf(g, sp, ctx.bounds.folioPages);
        for (let k = a; k < b; k++) {
          if (sp.pfn >= 0 && dirty(sp.pfn + k - a))
            return `vm${vm} maps ${gfn(k)} to ${pfnName(sp.pfn + k - a)}, which was never zeroed`;
        }
      }
    }
    return first(pages(s), (_, i) => {
      if (dirty(s.umap[i])) return `userspace maps index ${hex(i)} to ${pfnName(s.umap[i])}, which was never zeroed`;
      for (let dom = 0; dom < s.iommu.length; dom++) {
        const m = s.iommu[dom][i];
        if (m && dirty(m.pfn))
          return `IOMMU domain ${dom} maps index ${hex(i)} to ${pfnName(m.pfn)}, which was never zeroed`;
      }
      return null;
    });
  },
};

/**
 * No SPTE installed while an invalidation covering its gfn is between its begin and its end, by
 * the invalidating threads' program counters (not by mmu_invalidate_in_progress / _seq, which
 * the install's own guard reads: a wrong guard or a missed notification shows here).
 */
export const noStaleMapping: StepProperty = {
  name: 'no-stale-mapping-during-invalidation',
  kind: 'step',
  why: 'An SPTE installed while an invalidation covers its gfn survives the zap that was meant to remove it.',
  where:
    'virt/kvm/kvm_main.c kvm_mmu_invalidate_begin/range_add/end; arch/x86/kvm/mmu/mmu.c is_page_fault_stale -> mmu_invalidate_retry_gfn',
  changedBy: { fault: ['kvm_tdp_mmu_map'] },
  violation(prev, _a, fx, ctx) {
    for (const ins of fx.installs) {
      const t = prev.threads[ins.slot];
      const hi = ins.gfn + (ins.level === 1 ? ctx.bounds.folioPages : 1);
      // Memory outside guest_memfd (pfn -1: a shared fault's THP behind the memslot) is reached
      // only by KVM_SET_MEMORY_ATTRIBUTES, not by guest_memfd's invalidations (PUNCH_HOLE, the
      // in-place conversion): a huge shared SPTE next to a punched index is no stale mapping.
      const reaches = (w: { op: string }) => !t || t.pfn >= 0 || (w.op === 'convert' && ctx.design.attributes === 'vm');
      const meets = (w: Thread) => invalidatedGfns(prev, ins.vm, w, ctx).some(([lo, gh]) => lo < hi && ins.gfn < gh);
      const inv = invalidating(prev, ins.vm, ctx).find((w) => meets(w) && reaches(w));
      if (inv) {
        // A guest_memfd range is of indices: the gfns each binding gives them follow, where the
        // layout translates or the range spans several memslots.
        const what = rangeKind(inv, ctx);
        const gfns = invalidatedGfns(prev, ins.vm, inv, ctx);
        const split = gfns.length !== 1 || gfns[0][0] !== inv.lo || gfns[0][1] !== inv.hi;
        const named = layoutTranslates(ctx.bounds);
        const of =
          what === 'indices' && (split || named)
            ? `indices ${hexRange(inv.lo, inv.hi)} (gfns ${gfns.map(([lo, gh]) => hexRange(lo, gh)).join(', ')})`
            : span(ctx, what, inv.lo, inv.hi);
        return `vm${ins.vm} installed an SPTE for ${span(ctx, 'gfns', ins.gfn, hi)} while ${inv.op === 'punchHole' ? 'PUNCH_HOLE' : 'a conversion'} of ${of} was invalidating it`;
      }
    }
    return null;
  },
};

/**
 * Once no operation is in flight, no VM that can still run a vCPU (alive, not kvm->vm_dead) has
 * an invalidation in progress nor a range left; mmu_invalidate_in_progress never goes below zero.
 */
export const invalidationsBalanced: StateProperty = {
  name: 'invalidations-balanced',
  kind: 'always',
  why: 'An invalidation begun and never ended keeps every fault on its range retrying forever (is_page_fault_stale); an end without its begin drives the count below zero (KVM_BUG_ON).',
  where:
    'virt/kvm/kvm_main.c kvm_mmu_invalidate_begin / kvm_mmu_invalidate_end (KVM_BUG_ON(kvm->mmu_invalidate_in_progress < 0)); virt/kvm/guest_memfd.c kvm_gmem_invalidate_begin / _end over the same bindings',
  changedBy: 'any',
  violation(s, ctx) {
    const idle = s.threads.every((t) => t === null);
    for (const vm of liveVms(s)) {
      const v = s.vms[vm];
      if (v.inProgress < 0)
        return `vm${vm}'s mmu_invalidate_in_progress is ${v.inProgress}: an invalidation ended that never began`;
      // A dead VM (kvm->vm_dead) runs no vCPU: nothing can wait on its count any more.
      if (idle && v.inProgress > 0 && !v.bugged)
        return `no operation is in flight, yet vm${vm}'s mmu_invalidate_in_progress is ${v.inProgress}`;
      if (idle && v.rangeLo >= 0 && !v.bugged)
        return `no operation is in flight, yet vm${vm} keeps the invalidation range ${span(ctx, 'gfns', v.rangeLo, v.rangeHi)}`;
    }
    return null;
  },
};
