/**
 * `review --shard i/n` and `review --merge DIR...`: the shards' parts merge into the review a
 * single run writes, file for file, byte for byte, once the timings are normalised: every
 * `elapsedMs` of review.json (the review's and each run's) and the "Run time" line of review.md
 * and review.html, nothing else. Bad input is one line, exit 2.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { shareOf } from '../../checker/review/shard.ts';
import { fixtureSpecs, gmemcheck, tempDir } from './gmemcheck.ts';

const S = ['--specs', fixtureSpecs];

/** Every file below `dir`, relative, sorted, with its content; timings normalised. */
function snapshot(dir: string): Record<string, string> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(dir.length + 1)).sort();
  return Object.fromEntries(files.map((name) => [name, normalised(name, readFileSync(join(dir, name), 'utf8'))]));
}

function normalised(name: string, text: string): string {
  if (name === 'review.json') {
    return text.replace(/"elapsedMs": [0-9.]+/g, '"elapsedMs": 0');
  }
  if (name === 'review.md' || name === 'review.html') return text.replace(/Run time: [0-9.]+ s/, 'Run time: T s');
  return text;
}

/** Runs `args` with --out at the same path each time (the page quotes it), then moves it to `keep`. */
async function reviewAt(out: string, keep: string, args: string[]): Promise<string> {
  const ran = await gmemcheck(['review', ...args, '--out', out]);
  expect(ran.stderr).toBe('');
  expect(ran.status).toBe(0);
  renameSync(out, keep);
  return ran.stdout;
}

describe('review --shard and --merge', { timeout: 120_000 }, () => {
  test('shares are dealt round-robin, in order, and cover every cell once', () => {
    const cells = ['a', 'b', 'c', 'd', 'e'];
    expect([1, 2, 3].map((index) => shareOf(cells, { index, count: 3 }))).toEqual([['a', 'd'], ['b', 'e'], ['c']]);
  });

  test('two shards (one with --jobs 2) and three shards merge into the single run\'s files', async () => {
    const root = tempDir();
    const out = join(root, 'review');
    const single = join(root, 'single');
    const singleStdout = await reviewAt(out, single, [...S]);

    const ran1 = await gmemcheck(['review', ...S, '--shard', '1/2', '--out', join(root, 'p1')]);
    expect([ran1.status, ran1.stderr, ran1.stdout]).toEqual([0, '', `shard 1/2: 3 design runs of 5; wrote ${join(root, 'p1', 'review-part.json')} (merge the parts with gmemcheck review --merge DIR...)\n`]);
    const ran2 = await gmemcheck(['review', ...S, '--shard', '2/2', '--jobs', '2', '--out', join(root, 'p2')], { GMEMCHECK_JOBS_HELPERS_ONLY: '1' });
    expect([ran2.status, ran2.stderr]).toEqual([0, '']);
    expect(readdirSync(join(root, 'p2'))).toEqual(['review-part.json']);
    // The order the parts are given in does not matter.
    const mergedStdout = await reviewAt(out, join(root, 'merged'), ['--merge', join(root, 'p2'), join(root, 'p1')]);
    expect(mergedStdout).toBe(singleStdout);
    expect(snapshot(join(root, 'merged'))).toEqual(snapshot(single));

    for (const i of [1, 2, 3]) {
      const ran = await gmemcheck(['review', ...S, '--shard', `${i}/3`, '--out', join(root, `q${i}`)]);
      expect(ran.status).toBe(0);
    }
    await reviewAt(out, join(root, 'merged3'), ['--merge', ...[1, 2, 3].map((i) => join(root, `q${i}`))]);
    expect(snapshot(join(root, 'merged3'))).toEqual(snapshot(single));
  });

  test('a shard exits 1 when one of its cells differs from the expectation, and the merge too', async () => {
    const root = tempDir();
    const specs = join(root, 'specs');
    mkdirSync(specs);
    const source = readFileSync(join(fixtureSpecs, 'mutex.spec.ts'), 'utf8');
    writeFileSync(join(specs, 'mutex.spec.ts'), source
      .replace(/'\.\.\/\.\.\/\.\.\/\.\.\//g, `'${process.cwd()}/`)
      .replace("naive: { 'mutual-exclusion': 'violated' }", "naive: { 'mutual-exclusion': 'holds' }"));
    writeFileSync(join(specs, 'package.json'), '{ "type": "module" }\n');
    const one = await gmemcheck(['review', '--specs', specs, '--shard', '1/2', '--out', join(root, 'p1')]);
    const two = await gmemcheck(['review', '--specs', specs, '--shard', '2/2', '--out', join(root, 'p2')]);
    expect([one.status, two.status]).toEqual([0, 1]);
    const merged = await gmemcheck(['review', '--merge', join(root, 'p1'), join(root, 'p2'), '--out', join(root, 'm')]);
    expect(merged.status).toBe(1);
  });

  test.each([
    [['--shard', '3/2'], 'gmemcheck: --shard 3/2: the index must be from 1 to the count (e.g. --shard 1/2)\n'],
    [['--shard', 'x'], 'gmemcheck: --shard must be INDEX/COUNT, e.g. --shard 1/2, got "x"\n'],
    [['--shard', '0/2'], 'gmemcheck: --shard 0/2: the index must be from 1 to the count (e.g. --shard 1/2)\n'],
    [['--merge'], 'gmemcheck: --merge needs the part directories (e.g. gmemcheck review --merge parts/1 parts/2)\n'],
    [['--merge', 'test/cli'], 'gmemcheck: test/cli holds no review-part.json (give the --out directory of a gmemcheck review --shard i/n run)\n'],
    [['--merge', '--shard', '1/2', 'x'], 'gmemcheck: --merge and --shard do not go together: run the shards, then merge their parts\n'],
  ])('bad input %j is one line, exit 2', async (args, message) => {
    const ran = await gmemcheck(['review', ...S, ...args, '--out', join(tempDir(), 'out')]);
    expect([ran.status, ran.stderr]).toEqual([2, message]);
  });

  test('a merge without every shard, or with one twice, names what is missing', async () => {
    const root = tempDir();
    for (const i of [1, 2, 3]) expect((await gmemcheck(['review', ...S, '--shard', `${i}/3`, '--out', join(root, `p${i}`)])).status).toBe(0);
    const missing = await gmemcheck(['review', '--merge', join(root, 'p1'), join(root, 'p3'), '--out', join(root, 'm')]);
    expect([missing.status, missing.stderr]).toEqual([2, 'gmemcheck: the parts of shard 2/3 are missing: give every shard\'s --out directory\n']);
    const twice = await gmemcheck(['review', '--merge', join(root, 'p1'), join(root, 'p1'), join(root, 'p2'), '--out', join(root, 'm')]);
    expect(twice.status).toBe(2);
    expect(twice.stderr).toContain('are both shard 1/3');
  });
});

describe('review --compare', { timeout: 60_000 }, () => {
  test('adds each design compared with the first to review.json and review.md, and merges from shards alike', async () => {
    const root = tempDir();
    const L = ['--specs', 'test/diff/fixtures/specs', '--compare'];
    const out = join(root, 'review');
    await reviewAt(out, join(root, 'single'), L);
    const json = JSON.parse(readFileSync(join(root, 'single', 'review.json'), 'utf8'));
    expect(json.comparisons.map((c: { spec: string; from: string; to: string; equal: boolean }) => [c.spec, c.from, c.to, c.equal]))
      .toEqual([['lock-view', 'test-and-set', 'check-then-set', false]]);
    expect(json.comparisons[0].newInTo).toMatchObject({ newViews: 10, factSets: 5 });
    const md = readFileSync(join(root, 'single', 'review.md'), 'utf8');
    expect(md).toContain('### lock-view: check-then-set compared with test-and-set');
    expect(md).toContain('check-then-set reaches 10 views test-and-set does not, under 5 new fact sets:');

    for (const i of [1, 2]) expect((await gmemcheck(['review', ...L, '--shard', `${i}/2`, '--out', join(root, `p${i}`)])).status).toBe(0);
    await reviewAt(out, join(root, 'merged'), ['--merge', join(root, 'p1'), join(root, 'p2')]);
    expect(snapshot(join(root, 'merged'))).toEqual(snapshot(join(root, 'single')));
  });
});
