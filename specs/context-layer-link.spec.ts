/**
 * The seed thread's kvm_gmem_context (2025-07-09): guest_memfd calls one context per VM with
 * index ranges, the context translates them through its memslots' bindings, and linking moves
 * the context to another VM. Here the file is linked to a second VM, the first VM's file is
 * closed and the first VM destroyed, while a fault and a PUNCH_HOLE run.
 */
import { gmemSpec } from '../src/spec.ts';

export default gmemSpec({
  title: 'A file linked to a second VM through the context layer, the first VM destroyed',
  question:
    'Once the context moves to the second VM and the first is destroyed, does every invalidation still reach every mapping of the file?',
  bounds: {
    pages: 2,
    vms: 2,
    memslots: 2,
    ranges: 'all',
    inFlight: 3,
    ops: { link: 1, fault: 1, punchHole: 1, close: 1, destroyVm: 1 },
  },
  designs: ['upstream', 'context-layer', 'context-move-no-invalidate', 'upstream-linking'],
  properties: [
    'no-mapping-of-freed-memory',
    'spte-matches-translation',
    'invalidation-reaches-every-binding',
    'no-stale-mapping-during-invalidation',
    'invalidations-balanced',
    'every-operation-ends',
    'no-deadlock',
  ],
  unlike: {
    // The source keeps its SPTEs (and installs a fault it had in flight) through memslots no
    // longer bound; PUNCH_HOLE then reaches the destination's context only.
    'context-move-no-invalidate': {
      'no-mapping-of-freed-memory': 'violated',
      'spte-matches-translation': 'violated',
    },
  },
});
