/**
 * Memslots against the file: a binding does not pin the file, so kvm_gmem_unbind() must erase
 * the bindings even when the file is dying (its last fput done, kvm_gmem_release() not yet run).
 */
import { gmemSpec } from '../src/spec.ts';

export default gmemSpec({
  title: 'Memslot deletion racing the file release',
  question: 'Can a memslot be deleted while the dying guest_memfd file still binds it?',
  bounds: { pages: 2, ops: { fault: 2, convert: 1, close: 1, unbind: 1 } },
  designs: ['upstream', 'in-place', 'unbind-skips-dying-file'],
  properties: [
    'no-mapping-of-freed-memory',
    'no-private-access-after-shared-conversion',
    'invalidations-balanced',
    'every-operation-ends',
    'no-deadlock',
  ],
  unlike: {
    'unbind-skips-dying-file': {
      'no-mapping-of-freed-memory': 'violated',
    },
  },
});
