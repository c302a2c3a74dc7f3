/**
 * Memslot deletion racing a conversion, with the memslot created again: kvm_set_memslot(DELETE)
 * marks the slot KVM_MEMSLOT_INVALID, waits for faults in their SRCU section
 * (synchronize_srcu), zaps the slot (kvm_arch_flush_shadow_memslot) and unbinds it
 * (kvm_gmem_unbind, under invalidate_lock); a new KVM_SET_USER_MEMORY_REGION2 binds it again
 * (kvm_gmem_bind refuses a range the file already binds) at any offset the layout uses, at its
 * own base_gfn or two gfns higher (slotMove: a guest_memfd memslot moves by deletion and creation).
 */
import { gmemSpec } from '../src/spec.ts';

export default gmemSpec({
  title: 'Memslot deletion, re-creation and move racing a conversion',
  question:
    'Can deleting a memslot and binding it again, while a conversion and a fault run, leave two bindings of one index, or an SPTE that its memslot no longer translates to?',
  bounds: {
    pages: 2,
    memslots: 2,
    slotMove: 2,
    ranges: 'all',
    inFlight: 3,
    ops: { fault: 1, convert: 1, unbind: 1, bind: 1 },
  },
  designs: ['upstream', 'in-place', 'context-layer', 'bind-no-overlap-check'],
  properties: [
    'bindings-do-not-overlap',
    'spte-matches-translation',
    'invalidation-reaches-every-binding',
    'no-private-access-after-shared-conversion',
    'no-shared-access-to-private',
    'no-mapping-of-freed-memory',
    'invalidations-balanced',
    'every-operation-ends',
    'no-deadlock',
  ],
  unlike: {
    'bind-no-overlap-check': { 'bindings-do-not-overlap': 'violated' },
  },
});
