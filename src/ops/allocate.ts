/**
 * fallocate(0) on a guest_memfd: kvm_gmem_allocate() (virt/kvm/guest_memfd.c).
 */
import { produce } from '../draft.ts';
import { isPrivate } from '../kernel/attributes.ts';
import { lockFree } from '../kernel/locks.ts';
import { getFolio, zeroFolio } from '../kernel/memory.ts';
import { boundVms, installSpte } from '../kernel/mmu.ts';
import { snpPrepare } from '../kernel/snp.ts';
import type { OpSpec, StepFn } from './common.ts';
import { fallocateRanges, finish, range } from './common.ts';
import { gfnOfIndex } from '../kernel/memslots.ts';

/**
 * kvm_gmem_allocate(): under filemap_invalidate_lock_shared(), kvm_gmem_get_folio() for each
 * index: allocation only, no zeroing, no prepare, no mapping. fallocatePrepares (bug): it also
 * clears and prepares (rmp_make_private). prefault (rejected in the thread): guest_memfd also
 * maps the folios into every bound VM.
 */
const allocateStep: StepFn = (s, t, a, ctx) => {
  if (!lockFree(s.invalidateLock)) return undefined;
  const { design } = ctx;
  return produce(s, (d) => {
    for (const i of range(t.lo, t.hi)) {
      const pfn = getFolio(d, i, ctx);
      if (pfn < 0) break; // -ENOMEM
      const priv = isPrivate(s, design, 0, i);
      if (design.fallocatePrepares) {
        zeroFolio(d, pfn, ctx);
        if (priv) snpPrepare(d, pfn, i, s.vms[0].asid, ctx, 'guest_memfd'); // kvm_gmem_prepare_folio
      }
      if (design.prefault) {
        for (const vm of boundVms(s, ctx)) {
          // The gfn a live memslot of this VM binds index i at, if any.
          const g = gfnOfIndex(s.vms[vm], i);
          if (g < 0 || d.vms[vm].spte[g]) continue;
          installSpte(d, vm, g, { pfn, private: isPrivate(s, design, vm, i), level: 0 }, -1, ctx);
        }
      }
    }
    finish(d, a.slot);
  });
};

export const allocate: OpSpec = {
  op: 'allocate',
  available: () => true,
  starts: fallocateRanges,
  first: () => 'kvm_gmem_allocate',
  steps: { kvm_gmem_allocate: allocateStep },
  actor: () => 'guest_memfd',
};
