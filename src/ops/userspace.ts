/**
 * Userspace: the mmap of a guest_memfd (in-place designs: shared indices only), munmap, GUP pins
 * (VFIO, iommufd IOMMU_IOAS_MAP_FILE) and closing the fd. Userspace maps VM 0's file.
 */
import { produce } from './draft.ts';
import type { OpSpec, StepFn } from './common.ts';
import { finish, goto, lockFree } from './common.ts';
import { getFolio, getRef, putRef, zeroFolio } from './memory.ts';
import { release } from './gmem.ts';

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

const userOnly = (design: { inPlaceConversion: boolean }) => design.inPlaceConversion;

function perIndex(pages: number, ok: (i: number) => boolean) {
  const out = [];
  for (let i = 0; i < pages; i++) if (ok(i)) out.push({ vm: 0, lo: i, hi: i + 1, priv: false, dom: 0 });
  return out;
}

export const mmapFault: OpSpec = {
  op: 'mmapFault',
  available: (design) => design.inPlaceConversion,
  starts: (s, ctx) => (s.vms[0].file === 'open' ? perIndex(ctx.bounds.pages, (i) => s.umap[i] < 0) : []),
  first: () => 'lock_mm_and_find_vma',
  steps: { lock_mm_and_find_vma: mmapLock, kvm_gmem_fault_user_mapping: userFault },
  actor: (step) => (step === 'kvm_gmem_fault_user_mapping' ? 'guest_memfd' : 'userspace'),
};

/** munmap() -> zap_page_range_single() under mmap_write_lock(): the PTE's reference goes. */
const munmapStep: StepFn = (s, t, a, ctx) => {
  if (!lockFree(s.mmapLock, a.slot) || s.umap[t.lo] < 0) return undefined;
  return produce(s, (d) => {
    const p = d.umap[t.lo];
    d.umap[t.lo] = -1;
    putRef(d, p, ctx);
    finish(d, a.slot);
  });
};

export const munmap: OpSpec = {
  op: 'munmap',
  available: userOnly,
  starts: (s, ctx) => perIndex(ctx.bounds.pages, (i) => s.umap[i] >= 0),
  first: () => 'munmap',
  steps: { munmap: munmapStep },
  actor: () => 'userspace',
};

/** pin_user_pages(FOLL_LONGTERM) through the mapping (mmap_lock held): a folio reference. */
const pinStep: StepFn = (s, t, a) => {
  if (!lockFree(s.mmapLock, a.slot) || s.umap[t.lo] < 0 || s.pin[t.lo] >= 0) return undefined;
  return produce(s, (d) => {
    d.pin[t.lo] = s.umap[t.lo];
    getRef(d, s.umap[t.lo]);
    finish(d, a.slot);
  });
};

export const pin: OpSpec = {
  op: 'pin',
  available: userOnly,
  starts: (s, ctx) => perIndex(ctx.bounds.pages, (i) => s.umap[i] >= 0 && s.pin[i] < 0),
  first: () => 'pin_user_pages',
  steps: { pin_user_pages: pinStep },
  actor: () => 'userspace',
};

/** unpin_user_page(): the pin's reference goes (the folio may be freed now). */
const unpinStep: StepFn = (s, t, a, ctx) => {
  if (s.pin[t.lo] < 0) return undefined;
  return produce(s, (d) => {
    const p = d.pin[t.lo];
    d.pin[t.lo] = -1;
    putRef(d, p, ctx);
    finish(d, a.slot);
  });
};

export const unpin: OpSpec = {
  op: 'unpin',
  available: userOnly,
  starts: (s, ctx) => perIndex(ctx.bounds.pages, (i) => s.pin[i] >= 0),
  first: () => 'unpin_user_page',
  steps: { unpin_user_page: unpinStep },
  actor: () => 'userspace',
};

/**
 * close(fd) -> fput(): the last reference of the file (an mmap holds one through vma->vm_file,
 * so VM 0's file closes only once unmapped). From here get_file_active() fails; __fput() will
 * call kvm_gmem_release() (guest_memfd.ts), a separate step that memslot deletion can race.
 */
const fput: StepFn = (s, t, a) =>
  produce(s, (d) => {
    d.vms[t.vm].file = 'dying';
    goto(d, a.slot, 'kvm_gmem_release');
  });

export const close: OpSpec = {
  op: 'close',
  available: () => true,
  starts(s, ctx) {
    const out = [];
    for (let vm = 0; vm < s.vms.length; vm++) {
      if (s.vms[vm].file !== 'open') continue;
      if (vm === 0 && s.umap.some((p) => p >= 0)) continue;
      out.push({ vm, lo: 0, hi: ctx.bounds.pages, priv: false, dom: 0 });
    }
    return out;
  },
  first: () => 'fput',
  steps: { fput, kvm_gmem_release: release },
  actor: (step) => (step === 'fput' ? 'userspace' : 'guest_memfd'),
};
