/**
 * IOMMU map through guest_memfd (proposed; no mainline path): a domain maps shared (and, for TDX
 * Connect / SEV-TIO, private) indices. guest_memfd's invalidations reach it through
 * kernel/iommu.ts where the design notifies it (notify.iommu).
 */
import { produce } from '../draft.ts';
import { isPrivate } from '../kernel/attributes.ts';
import { lockFree } from '../kernel/locks.ts';
import { getFolio, getRef, putRef, zeroFolio } from '../kernel/memory.ts';
import { gfnOfIndex } from '../kernel/memslots.ts';
import { snpPrepare } from '../kernel/snp.ts';
import type { GmemState, Thread } from '../state.ts';
import type { Ctx, D } from '../kernel/context.ts';
import type { Action, OpSpec, StepFn } from './common.ts';
import { finish, goto } from './common.ts';

/**
 * iommu_map() of an index through guest_memfd (the thread's "memory provider for the IOMMU"):
 * under filemap_invalidate_lock_shared(), guest_memfd checks the index's shareability against the
 * mapping's type (private only for TEE-IO), allocates and clears the folio on first use, and the
 * IOMMU maps it. No folio reference: like KVM, the IOMMU relies on the invalidation notifier.
 * A private mapping (SEV-TIO) needs the page assigned to the guest: with iommuAssignsPrivate the
 * IOMMU layer does it first, as KVM's fault does (rmp_make_private for the VM's ASID at the gfn
 * VM 0's memslot binds the index); no index bound, no GPA: refused. Not kernel code (no
 * mainline path); TDX Connect is not modelled (no named design maps TDX private memory).
 * iommuMapUnderInvalidateLock false splits it: this step is the lookup (iommuLookup), the map
 * comes after the unlock (iommuMapAfterUnlock).
 */
const iommuMapStep: StepFn = (s, t, a, ctx) => {
  if (!ctx.design.iommuMapUnderInvalidateLock) return iommuMapAfterUnlock(s, t, a, ctx);
  if (!lockFree(s.invalidateLock)) return undefined;
  return produce(s, (d) => {
    const pfn = lookup(s, d, t, a.slot, ctx);
    if (pfn >= 0) d.iommu[t.dom][t.lo] = { pfn, private: t.priv };
    finish(d, a.slot);
  });
};

/**
 * What guest_memfd does for the IOMMU map under invalidate_lock shared: refuse a shareability
 * mismatch (-EPERM) or an index no memslot binds when the page must be assigned, else the folio,
 * cleared on first use and (SNP, private, iommuAssignsPrivate) assigned to VM 0's ASID. Returns
 * the pfn, or -1 with the thread finished.
 */
function lookup(s: GmemState, d: D, t: Thread, slot: number, ctx: Ctx): number {
  if (isPrivate(s, ctx.design, 0, t.lo) !== t.priv || s.vms[0].file !== 'open') {
    finish(d, slot); // -EPERM: guest_memfd refuses the mismatch
    return -1;
  }
  const assign = t.priv && ctx.design.iommuAssignsPrivate && ctx.design.arch === 'snp';
  const gfn = assign ? gfnOfIndex(s.vms[0], t.lo) : -1;
  if (assign && gfn < 0) {
    finish(d, slot); // no memslot binds the index: no GPA to assign it for
    return -1;
  }
  const pfn = getFolio(d, t.lo, ctx);
  if (pfn < 0) {
    finish(d, slot); // -ENOMEM
    return -1;
  }
  zeroFolio(d, pfn, ctx);
  if (assign) snpPrepare(d, pfn, gfn, s.vms[0].asid, ctx, 'IOMMU');
  return pfn;
}

/**
 * iommuMapUnderInvalidateLock false (bug): the lookup under filemap_invalidate_lock_shared(), as
 * kvm_gmem_get_pfn() does in the in-place series v7 (patch 01), returning the pfn with a folio
 * reference (`*page = folio_file_page(folio, index)`), then filemap_invalidate_unlock_shared().
 */
const iommuLookup: StepFn = (s, t, a, ctx) => {
  if (!lockFree(s.invalidateLock)) return undefined;
  return produce(s, (d) => {
    const pfn = lookup(s, d, t, a.slot, ctx);
    if (pfn < 0) return;
    getRef(d, pfn);
    d.threads[a.slot]!.pfn = pfn;
    goto(d, a.slot, 'iommu_map');
  });
};

/**
 * iommuMapUnderInvalidateLock false (bug): the IOMMU PTE written after the unlock, with nothing
 * like KVM's mmu_invalidate_seq / is_page_fault_stale() to notice a conversion or PUNCH_HOLE
 * that invalidated the index in between; then the lookup's folio reference is put.
 */
function iommuMapAfterUnlock(s: GmemState, t: Thread, a: Action, ctx: Ctx): GmemState {
  return produce(s, (d) => {
    d.iommu[t.dom][t.lo] = { pfn: t.pfn, private: t.priv };
    putRef(d, t.pfn, ctx);
    finish(d, a.slot);
  });
}

export const iommuMap: OpSpec = {
  op: 'iommuMap',
  available: (design) => design.iommuMapsGmem !== 'none',
  starts(s, ctx) {
    const out = [];
    const types = ctx.design.iommuMapsGmem === 'shared+private' ? [false, true] : [false];
    for (let dom = 0; dom < s.iommu.length; dom++) {
      for (let i = 0; i < ctx.bounds.pages; i++) {
        if (s.iommu[dom][i]) continue;
        for (const priv of types) out.push({ vm: 0, lo: i, hi: i + 1, priv, dom });
      }
    }
    return out;
  },
  first: (ctx) => (ctx.design.iommuMapUnderInvalidateLock ? 'iommu_map' : 'kvm_gmem_get_pfn'),
  steps: { kvm_gmem_get_pfn: iommuLookup, iommu_map: iommuMapStep },
  actor: () => 'IOMMU',
};
