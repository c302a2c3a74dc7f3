/**
 * A counterexample as a vitest regression test (`check --format vitest`, `export-test`): one
 * test replays the trace's actions on the buggy design and expects the property broken at the
 * trace's last step and nowhere before; the other checks that the fixed design keeps the
 * property at the same bounds. The file imports the spec and the checker by paths relative to
 * where it is written, so it runs from the project's root with `npx vitest run <file>`.
 */
import { encode } from './codec.ts';
import { prettyJson } from './pretty.ts';

export interface VitestInput {
  readonly toolVersion: string;
  readonly specId: string;
  /** The spec file and the checker directory, relative to the test file (`../../specs/x.spec.ts`). */
  readonly specImport: string;
  readonly checkerImport: string;
  readonly design: string;
  readonly fixed: string;
  readonly property: string;
  readonly propertyKind: string;
  /** The bounds the trace was found at. */
  readonly bounds: unknown;
  /** Each step after the initial state: how it reads, and the action as the model gives it. */
  readonly steps: readonly { readonly text: string; readonly action: unknown }[];
  readonly loopsBackTo?: number;
  /** The trace file it was written from, for the comment that says how to write it again. */
  readonly source?: string;
}

const q = (text: string) => JSON.stringify(text);
/** A `//` comment ends at the line's end: an action's text stays on one line. */
const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ');

/** An action on one line where it fits in ACTION_WIDTH (JSON escapes a string's newlines), else laid out. */
const ACTION_WIDTH = 160;
function actionJson(encoded: unknown): string {
  const flat = JSON.stringify(encoded, null, 1).replace(/\n\s*/g, ' ');
  return flat.length <= ACTION_WIDTH ? flat : prettyJson(encoded).trimEnd().replace(/\n/g, '\n  ');
}

export function renderVitest(t: VitestInput): string {
  const last = t.steps.length;
  const again = t.source
    ? `npx gmemcheck export-test ${t.source} --fixed ${t.fixed}`
    : `npx gmemcheck check ${t.specId} --design ${t.design} --format vitest --fixed ${t.fixed}`;
  const steps = t.steps.map(
    (s, i) =>
      `  // ${i + 1}  ${oneLine(s.text)}\n  ${actionJson(encode(s.action, { nullAs: 'json' }, `steps[${i + 1}].action`))},`,
  );
  const loops = t.loopsBackTo === undefined ? '' : `, ${t.loopsBackTo}`;
  return `/**
 * Regression test written by gmemcheck ${t.toolVersion} from a counterexample: spec ${t.specId},
 * design ${t.design}, ${t.propertyKind} property ${t.property}, broken at step ${last}.
 * It fails when ${t.design} no longer breaks the property at that step (the actions no longer
 * replay, or the property holds there), or when ${t.fixed} no longer keeps it.
 * Written again by: ${again}
 */
import { describe, expect, test } from 'vitest';
import { check } from '${t.checkerImport}/index.ts';
import { decode } from '${t.checkerImport}/report/codec.ts';
import { brokenSteps } from '${t.checkerImport}/regression.ts';
import spec from '${t.specImport}';

const property = ${q(t.property)};
/** The bounds the counterexample was found at. */
const bounds = ${prettyJson(t.bounds ?? {}).trimEnd()} as typeof spec.bounds;
/** The trace's actions, after the initial state (Maps and Sets tagged as in gmemcheck's JSON traces). */
const actions = [
${steps.join('\n')}
].map((action, i) => decode(action, \`actions[\${i}]\`));

describe(${q(`${t.specId}: ${t.property}`)}, () => {
  test(${q(`${t.design} breaks it at step ${last}, and not before`)}, () => {
    const model = spec.model(${q(t.design)}, bounds);
    expect(brokenSteps(model, property, actions${loops})).toEqual({ replayed: ${last}, broken: [${last}] });
  });

  test(${q(`${t.fixed} keeps it at the same bounds`)}, () => {
    const result = check(spec.model(${q(t.fixed)}, bounds), { ...spec.options });
    const outcome = result.properties.find((p) => p.name === property);
    expect({ complete: result.complete, status: outcome?.status }).toEqual({ complete: true, status: 'holds' });
  });
});
`;
}
