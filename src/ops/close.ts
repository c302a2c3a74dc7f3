/**
 * close() of a guest_memfd file: fput(), then kvm_gmem_release() (release.ts).
 */
import { produce } from '../draft.ts';
import type { OpSpec, StepFn } from './common.ts';
import { goto } from './common.ts';
import { release } from './release.ts';

/**
 * close(fd) -> fput(): the last reference of the file (an mmap holds one through vma->vm_file,
 * so VM 0's file closes only once unmapped). From here get_file_active() fails; __fput() will
 * call kvm_gmem_release() (release.ts), a separate step that memslot deletion can race.
 */
const fput: StepFn = (s, t, a) =>
  produce(s, (d) => {
    d.vms[t.vm].file = 'dying';
    goto(d, a.slot, 'kvm_gmem_release');
  });

export const close: OpSpec = {
  op: 'close',
  available: () => true,
  starts(s, ctx) {
    const out = [];
    for (let vm = 0; vm < s.vms.length; vm++) {
      if (s.vms[vm].file !== 'open') continue;
      // The VMA holds the file: no close while it maps a page or a userspace fault runs in it.
      if (vm === 0 && (s.umap.some((p) => p >= 0) || s.threads.some((t) => t?.op === 'mmapFault'))) continue;
      out.push({ vm, lo: 0, hi: ctx.bounds.pages, priv: false, dom: 0 });
    }
    return out;
  },
  first: () => 'fput',
  steps: { fput, kvm_gmem_release: release },
  actor: (step) => (step === 'fput' ? 'userspace' : 'guest_memfd'),
};
