/**
 * Which steps of the 1G HugeTLB series' conversion (ops/convert-hugetlb.ts) write each part of
 * the state, merged into writes.ts's WRITES.
 */
import type { StepSet } from './record.ts';

const convert = (...steps: string[]): StepSet => ({ convert: steps });

export const HUGETLB_WRITES = {
  /** A conversion starts (kvm_gmem_convert_range) or returns (an empty work list, invalidate end). */
  conversions: convert('kvm_gmem_convert_range', 'kvm_gmem_convert_invalidate_end'),
  /**
   * kvm_gmem_shareability_apply, and its undoing by the rollback; should_proceed stores item by
   * item where the refcount is checked per work item (hugetlb-refcount-check-per-item).
   */
  attributes: convert('kvm_gmem_convert_should_proceed', 'kvm_gmem_convert_execute_work', 'kvm_gmem_convert_rollback'),
  /** Split and merge. */
  folios: convert('kvm_gmem_restructure_folios_in_range', 'kvm_gmem_convert_rollback'),
  /** The private zap (with the TDX demote) or the shared zap of should_proceed. */
  spte: convert('kvm_gmem_convert_should_proceed'),
  sept: convert('kvm_gmem_convert_should_proceed'),
  rmp: convert('kvm_gmem_convert_should_proceed'),
  umap: convert('kvm_gmem_convert_should_proceed'),
  eagain: convert('kvm_gmem_convert_should_proceed'),
} as const satisfies Record<string, StepSet>;
