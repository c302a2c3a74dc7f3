/**
 * The IOMMU as a user of guest_memfd (proposed; no mainline path): guest_memfd's invalidation
 * notifier into the IOMMU domains. The IOMMU holds no folio reference: like KVM, it relies on
 * the notifier (where the design has one: notify.iommu).
 */
import type { Iova } from '../state.ts';
import type { D } from './context.ts';

/** guest_memfd's invalidation notifier into the IOMMU: unmap what `which` selects in [lo, hi). */
export function iommuInvalidate(d: D, lo: number, hi: number, which: (m: Iova) => boolean): void {
  for (const dom of d.iommu) {
    for (let i = lo; i < hi; i++) {
      const m = dom[i];
      if (m && which(m)) dom[i] = null;
    }
  }
}
