/**
 * munmap() of userspace's mapping of a guest_memfd index (in-place designs): the mmap_lock
 * writer of the model. Any index of the mapping may be unmapped, with or without a PTE there.
 */
import { produce } from '../draft.ts';
import { mmapWritable, slotBit } from '../kernel/locks.ts';
import { dropUserRef } from '../kernel/memory.ts';
import type { OpSpec, StepFn } from './common.ts';
import { finish, goto, perIndex } from './common.ts';

/**
 * mmap_write_lock() (down_write, kernel/locking/rwsem.c): the writer joins the lock's wait queue;
 * from here mmap_read_lock() callers queue behind it (writer fairness) until it has run.
 */
const queue: StepFn = (s, _t, a) =>
  produce(s, (d) => {
    d.mmapWritersQueued |= slotBit(a.slot);
    goto(d, a.slot, 'do_vmi_munmap');
  });

/**
 * Granted once no reader and no writer holds mmap_lock: do_vmi_munmap() -> unmap_region(): the
 * PTE's reference goes (zap_pte_range); mmap_write_unlock().
 */
const unmap: StepFn = (s, t, a, ctx) => {
  if (!mmapWritable(s)) return undefined;
  return produce(s, (d) => {
    d.mmapWritersQueued &= ~slotBit(a.slot);
    dropUserRef(d, 'umap', t.lo, ctx);
    finish(d, a.slot);
  });
};

export const munmap: OpSpec = {
  op: 'munmap',
  available: (design) => design.inPlaceConversion,
  starts: (_s, ctx) => perIndex(ctx.bounds.pages, () => true),
  first: () => 'mmap_write_lock',
  steps: { mmap_write_lock: queue, do_vmi_munmap: unmap },
  actor: () => 'userspace',
};
