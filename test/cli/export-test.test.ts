/**
 * Counterexamples as regression tests: `export-test` and `check --format vitest` write a vitest
 * file that passes tsc and vitest from the project's root, and fails once the model no longer
 * reproduces the violation (a step dropped from the trace, the test pointed at a design that
 * keeps the property). The files are written in a fresh directory below test/ (vitest's
 * include and tsconfig's), removed afterwards.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { command, gmemcheck, repoRoot, savedTrace, tempDir } from './gmemcheck.ts';

const S = ['--specs', 'test/diff/fixtures/specs'];
const dir = mkdtempSync(join(repoRoot, 'test', 'generated-'));
const rel = relative(repoRoot, dir);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** npx in the repository's root, its output without colours. */
async function npx(args: string[]): Promise<{ status: number; stdout: string }> {
  const ran = await command('npx', args, { NO_COLOR: '1', FORCE_COLOR: '0' });
  return { status: ran.status, stdout: (ran.stdout + ran.stderr).replace(/\x1b\[[0-9;]*m/g, '') };
}
const testFile = 'lock-view.check-then-set.mutual-exclusion.test.ts';

/** The saved trace of check-then-set breaking mutual exclusion (4 steps). */
function lockViewTrace(): Promise<string> {
  return savedTrace('lock-view', 'check-then-set', 'mutual-exclusion', S[1]);
}

describe('export-test', { timeout: 120_000 }, () => {
  test('writes a test that passes tsc and vitest, and fails when the model no longer reproduces', async () => {
    const trace = await lockViewTrace();
    const ran = await gmemcheck(['export-test', trace, ...S, '--out', rel]);
    expect([ran.status, ran.stderr, ran.stdout]).toEqual([0, '', `wrote ${rel}/${testFile}\n`]);
    const source = readFileSync(join(dir, testFile), 'utf8');
    expect(source).toContain(`import spec from '../diff/fixtures/specs/lock-view.spec.ts';`);
    expect(source).toContain("import { brokenSteps } from '../../checker/regression.ts';");
    expect(source).toContain('expect(brokenSteps(model, property, actions)).toEqual({ replayed: 4, broken: [4] });');
    expect(source).toContain('test("test-and-set keeps it at the same bounds"');

    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: '../../tsconfig.json', include: ['*.ts'] }));
    const tsc = await npx(['tsc', '--noEmit', '-p', join(rel, 'tsconfig.json')]);
    expect(tsc.stdout).toBe('');
    expect(tsc.status).toBe(0);
    const passes = await npx(['vitest', 'run', join(rel, testFile)]);
    expect(passes.status).toBe(0);
    expect(passes.stdout).toMatch(/Tests +2 passed \(2\)/);

    // One step fewer: the violation is no longer reached. Another design: the actions do not replay.
    writeFileSync(join(dir, 'shorter.test.ts'), source.replace(/ {2}\/\/ 4 {2}T1 set\n.*\n/, ''));
    writeFileSync(
      join(dir, 'fixed-design.test.ts'),
      source.replace('spec.model("check-then-set", bounds)', 'spec.model("test-and-set", bounds)'),
    );
    expect(readFileSync(join(dir, 'shorter.test.ts'), 'utf8')).not.toBe(source);
    const fails = await npx(['vitest', 'run', join(rel, 'shorter.test.ts'), join(rel, 'fixed-design.test.ts')]);
    expect(fails.status).toBe(1);
    expect(fails.stdout).toMatch(/Tests +2 failed \| 2 passed \(4\)/);
    expect(fails.stdout).toContain('"replayed": 3');
    expect(fails.stdout).toContain('"reason": "step 1: T0 check is not an action of the model in this state"');
    for (const f of ['shorter.test.ts', 'fixed-design.test.ts']) rmSync(join(dir, f));
  });

  test('check --format vitest writes one test per violated property, --fixed names the design that keeps it', async () => {
    const out = join(rel, 'check');
    const ran = await gmemcheck([
      'check',
      'lock-view',
      ...S,
      '--format',
      'vitest',
      '--fixed',
      'test-and-set',
      '--out',
      out,
    ]);
    expect(ran.status).toBe(1);
    expect(ran.stdout).toContain('violated: mutual exclusion');
    expect(ran.stdout).toContain(`wrote ${out}/${testFile}\n`);
    expect(readdirSync(join(repoRoot, out))).toEqual([testFile]);
    const source = readFileSync(join(repoRoot, out, testFile), 'utf8');
    expect(source).toContain("import spec from '../../diff/fixtures/specs/lock-view.spec.ts';");
    expect(source).toContain(
      'Written again by: npx gmemcheck check lock-view --design check-then-set --format vitest --fixed test-and-set',
    );
  });

  test.each([
    [
      ['--fixed', 'check-then-set'],
      'gmemcheck: --fixed check-then-set does not keep mutual exclusion at these bounds (violated); name a design that keeps it\n',
    ],
    [['--fixed', 'cas'], 'gmemcheck: spec "lock-view" has no design "cas" (designs: test-and-set, check-then-set)\n'],
  ])('export-test %j: one line, exit 2', async (args, message) => {
    const ran = await gmemcheck(['export-test', await lockViewTrace(), ...S, ...args, '--out', join(tempDir(), 'out')]);
    expect([ran.status, ran.stderr]).toEqual([2, message]);
  });

  test('a trace that no longer reproduces, or a witness, is bad input', async () => {
    const trace = await lockViewTrace();
    const doc = JSON.parse(readFileSync(trace, 'utf8'));
    doc.steps.pop();
    const shorter = join(tempDir(), 'shorter.json');
    writeFileSync(shorter, JSON.stringify(doc));
    const ran = await gmemcheck(['export-test', shorter, ...S, '--out', join(tempDir(), 'out')]);
    expect([ran.status, ran.stderr]).toEqual([
      2,
      'gmemcheck: the trace no longer reproduces on lock-view(check-then-set): mutual exclusion is broken at steps [], not at step 3 alone (check the spec again for a fresh counterexample)\n',
    ]);
    doc.property.status = 'satisfied';
    writeFileSync(shorter, JSON.stringify(doc));
    const witness = await gmemcheck(['export-test', shorter, ...S]);
    expect([witness.status, witness.stderr]).toEqual([
      2,
      `gmemcheck: ${shorter} is a satisfied mutual exclusion: a regression test is written from a violation\n`,
    ]);
  });
});
