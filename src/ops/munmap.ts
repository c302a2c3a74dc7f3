/**
 * munmap() of userspace's mapping of a guest_memfd index (in-place designs).
 */
import { produce } from '../draft.ts';
import { lockFree } from '../kernel/locks.ts';
import { dropUserRef } from '../kernel/memory.ts';
import type { OpSpec, StepFn } from './common.ts';
import { finish, perIndex } from './common.ts';

/** munmap() -> zap_page_range_single() under mmap_write_lock(): the PTE's reference goes. */
const munmapStep: StepFn = (s, t, a, ctx) => {
  if (!lockFree(s.mmapLock, a.slot) || s.umap[t.lo] < 0) return undefined;
  return produce(s, (d) => {
    dropUserRef(d, 'umap', t.lo, ctx);
    finish(d, a.slot);
  });
};

export const munmap: OpSpec = {
  op: 'munmap',
  available: (design) => design.inPlaceConversion,
  starts: (s, ctx) => perIndex(ctx.bounds.pages, (i) => s.umap[i] >= 0),
  first: () => 'munmap',
  steps: { munmap: munmapStep },
  actor: () => 'userspace',
};
