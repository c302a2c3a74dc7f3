/**
 * Memslot deletion: KVM_SET_USER_MEMORY_REGION2 (size 0) -> kvm_set_memslot(KVM_MR_DELETE) ->
 * kvm_gmem_unbind() (virt/kvm/kvm_main.c, virt/kvm/guest_memfd.c).
 */
import { produce } from '../draft.ts';
import { lockFree } from '../kernel/locks.ts';
import { zapAll } from '../kernel/mmu.ts';
import { unbindMemory } from '../kernel/memory.ts';
import type { OpSpec, StepFn } from './common.ts';
import { finish, wholeFile } from './common.ts';

/**
 * kvm_set_memslot(DELETE) under slots_lock: the slot is invalidated and its SPTEs zapped
 * (kvm_arch_flush_shadow_memslot; faults that saw the old memslot retry, modelled as a
 * mmu_invalidate_seq bump), then kvm_free_memslot() -> kvm_gmem_unbind(): under
 * filemap_invalidate_lock, xa_store_range(&gmem->bindings, ..., NULL). unbindDyingFile false
 * (pre-fix): kvm_gmem_get_file() fails on a dying file and the binding stays, pointing at the
 * freed memslot until kvm_gmem_release() walks it. Mainline kvm_gmem_unbind() touches no RMP
 * entry; the proposal's binding lifetimes reclaim here (unbindMemory).
 */
const unbindStep: StepFn = (s, t, a, ctx) => {
  if (!lockFree(s.invalidateLock) || !lockFree(s.slotsLock)) return undefined;
  return produce(s, (d) => {
    const v = d.vms[t.vm];
    zapAll(d, t.vm, ctx);
    v.seq += 1;
    if (v.binding && !(v.file === 'dying' && !ctx.design.unbindDyingFile)) {
      v.binding = false;
      unbindMemory(d, t.vm, ctx);
    }
    v.memslot = false;
    finish(d, a.slot);
  });
};

export const unbind: OpSpec = {
  op: 'unbind',
  available: () => true,
  // KVM_SET_USER_MEMORY_REGION2 is a VM ioctl: on a dead VM (kvm->vm_dead) kvm_vm_ioctl()
  // returns -EIO (virt/kvm/kvm_main.c), so a bugged or migrated-away VM keeps its memslot.
  starts: (s, ctx) => s.vms.flatMap((v, vm) => (v.alive && !v.bugged && v.memslot ? [wholeFile(vm, ctx.bounds.pages)] : [])),
  first: () => 'kvm_gmem_unbind',
  steps: { kvm_gmem_unbind: unbindStep },
  actor: () => 'KVM',
};
