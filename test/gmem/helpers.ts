/** Shared by the guest_memfd tests: run a design at bounds, read a property's result and trace. */
import { check } from '../../checker/index.ts';
import type { CheckOptions, CheckResult, PropertyResult } from '../../checker/index.ts';
import { designs, gmemModel } from '../../src/index.ts';
import type { Action, BoundsInput, GmemModel, GmemState } from '../../src/index.ts';

export interface Run {
  model: GmemModel;
  result: CheckResult<GmemState, Action>;
}

export function run(design: string, bounds: BoundsInput, options: CheckOptions = {}): Run {
  const d = designs[design];
  if (!d) throw new Error(`no design named ${design}`);
  const model = gmemModel({ design: d, bounds });
  return { model, result: check(model, { deadlock: true, ...options }) };
}

export function property(r: Run, name: string): PropertyResult<GmemState, Action> {
  const p = r.result.properties.find((q) => q.name === name);
  if (!p) throw new Error(`no property named ${name}`);
  return p;
}

/** The trace as "CPU0 kvm_mmu_faultin_pfn" lines: who did what, in order. */
export function steps(r: Run, name: string): string[] {
  const t = property(r, name).trace;
  if (!t) return [];
  return t.steps
    .filter((s) => s.action !== null)
    .map((s) => `${r.model.presentation.threadOf(s.action!)} ${r.model.presentation.actionName(s.action!)}`);
}

/** The sentence the model gives for the violation at the end of the trace (undefined: none). */
export function why(r: Run, name: string): string | undefined {
  const t = property(r, name).trace!;
  const last = t.steps[t.steps.length - 1];
  const prev = t.steps.length > 1 ? t.steps[t.steps.length - 2] : undefined;
  return r.model.presentation.explain(name, last.state, prev?.state, last.action ?? undefined);
}

/** Property name -> status, for a whole run. */
export function statuses(r: Run): Record<string, string> {
  return Object.fromEntries(r.result.properties.map((p) => [p.name, p.status]));
}
