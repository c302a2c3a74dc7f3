/**
 * The progress line: on a terminal, one line on stderr rewritten with \r (states, queue, depth,
 * states/s, elapsed) and cleared at the end; nothing when output is piped or CI is set.
 * GMEMCHECK_PROGRESS_INTERVAL_MS=1 makes it show on a run of a fraction of a second.
 */
import { describe, expect, test } from 'vitest';
import { fixtureSpecs, gmemcheck, hasScript, onTerminal as onTerminalWith } from './gmemcheck.ts';

const args = ['check', 'mutex', '--design', 'peterson', '--specs', fixtureSpecs];
const onTerminal = (env: Record<string, string>) => onTerminalWith(args, env);
const fast = { GMEMCHECK_PROGRESS_INTERVAL_MS: '1' };
const line = /\r[\d,]+ states, queue [\d,]+, depth \d+, [\d,]+ states\/s, \d+\.\d s  mutex \/ peterson\x1b\[K/;

describe.concurrent('the progress line', { timeout: 60_000 }, () => {
  test('is absent when stderr is piped, even with a short interval', async () => {
    const ran = await gmemcheck(args, fast);
    expect(ran.status).toBe(0);
    expect(ran.stderr).toBe('');
    expect(ran.stdout).not.toContain('\r');
  });

  test.runIf(hasScript)('shows on a terminal, rewritten in place, and is cleared before the results', async () => {
    const ran = await onTerminal(fast);
    expect(ran.status).toBe(0);
    expect(ran.stdout).toMatch(line);
    // Cleared (\r, erase line) before the design's results are printed.
    expect(ran.stdout).toMatch(/\r\x1b\[K\r?\ndesign peterson \(model peterson\(4\)\)/);
  });

  test.runIf(hasScript)('is absent on a terminal when CI is set', async () => {
    const ran = await onTerminal({ ...fast, CI: 'true' });
    expect(ran.status).toBe(0);
    expect(ran.stdout).toContain('16,404 distinct states');
    expect(ran.stdout).not.toMatch(/states\/s, \d/);
    expect(ran.stdout).not.toContain('\x1b[K');
  });
});
