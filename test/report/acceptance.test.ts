/**
 * Issue 5 is done when `gmemcheck check <spec> --format race` prints the race diagram of a real
 * counterexample, and a saved trace replays from the command line. This runs the command as a
 * user does, on the spec that asks whether a private mapping survives a conversion to shared.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { check } from '../../checker/index.ts';
import { renderTrace } from '../../checker/report/index.ts';
import spec from '../../specs/private-mapping-after-conversion.spec.ts';
import { gmemcheck, tempDir } from '../cli/gmemcheck.ts';

const specId = 'private-mapping-after-conversion';
const design = 'no-invalidate-retry';
const property = 'no-private-access-after-shared-conversion';

/** The lines of one printed counterexample: from its heading (that may wrap) to the blank line after its diagram. */
function block(stdout: string, heading: string): string {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => l.startsWith(heading));
  const blank = lines.findIndex((l, i) => i > start && l === '');
  const end = lines.findIndex((l, i) => i > blank && l === '');
  return lines.slice(start, end).join('\n') + '\n';
}

describe(`gmemcheck check ${specId} --design ${design}`, () => {
  it('--format race prints the race diagram the API renders: CPU0 faults, CPU1 converts, step 6 marked', async () => {
    const ran = await gmemcheck(['check', specId, '--design', design, '--format', 'race']);
    expect(ran.status).toBe(1);
    const model = spec.model(design);
    const result = check(model, spec.options ?? {}).properties.find((p) => p.name === property)!;
    const expected = renderTrace('race', model, result, {
      model: model.name,
      spec: specId,
      design,
      bounds: spec.bounds,
    });
    const printed = block(ran.stdout, `gmemcheck: ${property} violated`);
    expect(printed).toBe(expected);
    const lines = printed.trimEnd().split('\n');
    expect(lines.slice(lines.findIndex((l) => l.startsWith('  6 ')))).toEqual([
      '  6                                                 xa_store(mem_attr_array) [0x0, 0x1) = shared',
      '                                                    <== violated: gfn 0x0 is shared, yet vm0 maps it',
      '                                                    private to pfn 0x10',
    ]);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(100);
  }, 60_000);

  it('--format itf --out writes traces that gmemcheck replay reproduces (exit 0)', async () => {
    const out = tempDir();
    const wrote = await gmemcheck(['check', specId, '--design', design, '--format', 'itf', '--out', out]);
    expect(wrote.status).toBe(1);
    const file = readdirSync(out).find((f) => f.includes(property));
    expect(file).toBe(`${specId}.${design}.${property}.itf.json`);
    const replayed = await gmemcheck(['replay', join(out, file!)]);
    expect([replayed.status, replayed.stdout]).toEqual([
      0,
      `${property} (itf trace of ${spec.model(design).name}, design ${design}) reproduces: violated after step 6\n`,
    ]);
  }, 60_000);
});
