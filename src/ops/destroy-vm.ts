/**
 * VM destruction: kvm_destroy_vm() (virt/kvm/kvm_main.c), once the VM's last reference is gone.
 */
import { produce } from '../draft.ts';
import { anyThread } from '../state.ts';
import { zapAll } from '../kernel/mmu.ts';
import { unbindMemory } from '../kernel/memory.ts';
import { summarise } from '../kernel/memslots.ts';
import type { OpSpec, StepFn } from './common.ts';
import { finish, wholeFile } from './common.ts';

/**
 * kvm_destroy_vm(), once the last reference is gone (the VM fd, and every guest_memfd file:
 * each pins its VM until kvm_gmem_release): kvm_arch_flush_shadow_all() zaps every SPTE (a TD's
 * private ones through the S-EPT removal), kvm_free_memslots() deletes the memslot. Mainline
 * touches no RMP entry of guest_memfd pages here (sev_vm_destroy only decommissions the ASID);
 * the proposal's binding lifetimes reclaim at this end of the binding (unbindMemory).
 */
const destroyStep: StepFn = (s, t, a, ctx) =>
  produce(s, (d) => {
    zapAll(d, t.vm, ctx);
    const v = d.vms[t.vm];
    const wasBound = v.binding;
    for (const sl of v.slots) {
      sl.state = 'none';
      sl.bound = false;
    }
    summarise(v);
    if (wasBound) unbindMemory(d, t.vm, ctx);
    v.alive = false;
    finish(d, a.slot);
  });

export const destroyVm: OpSpec = {
  op: 'destroyVm',
  available: () => true,
  starts: (s, ctx) =>
    s.vms.flatMap((v, vm) =>
      v.alive &&
      (v.file === 'none' || v.file === 'released') &&
      !anyThread(s, (th) => th.vm === vm && th.op !== 'close')
        ? [wholeFile(vm, ctx.bounds.pages)]
        : [],
    ),
  first: () => 'kvm_destroy_vm',
  steps: { kvm_destroy_vm: destroyStep },
  actor: () => 'KVM',
};
