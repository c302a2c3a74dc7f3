/**
 * `review --shard i/n` and `review --merge DIR...`: the shards' parts merge into the review a
 * single run writes, file for file, byte for byte, once the timings are normalised: every
 * `elapsedMs` of review.json (the review's and each run's) and the "Run time" line of review.md
 * and review.html, nothing else; the comparisons with each spec's baseline included. Bad input
 * is one line, exit 2.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { shareOf } from '../../checker/review/shard.ts';
import { fixtureSpecs, gmemcheck, tempDir } from './gmemcheck.ts';

const S = ['--specs', fixtureSpecs];

/** Every file below `dir`, relative, sorted, with its content; timings normalised. */
function snapshot(dir: string): Record<string, string> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(dir.length + 1))
    .sort();
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

  test("two shards (one with --jobs 2) and three shards merge into the single run's files", async () => {
    const root = tempDir();
    const out = join(root, 'review');
    const single = join(root, 'single');
    const singleStdout = await reviewAt(out, single, [...S]);
    // The identity covers the comparisons, which every review makes unless --no-compare.
    expect(
      JSON.parse(readFileSync(join(single, 'review.json'), 'utf8')).comparisons.designs.map(
        (c: { spec: string; to: string }) => `${c.spec} ${c.to}`,
      ),
    ).toEqual(['lock check-then-set', 'mutex naive']);

    const ran1 = await gmemcheck(['review', ...S, '--shard', '1/2', '--out', join(root, 'p1')]);
    expect([ran1.status, ran1.stderr, ran1.stdout]).toEqual([
      0,
      '',
      `shard 1/2: 3 design runs of 5; wrote ${join(root, 'p1', 'review-part.json')} (merge the parts with gmemcheck review --merge DIR...)\n`,
    ]);
    const ran2 = await gmemcheck(['review', ...S, '--shard', '2/2', '--jobs', '2', '--out', join(root, 'p2')], {
      GMEMCHECK_JOBS_HELPERS_ONLY: '1',
    });
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
    writeFileSync(
      join(specs, 'mutex.spec.ts'),
      source
        .replace(/'\.\.\/\.\.\/\.\.\/\.\.\//g, `'${process.cwd()}/`)
        .replace("naive: { 'mutual-exclusion': 'violated' }", "naive: { 'mutual-exclusion': 'holds' }"),
    );
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
    [
      ['--merge', 'test/cli'],
      'gmemcheck: test/cli holds no review-part.json (give the --out directory of a gmemcheck review --shard i/n run)\n',
    ],
    [
      ['--merge', '--shard', '1/2', 'x'],
      'gmemcheck: --merge and --shard do not go together: run the shards, then merge their parts\n',
    ],
  ])('bad input %j is one line, exit 2', async (args, message) => {
    const ran = await gmemcheck(['review', ...S, ...args, '--out', join(tempDir(), 'out')]);
    expect([ran.status, ran.stderr]).toEqual([2, message]);
  });

  test('a merge without every shard, or with one twice, names what is missing', async () => {
    const root = tempDir();
    for (const i of [1, 2, 3])
      expect((await gmemcheck(['review', ...S, '--shard', `${i}/3`, '--out', join(root, `p${i}`)])).status).toBe(0);
    const missing = await gmemcheck([
      'review',
      '--merge',
      join(root, 'p1'),
      join(root, 'p3'),
      '--out',
      join(root, 'm'),
    ]);
    expect([missing.status, missing.stderr]).toEqual([
      2,
      "gmemcheck: the parts of shard 2/3 are missing: give every shard's --out directory\n",
    ]);
    const twice = await gmemcheck([
      'review',
      '--merge',
      join(root, 'p1'),
      join(root, 'p1'),
      join(root, 'p2'),
      '--out',
      join(root, 'm'),
    ]);
    expect(twice.status).toBe(2);
    expect(twice.stderr).toContain('are both shard 1/3');
  });
});

describe('the comparisons with the baseline', { timeout: 60_000 }, () => {
  const L = ['--specs', 'test/diff/fixtures/specs'];
  interface Side {
    newViews: number;
    factSets: number;
    shown: { kind: string; facts: string[]; views: number; trace?: string[] }[];
  }
  interface Compared {
    spec: string;
    from: string;
    to: string;
    equal: boolean;
    baseline: string;
    newInTo: Side;
    newInFrom: Side;
  }

  test("review.json and review.md hold each design compared with the spec's first design when it does not check upstream", async () => {
    const root = tempDir();
    await reviewAt(join(root, 'review'), join(root, 'single'), L);
    const json = JSON.parse(readFileSync(join(root, 'single', 'review.json'), 'utf8'));
    expect(json.comparisons.with).toBe('upstream');
    const designs = json.comparisons.designs as Compared[];
    expect(designs.map((c) => [c.spec, c.from, c.to, c.equal, c.baseline])).toEqual([
      ['lock-view', 'test-and-set', 'check-then-set', false, 'first'],
    ]);
    // The counts test/diff/behaviours.test.ts pins, with one set shown per side.
    const [c] = designs;
    expect([c.newInTo.newViews, c.newInTo.factSets, c.newInTo.shown.length, c.newInFrom.newViews]).toEqual([
      10, 5, 1, 0,
    ]);
    expect(c.newInTo.shown[0]).toEqual({
      kind: 'fact',
      facts: ['T0: saw the lock free'],
      views: 4,
      trace: ['T0 check'],
    });

    const md = readFileSync(join(root, 'single', 'review.md'), 'utf8');
    const section = md.slice(md.indexOf('## Compared with upstream'));
    expect(md).toContain('[Compared with upstream](#compared-with-upstream), after the specs.');
    const heading =
      "lock-view / check-then-set compared with test-and-set (the spec's first design: it does not check upstream)";
    expect(section).toContain(
      '| lock-view | [check-then-set](#lock-view--check-then-set-compared-with-test-and-set-the-specs-first-design-it-does-not-check-upstream) | test-and-set | 10 views (5 fact sets) | none |',
    );
    expect(section).toContain(`### ${heading}\n`);
    expect(section).toContain(
      'check-then-set newly allows 10 views (5 fact sets) that test-and-set never reaches; the first, a fact no state of test-and-set has (4 new views):\n\n```\n  T0: saw the lock free\nshortest trace, 1 step:\n  1  T0 check\n```\n',
    );
    expect(section).toContain('check-then-set reaches every view test-and-set reaches.');
    // The page has the same section, each design linked to its comparison.
    const html = readFileSync(join(root, 'single', 'review.html'), 'utf8');
    expect(html).toContain(
      '<section class="comparison" id="lock-view--check-then-set-compared-with-test-and-set-the-specs-first-design-it-does-not-check-upstream" data-design="check-then-set">',
    );
    expect(html).toContain(
      '<a href="#lock-view--check-then-set-compared-with-test-and-set-the-specs-first-design-it-does-not-check-upstream">check-then-set</a>',
    );
  });

  test('--compare-with names the baseline; --no-compare leaves the section out', async () => {
    const root = tempDir();
    await reviewAt(join(root, 'review'), join(root, 'named'), [...L, '--compare-with', 'test-and-set']);
    const json = JSON.parse(readFileSync(join(root, 'named', 'review.json'), 'utf8'));
    expect(json.comparisons.designs.map((c: Compared) => [c.from, c.to, c.baseline])).toEqual([
      ['test-and-set', 'check-then-set', 'named'],
    ]);
    expect(readFileSync(join(root, 'named', 'review.md'), 'utf8')).toContain(
      '### lock-view / check-then-set compared with test-and-set\n',
    );

    await reviewAt(join(root, 'review'), join(root, 'none'), [...L, '--no-compare']);
    expect(JSON.parse(readFileSync(join(root, 'none', 'review.json'), 'utf8'))).not.toHaveProperty('comparisons');
    expect(readFileSync(join(root, 'none', 'review.md'), 'utf8')).not.toContain('Compared with');
    expect(readFileSync(join(root, 'none', 'review.html'), 'utf8')).not.toContain('class="comparison');
  });

  test("shards that compared merge into the single run's files; shards that compared differently do not merge", async () => {
    const root = tempDir();
    const out = join(root, 'review');
    await reviewAt(out, join(root, 'single'), L);
    // Shard 2 compares on the helper thread that large reviews use (compare-aside.ts): the same comparisons.
    expect((await gmemcheck(['review', ...L, '--shard', '1/2', '--out', join(root, 'p1')])).status).toBe(0);
    expect(
      (await gmemcheck(['review', ...L, '--shard', '2/2', '--out', join(root, 'p2')], { GMEMCHECK_COMPARE_ASIDE: '1' }))
        .status,
    ).toBe(0);
    await reviewAt(out, join(root, 'merged'), ['--merge', join(root, 'p1'), join(root, 'p2')]);
    expect(snapshot(join(root, 'merged'))).toEqual(snapshot(join(root, 'single')));

    expect(
      (await gmemcheck(['review', ...L, '--shard', '2/2', '--no-compare', '--out', join(root, 'q2')])).status,
    ).toBe(0);
    const odd = await gmemcheck(['review', '--merge', join(root, 'p1'), join(root, 'q2'), '--out', join(root, 'm')]);
    expect([odd.status, odd.stderr]).toEqual([
      2,
      `gmemcheck: ${join(root, 'q2')} (shard 2/2) and ${join(root, 'p1')} (shard 1/2) differ in --compare-with / --no-compare: run every shard alike\n`,
    ]);
  });

  test.each([
    [
      ['--no-compare', '--compare-with', 'x'],
      'gmemcheck: --no-compare and --compare-with do not go together: drop one\n',
    ],
    [
      ['--compare-with', 'nope'],
      'gmemcheck: --compare-with nope: no spec reviewed checks that design (they check test-and-set, check-then-set)\n',
    ],
    [
      ['--merge', 'x', '--no-compare'],
      'gmemcheck: --merge takes the comparisons the shards made: give --no-compare or --compare-with to the shards\n',
    ],
  ])('bad input %j is one line, exit 2', async (args, message) => {
    const ran = await gmemcheck(['review', ...L, ...args, '--out', join(tempDir(), 'out')]);
    expect([ran.status, ran.stderr]).toEqual([2, message]);
  });
});
