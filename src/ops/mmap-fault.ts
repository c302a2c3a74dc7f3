/**
 * A userspace fault on the mmap of a guest_memfd (in-place designs: shared indices only):
 * kvm_gmem_fault_user_mapping() under mmap_lock. Userspace maps VM 0's file.
 */
import { produce } from '../draft.ts';
import { lockFree } from '../kernel/locks.ts';
import { getFolio, getRef, zeroFolio } from '../kernel/memory.ts';
import type { OpSpec, StepFn } from './common.ts';
import { finish, goto, perIndex } from './common.ts';

/** lock_mm_and_find_vma(): mmap_read_lock() (modelled as exclusive: see the note on mmap_lock). */
const mmapLock: StepFn = (s, t, a) => {
  if (!lockFree(s.mmapLock, a.slot)) return undefined;
  return produce(s, (d) => {
    d.mmapLock = a.slot;
    goto(d, a.slot, 'kvm_gmem_fault_user_mapping');
  });
};

/**
 * kvm_gmem_fault_user_mapping() (mmap_lock held): filemap_invalidate_lock_shared(); a private
 * index is VM_FAULT_SIGBUS; else kvm_gmem_get_folio(), clear once, map the page (its PTE holds a
 * reference); unlock both.
 */
const userFault: StepFn = (s, t, a, ctx) => {
  if (!lockFree(s.invalidateLock, a.slot)) return undefined;
  return produce(s, (d) => {
    d.mmapLock = -1;
    if (!s.shared[t.lo] || s.umap[t.lo] >= 0) {
      finish(d, a.slot); // VM_FAULT_SIGBUS (or the PTE is already there)
      return;
    }
    const pfn = getFolio(d, t.lo, ctx);
    if (pfn >= 0) {
      zeroFolio(d, pfn, ctx);
      getRef(d, pfn);
      d.umap[t.lo] = pfn;
    }
    finish(d, a.slot);
  });
};

export const mmapFault: OpSpec = {
  op: 'mmapFault',
  available: (design) => design.inPlaceConversion,
  starts: (s, ctx) => (s.vms[0].file === 'open' ? perIndex(ctx.bounds.pages, (i) => s.umap[i] < 0) : []),
  first: () => 'lock_mm_and_find_vma',
  steps: { lock_mm_and_find_vma: mmapLock, kvm_gmem_fault_user_mapping: userFault },
  actor: (step) => (step === 'kvm_gmem_fault_user_mapping' ? 'guest_memfd' : 'userspace'),
};
