/**
 * The RMP reclaim work item of designs with rmpReclaim 'deferred' (no kernel counterpart).
 */
import { produce } from '../draft.ts';
import { snpMakeShared } from '../kernel/snp.ts';
import type { OpSpec, StepFn } from './common.ts';
import { finish } from './common.ts';

/**
 * rmpReclaim 'deferred' (the thread's "deferring work to a work queue"): a work item reclaims the
 * RMP entries of freed pfns later (rmp_make_shared + flush). Until it runs, the host allocator
 * holds pages the guest's ASID still owns.
 */
const reclaimWork: StepFn = (s, t, a, ctx) =>
  produce(s, (d) => {
    const pages = d.pfns.map((p, k) => (p.rmpPending ? k : -1)).filter((k) => k >= 0);
    snpMakeShared(d, pages, ctx, 'arch');
    finish(d, a.slot);
  });

export const rmpReclaimWork: OpSpec = {
  op: 'rmpReclaimWork',
  available: (design) => design.arch === 'snp' && design.rmpReclaim === 'deferred',
  starts: (s) => (s.pfns.some((p) => p.rmpPending) ? [{ vm: 0, lo: 0, hi: 0, priv: false, dom: 0 }] : []),
  first: () => 'rmp_reclaim_work',
  steps: { rmp_reclaim_work: reclaimWork },
  actor: () => 'arch',
};
