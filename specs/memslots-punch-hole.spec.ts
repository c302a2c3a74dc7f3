/**
 * Two memslots of one file invalidated by one PUNCH_HOLE racing two faults:
 * __kvm_gmem_invalidate_begin walks the file's bindings, begins once per VM and adds each
 * binding's gfn range (kvm_mmu_unmap_gfn_range -> kvm_mmu_invalidate_range_add); a fault's retry
 * check (mmu_invalidate_retry_gfn) sees the union. The guest_memfd series v12's range_add kept
 * only the last binding's range while one invalidation was in progress (Xu Yilun, reply to v12
 * 03/33; fixed before 8569992d64b8).
 */
import { gmemSpec } from '../src/spec.ts';

export default gmemSpec({
  title: 'One PUNCH_HOLE over two memslots of one file, racing two faults',
  question:
    'Can a fault in the first memslot install a mapping of a page PUNCH_HOLE is freeing, because the invalidation range kept only the second memslot?',
  bounds: { pages: 2, memslots: 2, ranges: 'all', inFlight: 3, ops: { fault: 2, punchHole: 1 } },
  designs: ['upstream', 'in-place', 'context-layer', 'no-range-union-memslots'],
  properties: [
    'no-mapping-of-freed-memory',
    'spte-matches-translation',
    'invalidation-reaches-every-binding',
    'no-stale-mapping-during-invalidation',
    'invalidations-balanced',
    'every-operation-ends',
    'no-deadlock',
    'fault-retries-after-invalidation',
  ],
  unlike: {
    'no-range-union-memslots': {
      'no-mapping-of-freed-memory': 'violated',
      'spte-matches-translation': 'violated',
      'invalidation-reaches-every-binding': 'violated',
      'no-stale-mapping-during-invalidation': 'violated',
    },
  },
});
