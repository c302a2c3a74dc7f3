/**
 * A memslot whose base_gfn is not huge-aligned, beside another memslot of the same file, and a
 * huge mapping across a conversion: KVM_SET_MEMORY_ATTRIBUTES walks the memslots one by one
 * (kvm_handle_gfn_range), clips the range to each, adds each clipped range, the straddling huge
 * chunk wholly inside a memslot (kvm_arch_pre_set_memory_attributes, 9129633d568e) and zaps;
 * lpage_info's mixed flags live only for chunks wholly inside one memslot.
 * Layout: index 0 at gfn 0x1 (memslot 0), indices 1-2 at gfns 0x2-0x3 (memslot 1): the chunk
 * gfn 0x0-0x1 straddles memslot 0's start, gfn 0x2-0x3 lies wholly in memslot 1.
 */
import { gmemSpec } from '../src/spec.ts';

export default gmemSpec({
  title: 'An unaligned memslot and a huge mapping across a conversion',
  question:
    'With two memslots, the first at an odd base_gfn, can a conversion over both leave a huge or stale mapping of the old type?',
  bounds: {
    pages: 3,
    memslots: 2,
    slotBase: 1,
    ranges: 'pairs',
    initiallyShared: true,
    inFlight: 2,
    ops: { fault: 2, convert: 1 },
  },
  designs: [
    'upstream',
    'upstream-thp',
    'context-layer',
    'no-straddle-invalidation',
    'no-mixed-attributes-check',
    'no-range-union',
  ],
  properties: [
    'mapping-level-fits',
    'spte-matches-translation',
    'no-shared-access-to-private',
    'no-private-access-after-shared-conversion',
    'no-stale-mapping-during-invalidation',
    'invalidation-reaches-every-binding',
    'invalidations-balanced',
    'every-operation-ends',
    'no-deadlock',
    'huge-mapping-installed',
  ],
  unlike: {
    // Mainline's memslot memory is 4K here (upstream-thp backs it with THP): nothing maps huge.
    upstream: { 'huge-mapping-installed': 'unsatisfied' },
    'context-layer': { 'huge-mapping-installed': 'unsatisfied' },
    // Before 9129633d568e: converting gfn 0x3 adds only [0x3, 0x4), so a shared fault at gfn 0x2
    // maps the chunk gfn 0x2-0x3 (wholly in memslot 1) huge while gfn 0x3 turns private.
    'no-straddle-invalidation': {
      'no-shared-access-to-private': 'violated',
      'mapping-level-fits': 'violated',
      'no-stale-mapping-during-invalidation': 'violated',
      'invalidation-reaches-every-binding': 'violated',
    },
    // Without the mixed flag a fault maps the chunk in memslot 1 huge over two attributes.
    'no-mixed-attributes-check': {
      'mapping-level-fits': 'violated',
      'no-shared-access-to-private': 'violated',
    },
    // v12's range_add: a conversion of gfns [0x1, 0x3) adds memslot 0's [0x1, 0x2), then memslot
    // 1's [0x2, 0x3) and its straddling chunk over it: only the last is remembered, so a shared
    // fault at gfn 0x1 that read the old attribute installs during the conversion to private.
    'no-range-union': {
      'no-shared-access-to-private': 'violated',
      'no-stale-mapping-during-invalidation': 'violated',
      'invalidation-reaches-every-binding': 'violated',
    },
  },
});
