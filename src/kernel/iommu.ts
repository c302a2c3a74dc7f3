/**
 * The IOMMU as a user of guest_memfd (proposed; no mainline path): a domain maps shared (and,
 * for TDX Connect / SEV-TIO, private) indices, and receives guest_memfd's invalidations where the
 * design notifies it (notify.iommu).
 */
import { produce } from './draft.ts';
import type { Iova } from '../state.ts';
import type { D, OpSpec, StepFn } from './common.ts';
import { finish, isPrivate, lockFree } from './common.ts';
import { getFolio, zeroFolio } from './memory.ts';

/** guest_memfd's invalidation notifier into the IOMMU: unmap what `which` selects in [lo, hi). */
export function iommuInvalidate(d: D, lo: number, hi: number, which: (m: Iova) => boolean): void {
  for (const dom of d.iommu) {
    for (let i = lo; i < hi; i++) {
      const m = dom[i];
      if (m && which(m)) dom[i] = null;
    }
  }
}

/**
 * iommu_map() of an index through guest_memfd (the thread's "memory provider for the IOMMU"):
 * under filemap_invalidate_lock_shared(), guest_memfd checks the index's shareability against the
 * mapping's type (private only for TEE-IO), allocates and clears the folio on first use, and the
 * IOMMU maps it. No folio reference: like KVM, the IOMMU relies on the invalidation notifier.
 */
const iommuMap: StepFn = (s, t, a, ctx) => {
  if (!lockFree(s.invalidateLock, a.slot)) return undefined;
  return produce(s, (d) => {
    if (isPrivate(s, ctx.design, 0, t.lo) !== t.priv || s.vms[0].file !== 'open') {
      finish(d, a.slot); // -EPERM: guest_memfd refuses the mismatch
      return;
    }
    const pfn = getFolio(d, t.lo, ctx);
    if (pfn >= 0) {
      zeroFolio(d, pfn, ctx);
      d.iommu[t.dom][t.lo] = { pfn, private: t.priv };
    }
    finish(d, a.slot);
  });
};

export const iommuMapOp: OpSpec = {
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
  first: () => 'iommu_map',
  steps: { iommu_map: iommuMap },
  actor: () => 'IOMMU',
};
