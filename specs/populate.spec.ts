/**
 * kvm_gmem_populate() (SNP LAUNCH_UPDATE, TDX TDH.MEM.PAGE.ADD) runs under slots_lock, GUPs its
 * source page before filemap_invalidate_lock (a userspace fault takes mmap_lock then
 * invalidate_lock), and checks under the lock that the gfn is private and its RMP entry free.
 */
import { gmemSpec } from '../src/spec.ts';

export default gmemSpec({
  title: 'Populating initial guest memory',
  question: 'Can populate write a page that is shared or already assigned, or deadlock against a userspace fault?',
  bounds: { pages: 2, ops: { populate: 1, convert: 1, mmapFault: 1 }, initiallyShared: false },
  designs: ['upstream-snp', 'in-place-snp', 'populate-checks-before-lock', 'populate-gup-under-lock'],
  properties: ['populate-only-private-unassigned', 'rmp-assigned-while-private-mapped', 'every-operation-ends', 'no-deadlock'],
  unlike: {
    'populate-checks-before-lock': {
      'populate-only-private-unassigned': 'violated',
    },
    'populate-gup-under-lock': {
      'every-operation-ends': 'violated',
      'no-deadlock': 'violated',
    },
  },
});
