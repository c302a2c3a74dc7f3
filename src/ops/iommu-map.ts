/**
 * IOMMU map through guest_memfd (proposed; no mainline path): a domain maps shared (and, for TDX
 * Connect / SEV-TIO, private) indices. guest_memfd's invalidations reach it through
 * kernel/iommu.ts where the design notifies it (notify.iommu).
 */
import { produce } from '../draft.ts';
import { isPrivate } from '../kernel/attributes.ts';
import { lockFree } from '../kernel/locks.ts';
import { getFolio, zeroFolio } from '../kernel/memory.ts';
import { gfnOfIndex } from '../kernel/memslots.ts';
import { snpPrepare } from '../kernel/snp.ts';
import type { OpSpec, StepFn } from './common.ts';
import { finish } from './common.ts';

/**
 * iommu_map() of an index through guest_memfd (the thread's "memory provider for the IOMMU"):
 * under filemap_invalidate_lock_shared(), guest_memfd checks the index's shareability against the
 * mapping's type (private only for TEE-IO), allocates and clears the folio on first use, and the
 * IOMMU maps it. No folio reference: like KVM, the IOMMU relies on the invalidation notifier.
 * A private mapping (SEV-TIO) needs the page assigned to the guest: with iommuAssignsPrivate the
 * IOMMU layer does it first, as KVM's fault does (rmp_make_private for the VM's ASID at the gfn
 * VM 0's memslot binds the index); no index bound, no GPA: refused. Not kernel code (no
 * mainline path); TDX Connect is not modelled (no named design maps TDX private memory).
 */
const iommuMapStep: StepFn = (s, t, a, ctx) => {
  if (!lockFree(s.invalidateLock)) return undefined;
  return produce(s, (d) => {
    if (isPrivate(s, ctx.design, 0, t.lo) !== t.priv || s.vms[0].file !== 'open') {
      finish(d, a.slot); // -EPERM: guest_memfd refuses the mismatch
      return;
    }
    const assign = t.priv && ctx.design.iommuAssignsPrivate && ctx.design.arch === 'snp';
    const gfn = assign ? gfnOfIndex(s.vms[0], t.lo) : -1;
    if (assign && gfn < 0) {
      finish(d, a.slot); // no memslot binds the index: no GPA to assign it for
      return;
    }
    const pfn = getFolio(d, t.lo, ctx);
    if (pfn >= 0) {
      zeroFolio(d, pfn, ctx);
      if (assign) snpPrepare(d, pfn, gfn, s.vms[0].asid, ctx, 'IOMMU');
      d.iommu[t.dom][t.lo] = { pfn, private: t.priv };
    }
    finish(d, a.slot);
  });
};

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
  first: () => 'iommu_map',
  steps: { iommu_map: iommuMapStep },
  actor: () => 'IOMMU',
};
