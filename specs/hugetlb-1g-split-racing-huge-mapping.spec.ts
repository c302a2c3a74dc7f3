/**
 * The 1G HugeTLB series (RFC v2) at its own page size: one huge page of 4 pages (folioPages 4,
 * the model's one huge level standing for the 1G page), a conversion to shared of part of it,
 * and back to private, racing a vCPU fault that maps the huge folio huge. The question of
 * hugetlb-split-racing-huge-mapping (two 2-page huge pages) inside one huge page: the conversion
 * of one or two indices must begin the invalidation over all four gfns
 * (kvm_gmem_compute_invalidate_start / _end round to the folio), split the whole folio once
 * folio_ref_freeze sees only the filemap's references, and on TDX demote the huge S-EPT leaf the
 * range covers in part. 1 VM, 2 operations in flight.
 */
import { gmemSpec } from '../src/spec.ts';
import { splitRacingHugeMapping } from './hugetlb-split-racing-huge-mapping.spec.ts';

export default gmemSpec({
  title: 'A 1G folio split racing a 1G mapping',
  question:
    'With one 4-page huge folio (the 1G page), can a conversion of part of it split or merge it under a fault that maps it huge, or leave a huge entry over the split folio?',
  bounds: { pages: 4, folioPages: 4, initiallyShared: false, ranges: 'pairs', ops: { fault: 1, convert: 2 } },
  ...splitRacingHugeMapping,
});
