/**
 * A userspace fault on the mmap of a guest_memfd (in-place designs: shared indices only), as the
 * in-place series v7 patch 01 has it: kvm_gmem_fault_user_mapping() (virt/kvm/guest_memfd.c)
 * under mmap_read_lock, then finish_fault() (mm/memory.c). Userspace maps VM 0's file. Mainline's
 * fault handler (GUEST_MEMFD_FLAG_INIT_SHARED files only) takes no invalidate_lock; it has no
 * per-index shareability to check and is not modelled.
 */
import { produce } from '../draft.ts';
import { lockFree, mmapReadable, slotBit } from '../kernel/locks.ts';
import { folioLockedByUserFault, getFolio, getRef, putRef, zeroFolio } from '../kernel/memory.ts';
import type { D } from '../kernel/context.ts';
import type { OpSpec, StepFn } from './common.ts';
import { finish, goto, perIndex } from './common.ts';

/** mmap_read_unlock() and return from the fault. */
function endFault(d: D, slot: number): void {
  d.mmapReaders &= ~slotBit(slot);
  finish(d, slot);
}

/**
 * lock_mm_and_find_vma(): mmap_read_lock(), held until the fault returns. It waits while a
 * writer holds mmap_lock or is queued for it (rwsem writer fairness).
 */
const mmapLock: StepFn = (s, _t, a) => {
  if (!mmapReadable(s)) return undefined;
  return produce(s, (d) => {
    d.mmapReaders |= slotBit(a.slot);
    goto(d, a.slot, 'kvm_gmem_fault_user_mapping');
  });
};

/**
 * kvm_gmem_fault_user_mapping() (in-place series v7 patch 01), the part under
 * filemap_invalidate_lock_shared(): a private index is -EACCES -> VM_FAULT_SIGBUS; else
 * kvm_gmem_get_folio() (allocated on first touch, locked, one more reference); then
 * filemap_invalidate_unlock_shared(). The folio goes on to finish_fault locked, with its
 * reference: from here only the refcount check keeps a conversion to private from completing.
 */
const userFault: StepFn = (s, t, a, ctx) => {
  if (!lockFree(s.invalidateLock) || folioLockedByUserFault(s, t.lo, ctx.bounds.folioPages)) return undefined;
  return produce(s, (d) => {
    if (!s.shared[t.lo]) {
      endFault(d, a.slot); // VM_FAULT_SIGBUS
      return;
    }
    const pfn = getFolio(d, t.lo, ctx);
    if (pfn < 0) {
      endFault(d, a.slot); // VM_FAULT_OOM
      return;
    }
    getRef(d, pfn);
    d.threads[a.slot]!.pfn = pfn;
    goto(d, a.slot, 'finish_fault');
  });
};

/**
 * The rest of kvm_gmem_fault_user_mapping() and finish_fault(), with no invalidate_lock: clear
 * the folio if !folio_test_uptodate (clear_highpage), install the PTE, whose reference is the one
 * kvm_gmem_get_folio() took (a PTE already there: VM_FAULT_NOPAGE, the reference is put), unlock
 * the folio; mmap_read_unlock().
 */
const finishFault: StepFn = (s, t, a, ctx) =>
  produce(s, (d) => {
    zeroFolio(d, t.pfn, ctx);
    if (s.umap[t.lo] >= 0) putRef(d, t.pfn, ctx);
    else d.umap[t.lo] = t.pfn;
    endFault(d, a.slot);
  });

export const mmapFault: OpSpec = {
  op: 'mmapFault',
  available: (design) => design.inPlaceConversion,
  starts: (s, ctx) => (s.vms[0].file === 'open' ? perIndex(ctx.bounds.pages, (i) => s.umap[i] < 0) : []),
  first: () => 'lock_mm_and_find_vma',
  steps: { lock_mm_and_find_vma: mmapLock, kvm_gmem_fault_user_mapping: userFault, finish_fault: finishFault },
  actor: (step) => (step === 'kvm_gmem_fault_user_mapping' ? 'guest_memfd' : 'userspace'),
};
