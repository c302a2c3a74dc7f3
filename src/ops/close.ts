/**
 * close() of a guest_memfd file: fput(), then kvm_gmem_release() (release.ts).
 */
import { produce } from '../draft.ts';
import type { Ctx } from '../kernel/context.ts';
import type { GmemState, Thread } from '../state.ts';
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

/**
 * A thread inside a syscall that holds a reference on VM `vm`'s file: fallocate (ksys_fallocate:
 * fdget) and the conversion ioctl on the guest_memfd (sys_ioctl: fdget -> kvm_gmem_ioctl) through
 * that file, and kvm_gmem_populate (CLASS(gmem_get_file): get_file_active) of that VM. fdget
 * takes a reference whenever another thread shares the descriptor table, the only way a close()
 * can race the syscall. While one runs, close() drops only the descriptor's reference; the
 * syscall's fdput() / fput() drops the last one when it returns, and the release follows. The
 * model lets close start only then: the same order, the file dying only once no such syscall
 * runs in it.
 */
export function holdsFile(t: Thread, vm: number, ctx: Ctx): boolean {
  if (t.vm !== vm) return false;
  switch (t.op) {
    case 'punchHole':
    case 'allocate':
    case 'populate':
      return true;
    case 'convert':
      return ctx.design.attributes === 'gmem';
    default:
      return false;
  }
}

function fileHeld(s: GmemState, vm: number, ctx: Ctx): boolean {
  return s.threads.some((t) => t !== null && holdsFile(t, vm, ctx));
}

export const close: OpSpec = {
  op: 'close',
  available: () => true,
  starts(s, ctx) {
    const out = [];
    for (let vm = 0; vm < s.vms.length; vm++) {
      if (s.vms[vm].file !== 'open') continue;
      // The VMA holds the file: no close while it maps a page or a userspace fault runs in it.
      if (vm === 0 && (s.umap.some((p) => p >= 0) || s.threads.some((t) => t?.op === 'mmapFault'))) continue;
      // A syscall in flight on the file holds it (holdsFile): its return, not close(), is the last fput.
      if (fileHeld(s, vm, ctx)) continue;
      out.push({ vm, lo: 0, hi: ctx.bounds.pages, priv: false, dom: 0 });
    }
    return out;
  },
  first: () => 'fput',
  steps: { fput, kvm_gmem_release: release },
  actor: (step) => (step === 'fput' ? 'userspace' : 'guest_memfd'),
};
