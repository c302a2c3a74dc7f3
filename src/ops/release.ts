/**
 * kvm_gmem_release() (virt/kvm/guest_memfd.c): the second step of close, once the file's last
 * fput() ran (close.ts). Memslot deletion and VM destruction can race it.
 */
import { produce } from '../draft.ts';
import { lockFree } from '../kernel/locks.ts';
import { truncateRange, unbindMemory } from '../kernel/memory.ts';
import { hugetlbEvictInode } from '../kernel/hugetlb.ts';
import { invalidateEnd, invalidateRangeAdd, zap } from '../kernel/mmu.ts';
import { bindingsIn, summarise } from '../kernel/memslots.ts';
import { iommuInvalidate } from '../kernel/iommu.ts';
import type { StepFn } from './common.ts';
import { finish } from './common.ts';

/**
 * kvm_gmem_release(): mutex_lock(&kvm->slots_lock); filemap_invalidate_lock(); for each binding:
 * kvm_gmem_invalidate_begin/end (zap this VM's SPTEs of the file), slot->gmem.file = NULL
 * (rmpLifetime 'binding': the proposal reclaims the RMP here); unlink from the inode;
 * kvm_put_kvm(). The memory stays with the inode until the last file goes (then the inode is
 * evicted: truncate_inode_pages_final).
 */
export const release: StepFn = (s, t, a, ctx) => {
  if (!lockFree(s.invalidateLock) || !lockFree(s.slotsLock)) return undefined;
  return produce(s, (d) => {
    const v = d.vms[t.vm];
    if (v.binding) {
      // kvm_gmem_release(): __kvm_gmem_invalidate_begin(f, 0, -1ul) over this file's bindings
      // only (each binding's gfn range, every SPTE), then __kvm_gmem_invalidate_end; each
      // binding's slot->gmem.file = NULL and the bindings xarray destroyed.
      const all = { slots: s.vms[t.vm].slots };
      v.inProgress += 1;
      for (const b of bindingsIn(all, 0, ctx.bounds.pages)) {
        invalidateRangeAdd(d, t.vm, b.lo, b.hi, ctx);
        zap(d, t.vm, b.lo, b.hi, () => true, ctx, { want: false, done: false });
      }
      invalidateEnd(d, t.vm);
      for (const sl of v.slots) sl.bound = false;
      summarise(v);
      unbindMemory(d, t.vm, ctx);
    }
    v.file = 'released';
    if (!d.vms.some((w) => w.file === 'open' || w.file === 'dying')) {
      // The last file: the inode goes (kvm_gmem_evict_inode -> truncate_inode_pages_final), and
      // the IOMMU, which holds no folio reference, must hear of it like of any truncation.
      if (ctx.design.notify.iommu) iommuInvalidate(d, 0, ctx.bounds.pages, () => true);
      // The 1G series: the mapping is exiting, its folios are truncated as they are (no merge).
      if (ctx.design.hugetlb) hugetlbEvictInode(d, ctx);
      else truncateRange(d, 0, ctx.bounds.pages, ctx);
    }
    finish(d, a.slot);
  });
};
