/**
 * The named designs, checked exhaustively at 2 pages, 1 VM and 2 operations in flight: the kernel
 * today (upstream) and the in-place conversion series keep every property, and every witness
 * their switches make reachable is reached.
 */
import { describe, expect, it } from 'vitest';
import { run, statuses } from './helpers.ts';
import type { BoundsInput } from '../../src/index.ts';
import { PROPERTIES } from '../../src/index.ts';

/** The operations of the kernel today: faults, conversions, PUNCH_HOLE, close, memslot deletion. */
export const UPSTREAM_BOUNDS: BoundsInput = {
  pages: 2,
  vms: 1,
  inFlight: 2,
  ops: { fault: 2, convert: 1, punchHole: 1, close: 1, unbind: 1 },
};
/** In place: faults, conversions, PUNCH_HOLE, and userspace mmap faults and GUP pins of shared pages. */
export const IN_PLACE_BOUNDS: BoundsInput = {
  pages: 2,
  vms: 1,
  inFlight: 2,
  initiallyShared: true,
  ops: { fault: 1, convert: 1, punchHole: 1, mmapFault: 1, pin: 1, unpin: 1 },
};
/** TDX: faults, conversions, PUNCH_HOLE, populate, and one failing S-EPT removal. */
const TDX_BOUNDS: BoundsInput = {
  pages: 2,
  vms: 1,
  inFlight: 2,
  ops: { fault: 1, convert: 1, punchHole: 1, populate: 1, tdxRemoveFail: 1 },
};

/** Every property but the witnesses, and the checker's deadlock check. */
const SAFETY = [...PROPERTIES.filter((p) => p.kind !== 'sometimes').map((p) => p.name), 'no-deadlock'];

function expectHolds(st: Record<string, string>, except: string[] = []): void {
  for (const p of SAFETY) expect(`${p}: ${st[p]}`).toBe(`${p}: ${except.includes(p) ? 'violated' : 'holds'}`);
}

describe('upstream keeps every property at 2 pages, 1 VM, 2 operations in flight', () => {
  const r = run('upstream', UPSTREAM_BOUNDS);
  it('explores the whole space: 35376 distinct states', () => {
    expect(r.result.complete).toBe(true);
    expect(r.result.distinctStates).toBe(35376);
  });
  it('keeps every invariant, step property and liveness property, with no deadlock', () => expectHolds(statuses(r)));
  it('reaches the witnesses its switches allow: KVM_EXIT_MEMORY_FAULT and a retried fault', () => {
    const st = statuses(r);
    expect(st['private-fault-on-shared-exits-to-userspace']).toBe('satisfied');
    expect(st['fault-retries-after-invalidation']).toBe('satisfied');
    // No refcount check, no huge folios, no linking upstream: these cannot happen there.
    expect(st['conversion-fails-with-eagain-on-pin']).toBe('unsatisfied');
    expect(st['huge-mapping-installed']).toBe('unsatisfied');
    expect(st['file-outlives-its-vm-through-link']).toBe('unsatisfied');
  });
  it('fires every step of the operations it enables', () => {
    expect(r.result.neverFired).toEqual([]);
  });
});

describe('in-place keeps every property at 2 pages, 1 VM, 2 operations in flight', () => {
  const r = run('in-place', IN_PLACE_BOUNDS);
  it('explores the whole space: 22262 distinct states', () => {
    expect(r.result.complete).toBe(true);
    expect(r.result.distinctStates).toBe(22262);
  });
  it('keeps every invariant, step property and liveness property, with no deadlock', () => expectHolds(statuses(r)));
  it('reaches EAGAIN on a pin, KVM_EXIT_MEMORY_FAULT and a retried fault, never a huge mapping', () => {
    const st = statuses(r);
    for (const w of [
      'conversion-fails-with-eagain-on-pin',
      'private-fault-on-shared-exits-to-userspace',
      'fault-retries-after-invalidation',
    ])
      expect(`${w}: ${st[w]}`).toBe(`${w}: satisfied`);
    // v7's folios are order 0 (huge folios are the 1G series: hugepage-series), and its shared
    // memory is guest_memfd's own, so nothing maps huge.
    expect(st['huge-mapping-installed']).toBe('unsatisfied');
    expect(st['file-outlives-its-vm-through-link']).toBe('unsatisfied'); // no linking in the series
  });
});

describe('the kernel today on SEV-SNP and TDX', () => {
  it('upstream-snp keeps every property but no-arch-calls-from-gmem (kvm_arch_gmem_prepare is called from guest_memfd): 35376 states', () => {
    const r = run('upstream-snp', UPSTREAM_BOUNDS);
    expect(r.result.distinctStates).toBe(35376);
    expectHolds(statuses(r), ['no-arch-calls-from-gmem']);
  });
  // A failed S-EPT removal bugs the VM and, with no page reference since ce7b5695397b, lets
  // PUNCH_HOLE free the page the S-EPT still maps: the window that commit accepts.
  it('upstream-tdx keeps every property but tdx-page-removed-and-cleared-before-free after a failed S-EPT removal: 10092 states', () => {
    const r = run('upstream-tdx', TDX_BOUNDS);
    expect(r.result.distinctStates).toBe(10092);
    expectHolds(statuses(r), ['tdx-page-removed-and-cleared-before-free']);
  });
  it('tdx-pins-pages (before ce7b5695397b) leaks the page instead and keeps every property: 10140 states', () => {
    const r = run('tdx-pins-pages', TDX_BOUNDS);
    expect(r.result.distinctStates).toBe(10140);
    expectHolds(statuses(r));
  });
  it('in-place-tdx carries a conversion on past a failed S-EPT removal, and breaks only the same property: 7434 states', () => {
    const r = run('in-place-tdx', {
      ...TDX_BOUNDS,
      ops: { fault: 1, convert: 1, punchHole: 1, mmapFault: 1, tdxRemoveFail: 1 },
    });
    expect(r.result.distinctStates).toBe(7434);
    expectHolds(statuses(r), ['tdx-page-removed-and-cleared-before-free']);
  });
  it('in-place-snp keeps every property but no-arch-calls-from-gmem: 22536 states', () => {
    const r = run('in-place-snp', IN_PLACE_BOUNDS);
    expect(r.result.distinctStates).toBe(22536);
    expectHolds(statuses(r), ['no-arch-calls-from-gmem']);
  });
});

describe('a private fault racing a conversion to shared on in-place-snp', () => {
  // In-place series v7 patches 01 and 07: kvm_gmem_get_pfn holds invalidate_lock shared, so it
  // cannot run between the conversion's rmp_make_shared and its attribute store, and it prepares
  // (rmp_make_private) only an index guest_memfd says is private, whatever the fault's type.
  it('never re-assigns the RMP entry the conversion reclaimed, though the fault still races it and retries: 175 states', () => {
    const r = run('in-place-snp', { ops: { fault: 1, convert: 1 }, faultType: 'private', convertTo: 'shared' });
    expect(r.result.distinctStates).toBe(175);
    const st = statuses(r);
    expect(st['no-private-access-after-shared-conversion']).toBe('holds');
    expect(st['fault-retries-after-invalidation']).toBe('satisfied');
  });
  it('thread-proposal, whose KVM prepares only after the mmu_invalidate_seq check, does not have that race', () => {
    const r = run('thread-proposal', { ops: { fault: 1, convert: 1 }, faultType: 'private', convertTo: 'shared' });
    expect(statuses(r)['no-private-access-after-shared-conversion']).toBe('holds');
  });
});
