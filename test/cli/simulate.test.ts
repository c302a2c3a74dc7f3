/**
 * gmemcheck simulate, run as a process on a real spec with a fixed seed: it finds the planted
 * race of a buggy design (exit 1, a shrunk trace that replay reproduces) and, on a design
 * that keeps the property, says no walk contradicted it, never that it holds (exit 0).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { gmemcheck, tempDir } from './gmemcheck.ts';

const spec = 'private-mapping-after-conversion';
/** Few, short walks: the spec's operations end every walk within about 20 steps anyway. */
const small = ['--walks', '100', '--steps', '40', '--seed', '7'];
const stats =
  /^  100 walks \(and [\d,]+ to shrink\), [\d,]+ walks\/s, deepest state reached after \d+ steps \(\d+\.\d\d s\)$/m;

describe.concurrent('gmemcheck simulate', { timeout: 60_000 }, () => {
  test('finds the stale private SPTE of no-invalidate-retry with seed 7, exits 1, and saves a trace replay reproduces', async () => {
    const out = tempDir();
    const ran = await gmemcheck([
      'simulate',
      spec,
      '--design',
      'no-invalidate-retry',
      ...small,
      '--format',
      'json',
      '--out',
      out,
    ]);
    expect(ran.status).toBe(1);
    expect(ran.stderr).toBe('');
    expect(ran.stdout).toContain('  simulation: 100 random walks of at most 40 steps per design, seed 7\n');
    expect(ran.stdout).toMatch(stats);
    expect(ran.stdout).toContain(
      [
        '  violated (8 steps)              no-private-access-after-shared-conversion',
        '  violated (8 steps)              no-shared-access-to-private',
        '  violated (5 steps)              no-stale-mapping-during-invalidation',
        '  no counterexample in 100 walks  invalidations-balanced',
      ].join('\n'),
    );
    expect(ran.stdout).not.toMatch(/^  holds /m);
    // The shrunk trace, printed in the chosen format.
    expect(ran.stdout).toContain('"name": "no-private-access-after-shared-conversion"');
    const file = join(out, `${spec}.no-invalidate-retry.no-private-access-after-shared-conversion.json`);
    expect(readdirSync(out)).toContain(`${spec}.no-invalidate-retry.no-private-access-after-shared-conversion.json`);
    const replayed = await gmemcheck(['replay', file]);
    expect([replayed.status, replayed.stdout]).toEqual([
      0,
      'no-private-access-after-shared-conversion (json trace of guest_memfd (no-invalidate-retry), design no-invalidate-retry) reproduces: violated after step 8\n',
    ]);
  });

  test('exits 0 on upstream, saying no counterexample in 50 walks, never that the property holds', async () => {
    const ran = await gmemcheck([
      'simulate',
      spec,
      '--design',
      'upstream',
      '--walks',
      '50',
      '--steps',
      '40',
      '--seed',
      '7',
    ]);
    expect(ran.status).toBe(0);
    expect(ran.stderr).toBe('');
    expect(ran.stdout).toContain('  no counterexample in 50 walks  no-private-access-after-shared-conversion\n');
    expect(ran.stdout).toContain('  no counterexample in 50 walks  no-deadlock\n');
    expect(ran.stdout).not.toMatch(/^  holds /m);
    expect(ran.stdout).toContain(
      'Simulation is not exhaustive: "no counterexample" means no walk found one, not that the property holds',
    );
    expect(ran.stdout).toContain('Rerun with --seed 7 to repeat this run.');
  });

  test('--help and the main usage name simulate and explore', async () => {
    const [main, simulate, explore] = await Promise.all([
      gmemcheck(['--help']),
      gmemcheck(['simulate', '--help']),
      gmemcheck(['explore', '--help']),
    ]);
    expect(main.stdout).toContain(
      "  simulate     random walks far deeper than check's bound; finds violations, proves nothing\n",
    );
    expect(main.stdout).toContain("  explore      step through one design's model by hand, action by action\n");
    expect(simulate.stdout).toMatch(/^Usage: gmemcheck simulate <spec> \[options\]/);
    expect(explore.stdout).toMatch(/^Usage: gmemcheck explore <spec> --design NAME/);
    expect([main.status, simulate.status, explore.status]).toEqual([0, 0, 0]);
  });
});
