/**
 * The thread-proposal design (guest_memfd the one provider; fault type passed to guest_memfd; RMP
 * lifetime tied to the memslot binding with memory kept while bound; no arch calls from
 * guest_memfd) against intra-host migration: the file is linked to a second VM, which takes over
 * the ASID (sev_vm_move_enc_context_from, then kvm_vm_dead on the source), and the first VM goes
 * away. thread-proposal-literal reads the RMP lifetime literally: PUNCH_HOLE frees memory at
 * once and unbind reclaims every assigned entry.
 */
import { describe, expect, it } from 'vitest';
import { check } from '../../checker/index.ts';
import { designs, gmemModel } from '../../src/index.ts';
import type { BoundsInput } from '../../src/index.ts';
import { run, statuses, steps, why } from './helpers.ts';
import { follow } from './walk.ts';

const MIGRATION: BoundsInput = {
  vms: 2,
  pages: 1,
  ops: { fault: 1, link: 1, close: 1, destroyVm: 1 },
  faultType: 'private',
};

const violated = (st: Record<string, string>) =>
  Object.entries(st)
    .filter(([, v]) => v === 'violated')
    .map(([k]) => k);

describe('thread-proposal against intra-host migration', () => {
  it("as stated, keeps every property: the source's release reclaims only its own ASID's entries, none once the ASID moved (119 states)", () => {
    const r = run('thread-proposal', MIGRATION);
    expect(r.result.complete).toBe(true);
    expect(r.result.distinctStates).toBe(119);
    expect(violated(statuses(r))).toEqual([]);
    expect(statuses(r)['file-outlives-its-vm-through-link']).toBe('satisfied');
  });

  it("read literally, releasing the source VM's file reclaims the RMP entry of a page the destination maps private (6 steps)", () => {
    const r = run('thread-proposal-literal', MIGRATION);
    expect(r.result.complete).toBe(true);
    expect(r.result.distinctStates).toBe(119);
    expect(violated(statuses(r))).toEqual(['rmp-assigned-while-private-mapped', 'rmp-entry-matches-mapping']);
    expect(steps(r, 'rmp-assigned-while-private-mapped')).toEqual([
      'CPU0 kvm_gmem_link', //          vm1 gets a file on the inode and vm0's ASID; vm0 is dead
      'CPU0 kvm_mmu_faultin_pfn', //    vm1's vCPU faults gfn 0x0 private...
      'CPU0 kvm_gmem_get_pfn',
      'CPU0 kvm_tdp_mmu_map', //        ...KVM makes the page private (ASID 1) and maps it
      'CPU0 fput', //                   userspace closes vm0's guest_memfd
      'CPU0 kvm_gmem_release', //       vm0's binding ends: the literal reading reclaims every entry
    ]);
    expect(why(r, 'rmp-assigned-while-private-mapped')).toBe(
      'vm1 (ASID 1) maps gfn 0x0 private to pfn 0x10, whose RMP entry is hypervisor-owned',
    );
  });

  it('with the RMP reclaimed at filemap removal instead (thread-proposal-folio-rmp), migration keeps every property: 121 states', () => {
    const f = run('thread-proposal-folio-rmp', MIGRATION);
    expect(f.result.distinctStates).toBe(121);
    expect(violated(statuses(f))).toEqual([]);
    expect(statuses(f)['file-outlives-its-vm-through-link']).toBe('satisfied');
  });

  it('upstream with linking (RMP reclaimed at filemap removal by guest_memfd) migrates safely but for its arch calls from guest_memfd', () => {
    const u = run('upstream-linking', MIGRATION);
    expect(u.result.distinctStates).toBe(165);
    expect(violated(statuses(u))).toEqual(['no-arch-calls-from-gmem']);
  });

  it('without migration, the literal reading lets PUNCH_HOLE free a page the RMP assigns (5 steps); as stated, it does not', () => {
    const b: BoundsInput = { inFlight: 1, ops: { fault: 1, punchHole: 1 }, faultType: 'private' };
    const p = run('thread-proposal-literal', b);
    expect(steps(p, 'rmp-removed-on-last-reference')).toEqual([
      'CPU0 kvm_mmu_faultin_pfn',
      'CPU0 kvm_gmem_get_pfn',
      'CPU0 kvm_tdp_mmu_map',
      'CPU0 kvm_gmem_punch_hole',
      'CPU0 truncate_inode_pages_range',
    ]);
    expect(why(p, 'rmp-removed-on-last-reference')).toBe(
      'pfn 0x10 is back in the host allocator, yet its RMP entry is assigned to ASID 1',
    );
    expect(statuses(run('thread-proposal', b))['rmp-removed-on-last-reference']).toBe('holds');
  });

  it('as stated, PUNCH_HOLE keeps the assigned page with the file until the memslot goes; unbind reclaims its entry and frees it', () => {
    const m = gmemModel({
      design: designs['thread-proposal'],
      bounds: { pages: 1, inFlight: 1, ops: { fault: 1, punchHole: 1, unbind: 1 }, faultType: 'private' },
    });
    const punched = [
      'kvm_mmu_faultin_pfn',
      'kvm_gmem_get_pfn',
      'kvm_tdp_mmu_map',
      'kvm_gmem_punch_hole',
      'truncate_inode_pages_range',
      'kvm_gmem_invalidate_end',
    ];
    const kept = follow(m, punched);
    expect(kept.filemap).toEqual([-1]);
    expect([kept.pfns[0].index, kept.pfns[0].cached, kept.pfns[0].rmpAsid, kept.pfns[0].rmpGpa]).toEqual([
      0,
      false,
      1,
      0,
    ]);
    const unbound = follow(m, [
      ...punched,
      'kvm_invalidate_memslot',
      'kvm_arch_flush_shadow_memslot',
      'kvm_gmem_unbind',
    ]);
    expect([unbound.pfns[0].index, unbound.pfns[0].rmpAsid]).toEqual([-1, 0]);
  });

  it('the same findings at 2 pages and 2 faults: the literal reading in 6 steps from 1333 states, none as stated from 1305', () => {
    const bounds = { ...MIGRATION, pages: 2, ops: { fault: 2, link: 1, close: 1, destroyVm: 1 } };
    const literal = check(gmemModel({ design: designs['thread-proposal-literal'], bounds }), { deadlock: true });
    expect(literal.distinctStates).toBe(1333);
    const p = literal.properties.find((q) => q.name === 'rmp-assigned-while-private-mapped')!;
    expect(p.trace!.steps.length - 1).toBe(6);
    const stated = check(gmemModel({ design: designs['thread-proposal'], bounds }), { deadlock: true });
    expect(stated.distinctStates).toBe(1305);
    expect(stated.properties.filter((q) => q.status === 'violated').map((q) => q.name)).toEqual([]);
  });
});
