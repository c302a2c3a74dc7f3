/**
 * fallocate(PUNCH_HOLE) against a vCPU fault and an IOMMU map: kvm_gmem_punch_hole() runs the
 * invalidation over every binding before truncate_inode_pages_range() drops the filemap's
 * reference; whoever it does not notify may keep a mapping to a page that goes back to the host.
 */
import { gmemSpec } from '../src/spec.ts';

export default gmemSpec({
  title: 'Truncation racing a fault and an IOMMU map',
  question: 'Can a stage-2 or IOMMU mapping outlive the page that fallocate(PUNCH_HOLE) freed under it?',
  bounds: { pages: 2, ops: { fault: 2, punchHole: 1, iommuMap: 1 }, initiallyShared: true },
  designs: [
    'upstream',
    'in-place',
    'in-place-iommu',
    'thread-proposal',
    'thread-proposal-iommu-map-unlocked',
    'iommu-no-notify',
    'zap-private-only',
  ],
  properties: [
    'no-mapping-of-freed-memory',
    'no-stale-mapping-during-invalidation',
    'no-shared-access-to-private',
    'invalidations-balanced',
    'private-iommu-maps-tee-page',
    'every-operation-ends',
    'no-deadlock',
    'fault-retries-after-invalidation',
  ],
  unlike: {
    // Only a race: the IOMMU map's page looked up under invalidate_lock shared, PUNCH_HOLE's
    // notifier finds no IOMMU mapping yet, the map lands after the unlock, and the truncate
    // frees the page it maps.
    'thread-proposal-iommu-map-unlocked': {
      'no-mapping-of-freed-memory': 'violated',
    },
    'iommu-no-notify': {
      'no-mapping-of-freed-memory': 'violated',
    },
    'zap-private-only': {
      'no-mapping-of-freed-memory': 'violated',
    },
  },
});
