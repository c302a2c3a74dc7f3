/**
 * Memslot deletion racing PUNCH_HOLE: kvm_gmem_punch_hole() holds filemap_invalidate_lock from
 * kvm_gmem_invalidate_begin() to kvm_gmem_invalidate_end() ("Bindings must be stable across
 * invalidation to ensure the start+end are balanced"); the begin raises
 * mmu_invalidate_in_progress of every VM with a binding in range, the end lowers it only where
 * xa_find() still finds one. kvm_gmem_unbind() stores NULL over the binding under the same lock.
 * The memslot may be created again (kvm_gmem_bind) and faulted on.
 */
import { gmemSpec } from '../src/spec.ts';

export default gmemSpec({
  title: 'Memslot deletion racing PUNCH_HOLE',
  question:
    'Can a memslot deleted while PUNCH_HOLE invalidates it leave mmu_invalidate_in_progress raised, so that every later fault retries?',
  bounds: { pages: 2, ops: { fault: 1, punchHole: 1, unbind: 1, bind: 1 } },
  designs: ['upstream', 'in-place', 'unbind-without-invalidate-lock'],
  properties: [
    'invalidations-balanced',
    'no-mapping-of-freed-memory',
    'no-stale-mapping-during-invalidation',
    'invalidation-reaches-every-binding',
    'every-operation-ends',
    'no-deadlock',
  ],
  unlike: {
    'unbind-without-invalidate-lock': {
      'invalidations-balanced': 'violated',
    },
  },
});
