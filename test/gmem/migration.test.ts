/**
 * The thread-proposal design (guest_memfd the one provider; fault type passed to guest_memfd; RMP
 * lifetime tied to the memslot binding; no arch calls from guest_memfd) against intra-host
 * migration: the file is linked to a second VM, which takes over the ASID
 * (sev_vm_move_enc_context_from), and the first VM goes away.
 */
import { describe, expect, it } from 'vitest';
import { check } from '../../checker/index.ts';
import { designs, gmemModel } from '../../src/index.ts';
import type { BoundsInput } from '../../src/index.ts';
import { property, run, statuses, steps, why } from './helpers.ts';

const MIGRATION: BoundsInput = { vms: 2, pages: 1, ops: { fault: 1, link: 1, close: 1, destroyVm: 1 }, faultType: 'private' };

describe('thread-proposal against intra-host migration', () => {
  const r = run('thread-proposal', MIGRATION);

  it('finds that releasing the source VM\'s file reclaims the RMP entry of a page the destination maps private (6 steps)', () => {
    expect(r.result.complete).toBe(true);
    expect(r.result.distinctStates).toBe(122);
    expect(property(r, 'rmp-assigned-while-private-mapped').status).toBe('violated');
    expect(steps(r, 'rmp-assigned-while-private-mapped')).toEqual([
      'CPU0 kvm_gmem_link', //          vm1 gets a file on the inode and vm0's ASID
      'CPU0 kvm_mmu_faultin_pfn', //    vm1's vCPU faults gfn 0x0 private...
      'CPU0 kvm_gmem_get_pfn',
      'CPU0 kvm_tdp_mmu_map', //        ...KVM makes the page private (ASID 1) and maps it
      'CPU0 fput', //                   userspace closes vm0's guest_memfd
      'CPU0 kvm_gmem_release', //       vm0's binding ends: the proposal reclaims the RMP here
    ]);
    expect(why(r, 'rmp-assigned-while-private-mapped')).toBe(
      'vm1 (ASID 1) maps gfn 0x0 private to pfn 0x10, whose RMP entry is hypervisor-owned');
  });

  it('keeps the other safety properties there, and the memory outlives the first VM through the link', () => {
    const st = statuses(r);
    const broken = Object.entries(st).filter(([, v]) => v === 'violated').map(([k]) => k);
    expect(broken).toEqual(['rmp-assigned-while-private-mapped']);
    expect(st['file-outlives-its-vm-through-link']).toBe('satisfied');
  });

  it('with the RMP reclaimed at folio free instead (thread-proposal-folio-rmp), migration keeps every property: 124 states', () => {
    const f = run('thread-proposal-folio-rmp', MIGRATION);
    expect(f.result.distinctStates).toBe(124);
    expect(Object.entries(statuses(f)).filter(([, v]) => v === 'violated')).toEqual([]);
    expect(statuses(f)['file-outlives-its-vm-through-link']).toBe('satisfied');
  });

  it('upstream with linking (RMP reclaimed at folio free by guest_memfd) migrates safely but for its arch calls from guest_memfd', () => {
    const u = run('upstream-linking', MIGRATION);
    expect(u.result.distinctStates).toBe(168);
    expect(Object.entries(statuses(u)).filter(([, v]) => v === 'violated').map(([k]) => k)).toEqual(['no-arch-calls-from-gmem']);
  });

  it('without migration, the binding lifetime still lets PUNCH_HOLE free a page the RMP assigns (5 steps)', () => {
    const p = run('thread-proposal', { inFlight: 1, ops: { fault: 1, punchHole: 1 }, faultType: 'private' });
    expect(steps(p, 'rmp-removed-on-last-reference')).toEqual([
      'CPU0 kvm_mmu_faultin_pfn', 'CPU0 kvm_gmem_get_pfn', 'CPU0 kvm_tdp_mmu_map',
      'CPU0 kvm_gmem_punch_hole', 'CPU0 truncate_inode_pages_range',
    ]);
    expect(why(p, 'rmp-removed-on-last-reference')).toBe(
      'pfn 0x10 is back in the host allocator, yet its RMP entry is assigned to ASID 1');
  });

  it('the same finding at 2 pages and 2 faults: still 6 steps, 1453 states', () => {
    const m = gmemModel({ design: designs['thread-proposal'], bounds: { ...MIGRATION, pages: 2, ops: { fault: 2, link: 1, close: 1, destroyVm: 1 } } });
    const res = check(m, { deadlock: true });
    expect(res.distinctStates).toBe(1453);
    const p = res.properties.find((q) => q.name === 'rmp-assigned-while-private-mapped')!;
    expect(p.trace!.steps.length - 1).toBe(6);
  });
});
