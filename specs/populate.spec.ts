/**
 * kvm_gmem_populate() (SNP LAUNCH_UPDATE, TDX TDH.MEM.PAGE.ADD) runs under slots_lock, GUPs its
 * source page before filemap_invalidate_lock (the in-place userspace fault takes mmap_lock then
 * invalidate_lock; mainline's takes no invalidate_lock), and checks under the lock that the gfn
 * is private and its RMP entry free. mmap_lock and invalidate_lock are rwsems: the GUP's
 * mmap_read_lock and the fault's do not exclude each other, so the lock-order cycle needs an
 * mmap_lock writer queued between them (munmap), hence three operations in flight.
 */
import { gmemSpec } from '../src/spec.ts';

export default gmemSpec({
  title: 'Populating initial guest memory',
  question: 'Can populate write a page that is shared or already assigned, or deadlock against a userspace fault?',
  bounds: { pages: 2, inFlight: 3, ops: { populate: 1, convert: 1, mmapFault: 1, munmap: 1 }, initiallyShared: false },
  designs: [
    'upstream-snp',
    'in-place-snp',
    'populate-checks-before-lock',
    'populate-gup-under-lock',
    'tdx-populate-refaults',
  ],
  properties: [
    'populate-only-private-unassigned',
    'rmp-assigned-while-private-mapped',
    'rmp-entry-matches-mapping',
    'every-operation-ends',
    'no-deadlock',
  ],
  unlike: {
    'populate-checks-before-lock': {
      'populate-only-private-unassigned': 'violated',
    },
    // populate holds invalidate_lock and waits for mmap_lock (GUP) behind a queued munmap,
    // which waits for the userspace fault's mmap_read_lock, which waits for invalidate_lock.
    'populate-gup-under-lock': {
      'every-operation-ends': 'violated',
      'no-deadlock': 'violated',
    },
    // TDX post_populate before 3ab3283dbb2c: its simulated fault's kvm_gmem_get_pfn asks for
    // invalidate_lock shared while its own kvm_gmem_populate holds it exclusive.
    'tdx-populate-refaults': {
      'every-operation-ends': 'violated',
      'no-deadlock': 'violated',
    },
  },
});
