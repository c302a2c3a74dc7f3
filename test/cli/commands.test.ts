/**
 * check, replay, list and help, run as processes on the fixture specs: their output and each
 * exit code (0 pass, 1 violated or unsatisfied, 3 stopped by a limit).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  documentedSpecs,
  editedFixtureSpec,
  fixtureSpecs,
  flippedLockSpecs,
  gmemcheck,
  repoRoot,
  savedTrace,
  tempDir,
} from './gmemcheck.ts';

const S = ['--specs', fixtureSpecs];
/** The one figure that changes between runs: the time and the rate. */
const timeless = (text: string) => text.replace(/\(\d+\.\d\d s, [\d,]+ states\/s; [\d.]+ bytes\/state\)/g, '(T)');
/** Without the time, and without the collision line (pinned once, in the first test). */
const plain = (text: string) => timeless(text).replace(/^  fingerprint collision probability .*\n/gm, '');

describe.concurrent('gmemcheck check, replay, list', { timeout: 60_000 }, () => {
  test('check exits 0 when every property holds, and prints the counts and each outcome', async () => {
    const ran = await gmemcheck(['check', 'mutex', '--design', 'peterson', ...S]);
    expect(ran.status).toBe(0);
    expect(ran.stderr).toBe('');
    expect(timeless(ran.stdout)).toBe(
      [
        'mutex: Anchor mutexes',
        '  Does a mutex keep its critical section to one process?',
        '  bounds: processes = 4',
        '',
        'design peterson (model peterson(4))',
        '  16,404 distinct states, 48,488 transitions, depth 38, complete (T)',
        '  fingerprint collision probability 2.9e-11',
        '  holds  mutual-exclusion',
        '',
        'Every outcome is as the spec expects.',
        '',
      ].join('\n'),
    );
  });

  test('check exits 1 on a violation and prints the 4-step counterexample of naive_mutex(4)', async () => {
    const ran = await gmemcheck(['check', 'mutex', '--design', 'naive', ...S]);
    expect(ran.status).toBe(1);
    const out = plain(ran.stdout);
    expect(out).toContain(
      '  256 distinct states, 800 transitions, depth 12, complete (T)\n  violated (4 steps)  mutual-exclusion\n',
    );
    expect(out).toContain(
      '  violated (4 steps)  mutual-exclusion\n\ngmemcheck: mutual-exclusion violated (model: naive_mutex(4), spec: mutex, design: naive)\n4 steps',
    );
    expect(out).toContain('    violated: mutual-exclusion — false in the state after step 4\n');
    expect(out.endsWith('Every outcome is as the spec expects.\n')).toBe(true);
  });

  test('check exits 1 when a witness is unsatisfied, even where the spec expects it (TLC-like)', async () => {
    const ran = await gmemcheck(['check', 'lock', '--design', 'test-and-set', ...S]);
    expect(ran.status).toBe(1);
    expect(plain(ran.stdout)).toContain(
      [
        '  3 distinct states, 4 transitions, depth 1, complete (T)',
        '  holds        mutual exclusion',
        '  satisfied    a thread enters',
        '  unsatisfied  both threads inside',
      ].join('\n'),
    );
  });

  test('check exits 3 when --max-states stops the run before the bounded space is covered', async () => {
    const ran = await gmemcheck(['check', 'mutex', '--design', 'peterson', '--max-states', '100', ...S]);
    expect(ran.status).toBe(3);
    expect(plain(ran.stdout)).toContain(
      [
        '  100 distinct states, 207 transitions, depth 4, stopped by the max-states limit before covering the bounded space (T)',
        '  ? holds so far (max-states limit)  mutual-exclusion',
        '',
        '1 outcome is inconclusive (marked ?): rerun with a higher limit.',
      ].join('\n'),
    );
  });

  test('check --depth bounds the search: peterson(4) to depth 5 is complete at 126 states', async () => {
    const ran = await gmemcheck(['check', 'mutex', '--design', 'peterson', '--depth', '5', ...S]);
    expect(ran.status).toBe(0);
    expect(plain(ran.stdout)).toContain('  126 distinct states, 280 transitions, depth 5, complete (T)\n');
  });

  test('check --workers 2 runs on threads and gives the same counts and outcome as one', async () => {
    const ran = await gmemcheck(['check', 'mutex', '--design', 'peterson', '--workers', '2', ...S]);
    expect(ran.status).toBe(0);
    expect(plain(ran.stdout)).toContain(
      '  16,404 distinct states, 48,488 transitions, depth 38, complete (T)\n  holds  mutual-exclusion\n',
    );
  });

  test('check a spec by its path checks every design', async () => {
    const ran = await gmemcheck(['check', `${fixtureSpecs}/lock.spec.ts`]);
    expect(ran.status).toBe(1);
    expect(ran.stdout).toContain('design test-and-set (model lock(test-and-set))\n');
    expect(ran.stdout).toContain('design check-then-set (model lock(check-then-set))\n');
    expect(ran.stdout).toContain('  violated (4 steps)  mutual exclusion\n');
  });

  test('check --out writes one file per trace, whole, named <spec>.<design>.<property>.<ext>', async () => {
    const out = join(tempDir(), 'traces');
    const ran = await gmemcheck([
      'check',
      'lock',
      '--design',
      'check-then-set',
      '--format',
      'mermaid',
      '--out',
      out,
      ...S,
    ]);
    expect(ran.status).toBe(1);
    expect(readdirSync(out).sort()).toEqual([
      'lock.check-then-set.a-thread-enters.md',
      'lock.check-then-set.both-threads-inside.md',
      'lock.check-then-set.mutual-exclusion.md',
    ]);
    const md = readFileSync(join(out, 'lock.check-then-set.mutual-exclusion.md'), 'utf8');
    expect(md.startsWith('```mermaid\nsequenceDiagram\n')).toBe(true);
    expect(md.endsWith('\n```\n')).toBe(true);
    expect(ran.stdout).toContain(`wrote ${join(out, 'lock.check-then-set.mutual-exclusion.md')}\n`);
  });

  test('replay says a saved json and an itf trace still reproduce (exit 0)', async () => {
    const out = tempDir();
    const [json, itf] = await Promise.all(
      ['json', 'itf'].map((format) =>
        gmemcheck(['check', 'mutex', '--design', 'naive', '--format', format, '--out', out, ...S]),
      ),
    );
    expect([json.status, itf.status]).toEqual([1, 1]);
    expect(json.stdout).toContain('"format": "gmemcheck-trace"');
    const replays = await Promise.all(
      ['mutex.naive.mutual-exclusion.json', 'mutex.naive.mutual-exclusion.itf.json'].map((f) =>
        gmemcheck(['replay', join(out, f), ...S]),
      ),
    );
    expect(replays.map((r) => [r.status, r.stdout])).toEqual([
      [0, 'mutual-exclusion (json trace of naive_mutex(4), design naive) reproduces: violated after step 4\n'],
      [0, 'mutual-exclusion (itf trace of naive_mutex(4), design naive) reproduces: violated after step 4\n'],
    ]);
  });

  test('replay exits 1 naming the step when the design changed since the trace was saved', async () => {
    const trace = await savedTrace('lock', 'check-then-set', 'mutual-exclusion', fixtureSpecs);
    const ran = await gmemcheck(['replay', trace, '--specs', flippedLockSpecs()]);
    expect(ran.status).toBe(1);
    expect(ran.stdout).toMatch(
      /^mutual exclusion \(json trace of lock\(check-then-set\), design check-then-set\) no longer replays on lock\(test-and-set\): .*step 1/,
    );
  });

  test("replay notes when the spec's bounds changed since the trace was saved", async () => {
    const out = tempDir();
    expect(
      (await gmemcheck(['check', 'mutex', '--design', 'naive', '--format', 'json', '--out', out, ...S])).status,
    ).toBe(1);
    const specs = editedFixtureSpec('mutex', (s) =>
      s.replace('bounds: { processes: 4 }', "bounds: { processes: 4, note: 'widened' }"),
    );
    const ran = await gmemcheck(['replay', join(out, 'mutex.naive.mutual-exclusion.json'), '--specs', specs]);
    expect([ran.status, ran.stdout]).toEqual([
      0,
      'note: the trace was saved at bounds {"processes":4}; spec "mutex" now has {"note":"widened","processes":4}\n' +
        'mutual-exclusion (json trace of naive_mutex(4), design naive) reproduces: violated after step 4\n',
    ]);
  });

  test('list prints each spec, design and property on a line', async () => {
    const ran = await gmemcheck(['list', ...S]);
    expect(ran.status).toBe(0);
    expect(ran.stdout).toBe(
      [
        'lock: Can two threads hold the lock at once?',
        '  design test-and-set',
        '  design check-then-set',
        '  property mutual exclusion',
        '  property a thread enters',
        '  property both threads inside',
        'mutex: Does a mutex keep its critical section to one process?',
        '  design peterson',
        '  design naive',
        '  property mutual-exclusion',
        'philosophers: Can the philosophers all get stuck?',
        '  design left-first',
        '  property no-deadlock',
        '',
      ].join('\n'),
    );
  });

  test('list follows a property with its why where the model documents one', async () => {
    const ran = await gmemcheck(['list', '--specs', documentedSpecs]);
    expect([ran.status, ran.stderr]).toEqual([0, '']);
    expect(ran.stdout).toBe(
      [
        'documented-lock: Can two threads hold the lock at once?',
        '  design test-and-set',
        '  design check-then-set',
        '  property mutual exclusion: Two threads inside at once both write what the lock protects: a <torn> update & lost writes.',
        '  property a thread enters: A lock no thread can take protects nothing: the check is vacuous.',
        '  property both threads inside',
        '',
      ].join('\n'),
    );
  });

  test('--help prints the usage and exits 0; so does <command> --help, whatever else is on the line; --version', async () => {
    const [main, check, version, simulate] = await Promise.all([
      gmemcheck(['--help']),
      gmemcheck(['check', '--help']),
      gmemcheck(['--version']),
      gmemcheck(['simulate', '--steps', '0', '--bogus', '-h']),
    ]);
    expect(main.status).toBe(0);
    expect(main.stdout).toMatch(/^gmemcheck: an explicit-state model checker/);
    expect(main.stdout).toContain('gmemcheck review [specs...] [--out DIR]');
    expect(check.status).toBe(0);
    expect(check.stdout).toMatch(/^Usage: gmemcheck check <spec> \[options\]/);
    expect([simulate.status, simulate.stderr]).toEqual([0, '']);
    expect(simulate.stdout).toMatch(
      /^Usage: gmemcheck simulate <spec> \[options\]\n[^]*  --steps N          transitions per walk at most \(default 1000, at most 100000\)\n/,
    );
    expect(version.stdout).toBe(
      `gmemcheck ${JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version}\n`,
    );
  });
});
