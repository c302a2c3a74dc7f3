/**
 * A file's last fput() waits for the syscalls in it (ops/close.ts), so kvm_gmem_unbind() may skip
 * invalidate_lock on a dying file with one file per inode; with a linked second file, PUNCH_HOLE
 * through the other file races that unbind (specs/linked-file-dying-unbind.spec.ts).
 */
import { describe, expect, it } from 'vitest';
import { designs, gmemModel } from '../../src/index.ts';
import spec from '../../specs/linked-file-dying-unbind.spec.ts';
import { follow, successors } from './walk.ts';
import { property, run, steps, why } from './helpers.ts';

const model = (design: string, bounds = spec.bounds) => gmemModel({ design: designs[design]!, bounds });
const enabled = (m: ReturnType<typeof model>, s: ReturnType<typeof follow>) =>
  successors(m, s).map(([a]) => m.presentation.formatAction(a));

describe('a syscall in flight on the file holds it: close() is not its last fput', () => {
  it('no fput while PUNCH_HOLE runs through the file; fput once it returned', () => {
    const m = model('upstream', { ops: { punchHole: 1, close: 1 } });
    const during = follow(m, ['kvm_gmem_punch_hole@[0x0, 0x1)']);
    expect(enabled(m, during).some((a) => a.includes('fput'))).toBe(false);
    const after = follow(m, [
      'kvm_gmem_punch_hole@[0x0, 0x1)',
      'truncate_inode_pages_range',
      'kvm_gmem_invalidate_end',
    ]);
    expect(enabled(m, after).some((a) => a.includes('fput'))).toBe(true);
  });

  it('no fput while the in-place conversion ioctl runs through the file', () => {
    const m = model('in-place', { ops: { convert: 1, close: 1 }, convertTo: 'shared' });
    const during = follow(m, ['filemap_invalidate_lock']);
    expect(enabled(m, during).some((a) => a.includes('fput'))).toBe(false);
  });
});

describe('a dying linked file unbound during PUNCH_HOLE through the other file', () => {
  /**
   * The link, PUNCH_HOLE through the new file up to its truncate, the fput of vm1's file, and
   * vm1's memslot deletion up to its zap: the unbind comes next, PUNCH_HOLE still in flight.
   */
  const UNBIND_DURING_PUNCH_HOLE = [
    'kvm_gmem_link',
    'kvm_gmem_punch_hole@[0x0, 0x1):',
    'truncate_inode_pages_range',
    "fput@vm1's",
    'kvm_invalidate_memslot@vm1',
    'kvm_arch_flush_shadow_memslot',
  ];

  it('upstream-linking leaves mmu_invalidate_in_progress raised: 9 actions, only through a race', () => {
    const r = run('upstream-linking', spec.bounds);
    expect(r.result.distinctStates).toBe(402);
    expect(property(r, 'invalidations-balanced').status).toBe('violated');
    expect(property(r, 'invalidations-balanced').trace!.steps).toHaveLength(10);
    // The shortest form: the live destination VM, whose memslot deletion unbinds its dying file
    // while PUNCH_HOLE through the source's file is in flight; a dead source (kvm->vm_dead) runs
    // no vCPU that its count could hold back, so the property does not judge it.
    expect(steps(r, 'invalidations-balanced')).toEqual([
      'CPU0 kvm_gmem_link',
      'CPU0 kvm_gmem_punch_hole',
      'CPU0 truncate_inode_pages_range',
      'CPU1 fput',
      'CPU2 kvm_invalidate_memslot',
      'CPU2 kvm_arch_flush_shadow_memslot',
      'CPU2 kvm_gmem_unbind',
      'CPU0 kvm_gmem_invalidate_end',
      'CPU1 kvm_gmem_release',
    ]);
    expect(why(r, 'invalidations-balanced')).toBe(
      "no operation is in flight, yet vm1's mmu_invalidate_in_progress is 1",
    );
    // One operation at a time keeps it: only the race breaks it.
    const alone = run('upstream-linking', { ...spec.bounds, inFlight: 1 });
    expect(property(alone, 'invalidations-balanced').status).toBe('holds');
  });

  it('the live destination VM the same way: its count stays raised after its release', () => {
    const m = model('upstream-linking');
    const s = follow(m, [
      ...UNBIND_DURING_PUNCH_HOLE,
      'kvm_gmem_unbind',
      'kvm_gmem_invalidate_end',
      'kvm_gmem_release',
    ]);
    expect(s.threads.every((t) => t === null)).toBe(true);
    expect([s.vms[1].alive, s.vms[1].bugged, s.vms[1].file, s.vms[1].inProgress]).toEqual([true, false, 'released', 1]);
  });

  it('the fix: the unbind of the dying file waits for the invalidate_lock PUNCH_HOLE holds', () => {
    const m = model('upstream-linking-dying-unbind-locked');
    const s = follow(m, UNBIND_DURING_PUNCH_HOLE);
    expect(enabled(m, s).some((a) => a.includes('kvm_gmem_unbind'))).toBe(false);
    const r = run('upstream-linking-dying-unbind-locked', spec.bounds);
    expect(r.result.distinctStates).toBe(379);
    expect(property(r, 'invalidations-balanced').status).toBe('holds');
  });

  it('one file per inode keeps the count balanced (upstream)', () => {
    const r = run('upstream', spec.bounds);
    expect(r.result.distinctStates).toBe(49);
    expect(property(r, 'invalidations-balanced').status).toBe('holds');
  });
});
