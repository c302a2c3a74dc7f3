/**
 * Memslot deletion: KVM_SET_USER_MEMORY_REGION2 with memory_size 0 -> kvm_set_memslot(KVM_MR_DELETE)
 * (virt/kvm/kvm_main.c) -> kvm_invalidate_memslot(), kvm_delete_memslot(), kvm_free_memslot() ->
 * kvm_gmem_unbind() (virt/kvm/guest_memfd.c). A guest_memfd memslot cannot be moved
 * (kvm_set_memory_region returns -EINVAL for KVM_MEM_GUEST_MEMFD on a change of base_gfn): a
 * move is this deletion and a new bind (ops/bind.ts).
 */
import { produce } from '../draft.ts';
import { lockFree } from '../kernel/locks.ts';
import { zap } from '../kernel/mmu.ts';
import { unbindMemory } from '../kernel/memory.ts';
import { summarise } from '../kernel/memslots.ts';
import type { OpSpec, StepFn } from './common.ts';
import { finish } from './common.ts';

/**
 * kvm_set_memslot(DELETE) under slots_lock: the slot is invalidated and its SPTEs zapped
 * (kvm_arch_flush_shadow_memslot; faults that saw the old memslot retry, modelled as a
 * mmu_invalidate_seq bump), then kvm_free_memslot() -> kvm_gmem_unbind(): under
 * filemap_invalidate_lock, xa_store_range(&gmem->bindings, ..., NULL). unbindDyingFile false
 * (pre-fix): kvm_gmem_get_file() fails on a dying file and the binding stays, pointing at the
 * freed memslot until kvm_gmem_release() walks it.
 */
const unbindStep: StepFn = (s, t, a, ctx) => {
  if (!lockFree(s.invalidateLock) || !lockFree(s.slotsLock)) return undefined;
  return produce(s, (d) => {
    const v = d.vms[t.vm];
    const sl = v.slots[t.dom];
    zap(d, t.vm, sl.base, sl.base + sl.npages, () => true, ctx, { want: false, done: false });
    v.seq += 1;
    sl.state = 'none';
    if (sl.bound && !(v.file === 'dying' && !ctx.design.unbindDyingFile)) sl.bound = false;
    const wasBound = v.binding;
    summarise(v);
    // The proposal's binding lifetime: the RMP entries go with the VM's last binding.
    if (wasBound && !v.binding) unbindMemory(d, t.vm, ctx);
    finish(d, a.slot);
  });
};

export const unbind: OpSpec = {
  op: 'unbind',
  available: () => true,
  // KVM_SET_USER_MEMORY_REGION2 is a VM ioctl: on a dead VM (kvm->vm_dead) kvm_vm_ioctl()
  // returns -EIO (virt/kvm/kvm_main.c), so a bugged or migrated-away VM keeps its memslots.
  // The thread's range is the memslot's gfns, `dom` its number.
  starts: (s) => s.vms.flatMap((v, vm) => (v.alive && !v.bugged
    ? v.slots.flatMap((sl, k) => (sl.state === 'live' ? [{ vm, lo: sl.base, hi: sl.base + sl.npages, priv: false, dom: k }] : []))
    : [])),
  first: () => 'kvm_gmem_unbind',
  steps: { kvm_gmem_unbind: unbindStep },
  actor: () => 'KVM',
};
