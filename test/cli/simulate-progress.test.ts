/**
 * simulate's progress line: walks (and those spent shrinking), the deepest walk, walks/s and
 * the elapsed time, rewritten in place on a terminal; nothing off a terminal or under CI.
 */
import { describe, expect, test } from 'vitest';
import { formatSimulateProgress, simulateProgressLine } from '../../checker/cli/progress.ts';
import { fixtureSpecs, hasScript, onTerminal } from './gmemcheck.ts';

describe('the progress line of simulate', { timeout: 60_000 }, () => {
  test('reads walks, shrinking, deepest, walks/s and seconds, figures first', () => {
    const p = { walks: 1234, shrinkWalks: 56, shrinking: true, deepest: 14, elapsedMs: 2500, walksPerSecond: 493.6 };
    expect(formatSimulateProgress('spec / design', p)).toBe(
      '1,234 walks, shrinking a counterexample (56 walks), deepest 14 steps, 494 walks/s, 2.5 s  spec / design',
    );
    expect(formatSimulateProgress('', { ...p, shrinking: false })).toBe(
      '1,234 walks, deepest 14 steps, 494 walks/s, 2.5 s',
    );
    expect(
      formatSimulateProgress('', {
        walks: 1,
        shrinkWalks: 1,
        shrinking: true,
        deepest: 1,
        elapsedMs: 100,
        walksPerSecond: 10,
      }),
    ).toBe('1 walk, shrinking a counterexample (1 walk), deepest 1 step, 10 walks/s, 0.1 s');
    const tty = { isTTY: true, columns: 80, write: () => true };
    expect(simulateProgressLine('s / d', tty, {}).onProgress).toBeTypeOf('function');
    expect(simulateProgressLine('s / d', tty, { CI: 'true' }).onProgress).toBeUndefined();
    expect(simulateProgressLine('s / d', { ...tty, isTTY: false }, {}).onProgress).toBeUndefined();
  });

  test.runIf(hasScript)("shows on a terminal and is cleared before the design's results", async () => {
    const ran = await onTerminal(
      [
        'simulate',
        'mutex',
        '--design',
        'peterson',
        '--walks',
        '200',
        '--steps',
        '50',
        '--seed',
        '1',
        '--specs',
        fixtureSpecs,
      ],
      { GMEMCHECK_PROGRESS_INTERVAL_MS: '1' },
    );
    expect(ran.status).toBe(0);
    expect(ran.stdout).toMatch(
      /\r[\d,]+ walks, deepest \d+ steps, [\d,]+ walks\/s, \d+\.\d s  mutex \/ peterson\x1b\[K/,
    );
    expect(ran.stdout).toMatch(/\r\x1b\[K\r?\ndesign peterson \(model peterson\(4\)\)/);
    expect(ran.stdout).toContain('no counterexample in 200 walks  mutual-exclusion');
  });
});
