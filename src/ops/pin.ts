/**
 * GUP pins of guest_memfd memory through userspace's mapping (VFIO, iommufd
 * IOMMU_IOAS_MAP_FILE): pin_user_pages(FOLL_LONGTERM) and unpin_user_page() (in-place designs).
 */
import { produce } from '../draft.ts';
import type { Design } from '../design.ts';
import { mmapReadable } from '../kernel/locks.ts';
import { dropUserRef, getRef } from '../kernel/memory.ts';
import type { OpSpec, StepFn } from './common.ts';
import { finish, perIndex } from './common.ts';

const inPlace = (design: Design) => design.inPlaceConversion;

/**
 * pin_user_pages(FOLL_LONGTERM) through the mapping, under mmap_read_lock() for the one step (it
 * waits while a writer holds mmap_lock or is queued): a folio reference.
 */
const pinStep: StepFn = (s, t, a) => {
  if (!mmapReadable(s) || s.umap[t.lo] < 0 || s.pin[t.lo] >= 0) return undefined;
  return produce(s, (d) => {
    d.pin[t.lo] = s.umap[t.lo];
    getRef(d, s.umap[t.lo]);
    finish(d, a.slot);
  });
};

export const pin: OpSpec = {
  op: 'pin',
  available: inPlace,
  starts: (s, ctx) => perIndex(ctx.bounds.pages, (i) => s.umap[i] >= 0 && s.pin[i] < 0),
  first: () => 'pin_user_pages',
  steps: { pin_user_pages: pinStep },
  actor: () => 'userspace',
};

/** unpin_user_page(): the pin's reference goes (the folio may be freed now). */
const unpinStep: StepFn = (s, t, a, ctx) => {
  if (s.pin[t.lo] < 0) return undefined;
  return produce(s, (d) => {
    dropUserRef(d, 'pin', t.lo, ctx);
    finish(d, a.slot);
  });
};

export const unpin: OpSpec = {
  op: 'unpin',
  available: inPlace,
  starts: (s, ctx) => perIndex(ctx.bounds.pages, (i) => s.pin[i] >= 0),
  first: () => 'unpin_user_page',
  steps: { unpin_user_page: unpinStep },
  actor: () => 'userspace',
};
