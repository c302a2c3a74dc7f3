/**
 * Every property of the guest_memfd model, in the order reports list them: the state invariants,
 * the step properties, `every-operation-ends`, then the witnesses. Each is one record
 * (record.ts); `gmemProperties` turns them into the checker's properties for one model.
 */
import type { Property } from '../../checker/index.ts';
import { always, eventually, sometimes, step } from '../../checker/index.ts';
import type { GmemState } from '../state.ts';
import type { Action } from '../ops/common.ts';
import type { Ctx, Effects } from '../kernel/context.ts';
import type { GmemProperty, StateProperty, StepProperty } from './record.ts';
import { changeFilter } from './record.ts';
import {
  invalidationsBalanced,
  mappingLevelFits,
  noMappingOfFreedMemory,
  noPrivateAccessAfterSharedConversion,
  noSharedAccessToPrivate,
  noStaleMapping,
  zeroedBeforeFirstUse,
} from './mapping.ts';
import {
  populateOnlyPrivateUnassigned,
  privateIommuMapsTeePage,
  rmpAssignedWhilePrivateMapped,
  rmpEntryMatchesMapping,
  rmpRemovedOnLastReference,
  tdxMirrorMatchesSept,
  tdxPageRemovedAndCleared,
} from './arch.ts';
import { conversionAllOrNothing } from './conversion.ts';
import { HUGE_PROPERTIES } from './huge.ts';
import { MEMSLOT_PROPERTIES } from './memslots.ts';
import { noArchCallsFromGmem, noPrefaultByGmem } from './layering.ts';
import { everyOperationEnds } from './liveness.ts';
import {
  conversionFailsWithEagainOnPin,
  faultRetriesAfterInvalidation,
  fileOutlivesItsVmThroughLink,
  hugeMappingInstalled,
  privateFaultOnSharedExits,
} from './witnesses.ts';

export type { GmemProperty, StateProperty, StepProperty, LivenessProperty, Witness, StepSet } from './record.ts';
export { canChange } from './record.ts';
export { NO_DEADLOCK } from './liveness.ts';

export const PROPERTIES: readonly GmemProperty[] = [
  noSharedAccessToPrivate,
  noPrivateAccessAfterSharedConversion,
  noMappingOfFreedMemory,
  rmpRemovedOnLastReference,
  tdxPageRemovedAndCleared,
  mappingLevelFits,
  invalidationsBalanced,
  rmpAssignedWhilePrivateMapped,
  rmpEntryMatchesMapping,
  privateIommuMapsTeePage,
  tdxMirrorMatchesSept,
  zeroedBeforeFirstUse,
  noStaleMapping,
  conversionAllOrNothing,
  // Memslots and bindings (issue 12): properties/memslots.ts.
  ...MEMSLOT_PROPERTIES,
  // Huge folios that split and merge (the 1G HugeTLB series): properties/huge.ts.
  ...HUGE_PROPERTIES,
  noPrefaultByGmem,
  noArchCallsFromGmem,
  populateOnlyPrivateUnassigned,
  everyOperationEnds,
  conversionFailsWithEagainOnPin,
  privateFaultOnSharedExits,
  faultRetriesAfterInvalidation,
  hugeMappingInstalled,
  fileOutlivesItsVmThroughLink,
];

export const PROPERTY_NAMES: readonly string[] = PROPERTIES.map((p) => p.name);

/** The record of property `name` (undefined: the model has no such property). */
export function propertyNamed(name: string): GmemProperty | undefined {
  return PROPERTIES.find((p) => p.name === name);
}

/**
 * Why state property `p` fails in `state`, or step property `p` on the step `prev` -> `state` by
 * `action` (undefined: it holds, or the step is not given).
 */
export function violationOf(
  p: StateProperty | StepProperty,
  ctx: Ctx,
  effects: (prev: GmemState, a: Action) => Effects,
  state: GmemState,
  prev?: GmemState,
  action?: Action,
): string | undefined {
  if (p.kind === 'always') return p.violation(state, ctx) ?? undefined;
  return prev && action ? (p.violation(prev, action, effects(prev, action), ctx, state) ?? undefined) : undefined;
}

/**
 * The checker's properties for one model; `effects` tells what a transition did (model.ts keeps
 * the last edge's), `quiescent` whether no thread runs and no operation can start. A step
 * property is asked only on the steps its record says can fail it.
 */
export function gmemProperties(
  ctx: Ctx,
  effects: (prev: GmemState, a: Action) => Effects,
  quiescent: (s: GmemState) => boolean,
): Property<GmemState, Action>[] {
  return PROPERTIES.map((p): Property<GmemState, Action> => {
    const doc = { why: p.why, where: p.where };
    switch (p.kind) {
      case 'always':
        return always(p.name, (s) => p.violation(s, ctx) === null, doc, changeFilter(p));
      case 'step':
        return step<GmemState, Action>(
          p.name,
          (prev, a, next) => p.violation(prev, a, effects(prev, a), ctx, next) === null,
          doc,
          changeFilter(p),
        );
      case 'eventually':
        return eventually(p.name, (s) => p.reached(s, quiescent), doc);
      case 'sometimes':
        return sometimes(p.name, (s) => p.reached(s), doc, changeFilter(p));
    }
  });
}
