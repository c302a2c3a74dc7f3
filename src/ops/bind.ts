/**
 * Memslot creation with a guest_memfd: KVM_SET_USER_MEMORY_REGION2 with KVM_MEM_GUEST_MEMFD ->
 * kvm_set_memory_region() (virt/kvm/kvm_main.c): kvm_prepare_memory_region() ->
 * kvm_gmem_bind() (virt/kvm/guest_memfd.c), then kvm_create_memslot(). Re-creates a memslot of
 * the layout that was deleted (ops/unbind.ts); a deletion then a bind at another base is the
 * only way to move a guest_memfd memslot.
 */
import { produce } from '../draft.ts';
import { lockFree } from '../kernel/locks.ts';
import { bindingGfnRange, slotLayout, summarise } from '../kernel/memslots.ts';
import { clearPartialTail } from '../kernel/lpage-info.ts';
import { chunkMixed } from '../kernel/mmu.ts';
import type { OpSpec, StepFn } from './common.ts';
import { finish, goto } from './common.ts';

/**
 * mutex_lock(&kvm->slots_lock); kvm_gmem_bind(): filemap_invalidate_lock(); if
 * xa_find(&f->bindings, &start, end - 1, XA_PRESENT) finds a binding, -EEXIST (ranges of one
 * file never overlap); xa_store_range(&f->bindings, start, end - 1, slot);
 * filemap_invalidate_unlock(). The memslot is not yet in the active memslots.
 */
const bindStep: StepFn = (s, t, a, ctx) => {
  if (!lockFree(s.slotsLock) || !lockFree(s.invalidateLock)) return undefined;
  return produce(s, (d) => {
    const v = d.vms[t.vm];
    const sl = v.slots[t.dom];
    const overlaps = v.slots.some((o, k) => k !== t.dom && o.bound && bindingGfnRange(o, t.lo, t.hi));
    // kvm_set_memory_region(): the new base_gfn (moved by slotMove where t.priv); a gfn range
    // that meets another memslot of the VM is -EEXIST (kvm_check_memslot_overlap).
    const base = slotLayout(ctx.bounds)[t.dom].base + (t.priv ? ctx.bounds.slotMove : 0);
    const gfnsTaken = v.slots.some(
      (o, k) => k !== t.dom && o.state !== 'none' && base < o.base + o.npages && o.base < base + sl.npages,
    );
    if ((overlaps && ctx.design.bindChecksOverlap) || gfnsTaken || v.file !== 'open') {
      finish(d, a.slot); // -EEXIST / -EINVAL (kvm_gmem_get_file fails on a file going away)
      return;
    }
    sl.base = base;
    d.slotsLock = a.slot;
    sl.pgoff = t.lo; // guest_memfd_offset / PAGE_SIZE
    sl.state = 'new';
    sl.bound = true;
    summarise(v);
    goto(d, a.slot, 'kvm_create_memslot');
  });
};

/**
 * kvm_create_memslot() -> kvm_replace_memslot(), kvm_swap_active_memslots(): the memslot is
 * live; its lpage mixed flags come from the attributes (kvm_mmu_init_memslot_memory_attributes,
 * kept current in the model: kernel/memslots.ts chunkInOneSlot); mutex_unlock(&kvm->slots_lock).
 */
const createStep: StepFn = (s, t, a, ctx) =>
  produce(s, (d) => {
    const v = d.vms[t.vm];
    const sl = v.slots[t.dom];
    sl.state = 'live';
    // kvm_mmu_init_memslot_memory_attributes(): each chunk wholly in the memslot is mixed iff its
    // gfns' attributes differ (KVM's own attributes; none where guest_memfd owns them).
    const n = ctx.bounds.folioPages;
    for (let j = Math.floor(sl.base / n); n * j + n <= sl.base + sl.npages; j++) {
      if (n * j >= sl.base && v.private.length > 0) v.mixed[j] = chunkMixed(v.private, j, n);
    }
    if (!ctx.design.lpageHeadInSlot) clearPartialTail(v, sl); // only the pre-fix head path flags it
    summarise(v);
    d.slotsLock = -1;
    finish(d, a.slot);
  });

export const bind: OpSpec = {
  op: 'bind',
  available: () => true,
  // A VM ioctl on a live VM whose own file is open; one start per deleted memslot of the layout
  // (its base_gfn and size) and per guest_memfd_offset the layout's memslots use, the indices
  // [lo, hi) it would bind; `dom` is the memslot's number, `priv` a base_gfn moved by slotMove.
  starts: (s, ctx) =>
    s.vms.flatMap((v, vm) =>
      v.alive && !v.bugged && v.file === 'open'
        ? v.slots.flatMap((sl, k) =>
            sl.state === 'none' && !sl.bound
              ? [...new Set(slotLayout(ctx.bounds).map((l) => l.pgoff))]
                  .filter((p) => p + sl.npages <= ctx.bounds.pages)
                  .flatMap((p) =>
                    (ctx.bounds.slotMove > 0 ? [false, true] : [false]).map((moved) => ({
                      vm,
                      lo: p,
                      hi: p + sl.npages,
                      priv: moved,
                      dom: k,
                    })),
                  )
              : [],
          )
        : [],
    ),
  first: () => 'kvm_gmem_bind',
  steps: { kvm_gmem_bind: bindStep, kvm_create_memslot: createStep },
  actor: () => 'KVM',
};
