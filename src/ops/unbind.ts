/**
 * Memslot deletion: KVM_SET_USER_MEMORY_REGION2 with memory_size 0 -> kvm_set_memslot(KVM_MR_DELETE)
 * (virt/kvm/kvm_main.c) -> kvm_invalidate_memslot(), kvm_delete_memslot(), kvm_free_memslot() ->
 * kvm_gmem_unbind() (virt/kvm/guest_memfd.c). A guest_memfd memslot cannot be moved
 * (kvm_set_memory_region returns -EINVAL for KVM_MEM_GUEST_MEMFD on a change of base_gfn): a
 * move is this deletion and a new bind (ops/bind.ts).
 */
import { produce } from '../draft.ts';
import type { GmemState } from '../state.ts';
import { anyThread } from '../state.ts';
import { lockFree } from '../kernel/locks.ts';
import { zap } from '../kernel/mmu.ts';
import { unbindMemory } from '../kernel/memory.ts';
import { slotHasGfn, summarise } from '../kernel/memslots.ts';
import type { OpSpec, StepFn } from './common.ts';
import { finish, goto } from './common.ts';

/**
 * mutex_lock(&kvm->slots_lock); kvm_set_memslot(DELETE) -> kvm_invalidate_memslot(): a copy of
 * the slot with KVM_MEMSLOT_INVALID replaces it in the active memslots. Faults that look the
 * gfn up from now on retry (kvm_faultin_pfn: RET_PF_RETRY on an invalid slot).
 */
const invalidateStep: StepFn = (s, t, a) => {
  if (!lockFree(s.slotsLock)) return undefined;
  return produce(s, (d) => {
    d.slotsLock = a.slot;
    d.vms[t.vm].slots[t.dom].state = 'invalid';
    goto(d, a.slot, 'kvm_arch_flush_shadow_memslot');
  });
};

/** A fault of `vm` inside its SRCU read section at a gfn of the memslot (past its snapshot). */
function faultHoldsSrcu(s: GmemState, vm: number, slot: number): boolean {
  const sl = s.vms[vm].slots[slot];
  return anyThread(
    s,
    (th) => th.op === 'fault' && th.vm === vm && th.pc !== 'kvm_mmu_faultin_pfn' && slotHasGfn(sl, th.lo),
  );
}

/**
 * kvm_swap_active_memslots() -> synchronize_srcu_expedited(&kvm->srcu): waits for every vCPU
 * that may still use the old memslot (a fault holds kvm->srcu from its lookup to its install);
 * then kvm_arch_flush_shadow_memslot() zaps every SPTE of the slot's gfns (a TD's private ones
 * through the S-EPT removal). No new SPTE of the slot can appear after it.
 */
const flushStep: StepFn = (s, t, a, ctx) => {
  if (faultHoldsSrcu(s, t.vm, t.dom)) return undefined;
  return produce(s, (d) => {
    const sl = s.vms[t.vm].slots[t.dom];
    zap(d, t.vm, sl.base, sl.base + sl.npages, () => true, ctx, { want: false, done: false });
    goto(d, a.slot, 'kvm_gmem_unbind');
  });
};

/**
 * kvm_delete_memslot() and kvm_commit_memory_region() -> kvm_free_memslot() ->
 * kvm_gmem_unbind() (virt/kvm/guest_memfd.c, since ae431059e75d "Remove bindings on memslot
 * deletion when gmem is dying"), then mutex_unlock(&kvm->slots_lock):
 * - slot->gmem.file NULL (kvm_gmem_release() ran: the file 'released'): nothing to do.
 * - kvm_gmem_get_file() succeeds (the file 'open'): under filemap_invalidate_lock,
 *   __kvm_gmem_unbind(): xa_store_range(&f->bindings, pgoff, pgoff + npages - 1, NULL). The
 *   lock keeps the bindings stable across a guest_memfd invalidation, whose end
 *   (__kvm_gmem_invalidate_end: xa_find) ends only where a binding is still in range.
 * - kvm_gmem_get_file() fails (the file 'dying': its last fput() ran, kvm_gmem_release() not
 *   yet): __kvm_gmem_unbind() without the lock. Safe as its comment says because
 *   kvm_gmem_release() runs under slots_lock, which this thread holds, and because no syscall
 *   through the dying file can be invalidating it (fallocate and the conversion ioctl hold the
 *   file: ops/close.ts holdsFile). An invalidation through another file on the same inode
 *   (linking) still walks this file's bindings: the model keeps that race.
 * unbindTakesInvalidateLock false (planted) stores NULL without the lock on an open file too;
 * unbindDyingTakesInvalidateLock (a proposed fix) takes it on a dying file too.
 * unbindDyingFile false (before ae431059e75d): kvm_gmem_get_file() fails on a dying file and
 * kvm_gmem_unbind() returns, so the binding stays, pointing at the freed memslot until
 * kvm_gmem_release() walks it.
 */
const unbindStep: StepFn = (s, t, a, ctx) => {
  const { file } = s.vms[t.vm];
  const locks =
    ctx.design.unbindTakesInvalidateLock &&
    (file === 'open' || (file === 'dying' && ctx.design.unbindDyingTakesInvalidateLock));
  if (locks && !lockFree(s.invalidateLock)) return undefined;
  return produce(s, (d) => {
    const v = d.vms[t.vm];
    const sl = v.slots[t.dom];
    sl.state = 'none';
    if (sl.bound && !(v.file === 'dying' && !ctx.design.unbindDyingFile)) sl.bound = false;
    const wasBound = v.binding;
    summarise(v);
    // The proposal's binding lifetime: the RMP entries go with the VM's last binding.
    if (wasBound && !v.binding) unbindMemory(d, t.vm, ctx);
    d.slotsLock = -1;
    finish(d, a.slot);
  });
};

export const unbind: OpSpec = {
  op: 'unbind',
  available: () => true,
  // KVM_SET_USER_MEMORY_REGION2 is a VM ioctl: on a dead VM (kvm->vm_dead) kvm_vm_ioctl()
  // returns -EIO (virt/kvm/kvm_main.c), so a bugged or migrated-away VM keeps its memslots.
  // The thread's range is the memslot's gfns, `dom` its number.
  starts: (s) =>
    s.vms.flatMap((v, vm) =>
      v.alive && !v.bugged
        ? v.slots.flatMap((sl, k) =>
            sl.state === 'live' ? [{ vm, lo: sl.base, hi: sl.base + sl.npages, priv: false, dom: k }] : [],
          )
        : [],
    ),
  first: () => 'kvm_invalidate_memslot',
  steps: {
    kvm_invalidate_memslot: invalidateStep,
    kvm_arch_flush_shadow_memslot: flushStep,
    kvm_gmem_unbind: unbindStep,
  },
  actor: () => 'KVM',
};
