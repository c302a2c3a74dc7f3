/**
 * What any reachable state must look like, whatever the design: the model's own sanity, as
 * opposed to the properties under review. Returns the problems found (empty: well formed).
 */
import type { GmemState } from '../../src/index.ts';

export function problems(s: GmemState): string[] {
  const out: string[] = [];
  const pages = s.filemap.length;
  s.vms.forEach((v, vm) => {
    v.spte.forEach((sp, g) => {
      if (!sp) return;
      if (!v.memslot) out.push(`vm${vm} maps gfn ${g} with no memslot`);
      if (sp.level === 1 && (g % 2 !== 0 || g + 1 >= pages)) out.push(`vm${vm} has a huge SPTE at gfn ${g}`);
      if (sp.pfn >= s.pfns.length) out.push(`vm${vm} maps gfn ${g} to pfn ${sp.pfn}, outside host memory`);
    });
    // KVM's attribute array is one per page where KVM keeps attributes, empty where guest_memfd does.
    const attrs = s.shared.length === 0 ? pages : 0;
    if (v.spte.length !== pages || v.private.length !== attrs) out.push(`vm${vm}'s arrays are not one per page`);
    if (v.inProgress < 0) out.push(`vm${vm} mmu_invalidate_in_progress < 0`);
    if (v.inProgress > 0 !== v.rangeLo >= 0) out.push(`vm${vm} has a range without an invalidation or the reverse`);
    if (!v.alive && (v.file === 'open' || v.file === 'dying')) out.push(`vm${vm} is dead with a file that pins it`);
  });
  s.pfns.forEach((p, k) => {
    if (p.refs < 0) out.push(`pfn ${k} has a negative refcount`);
    if (p.index < 0 && (p.refs !== 0 || p.cached)) out.push(`free pfn ${k} is referenced`);
    if (p.cached && s.filemap[p.index] !== k)
      out.push(`pfn ${k} is cached for index ${p.index}, but the filemap says ${s.filemap[p.index]}`);
  });
  const owners = new Map<number, number>();
  s.filemap.forEach((p, i) => {
    if (p < 0) return;
    if (owners.has(p)) out.push(`pfn ${p} is owned twice: indices ${owners.get(p)} and ${i}`);
    owners.set(p, i);
    if (s.pfns[p].index !== i || !s.pfns[p].cached) out.push(`index ${i}'s pfn ${p} does not say it backs index ${i}`);
  });
  s.umap.forEach((p, i) => {
    if (p >= 0 && s.pfns[p].refs < 1) out.push(`userspace maps index ${i} with no reference held`);
  });
  for (const [name, holder] of [
    ['mmap_lock', s.mmapLock],
    ['invalidate_lock', s.invalidateLock],
    ['slots_lock', s.slotsLock],
  ] as const) {
    if (holder >= 0 && !s.threads[holder]) out.push(`${name} is held by CPU${holder}, which runs nothing`);
  }
  for (const [name, mask] of [
    ['mmap_lock readers', s.mmapReaders],
    ['mmap_lock queued writers', s.mmapWritersQueued],
  ] as const) {
    s.threads.forEach((t, slot) => {
      if ((mask >> slot) & 1 && !t) out.push(`${name} include CPU${slot}, which runs nothing`);
    });
    if (mask >> s.threads.length) out.push(`${name} name a slot that does not exist`);
  }
  if (s.mmapLock >= 0 && s.mmapReaders !== 0) out.push('mmap_lock is held for write and for read at once');
  return out;
}
