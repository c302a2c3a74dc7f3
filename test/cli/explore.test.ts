/**
 * gmemcheck explore driven by piped stdin, as a script drives it: no prompt, one command a
 * line; it reaches the stale private SPTE of no-invalidate-retry along a known path, `back`
 * undoes, `s` saves a trace that replay reproduces, and a command it cannot do exits 2.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { fixtureSpecs, gmemcheck, gmemcheckWithInput, hasScript, onTerminal, tempDir } from './gmemcheck.ts';

const args = ['explore', 'private-mapping-after-conversion', '--design', 'no-invalidate-retry'];
/**
 * Conversion of gfn 0x0 begins; a private fault on it reads mmu_invalidate_seq and the
 * attribute (still private); the conversion stores shared; the fault gets the pfn and maps it.
 */
const race = ['4', '1', '1', '0', '1', '1'];
const broken = '  violated: no-private-access-after-shared-conversion — ';

describe.concurrent('gmemcheck explore with piped stdin', { timeout: 60_000 }, () => {
  test('reaches no-private-access-after-shared-conversion at step 6 of the known race, and not before', async () => {
    const ran = await gmemcheckWithInput(args, `${race.join('\n')}\nq\n`);
    expect(ran.status).toBe(0);
    expect(ran.stderr).toBe('');
    expect(ran.stdout).not.toMatch(/step \d+> /);
    expect(ran.stdout.split('\n').filter((l) => l.startsWith('step '))).toHaveLength(6);
    const [before, after] = ran.stdout.split(/^step 6: /m);
    expect(before).not.toContain(broken);
    expect(after).toMatch(/^CPU1 vm0 vCPU fault gfn 0x0 \(private\): .*map private SPTE 0x0\n/);
    expect(after).toContain(broken);
  });

  test('back undoes the last step; p prints the path; s saves a trace that replay reproduces', async () => {
    const file = join(tempDir(), 'race.json');
    const ran = await gmemcheckWithInput(
      [...args, '--path', race.slice(0, 3).join(',')],
      [
        '# the path so far is 4,1,1; a comment and an empty line are skipped',
        '',
        ...race.slice(3),
        'b',
        'p',
        race[5],
        `s ${file}`,
      ].join('\n'),
    );
    expect(ran.status).toBe(0);
    expect(ran.stdout).toMatch(/^back to step 5, undoing CPU1 vm0 vCPU fault gfn 0x0 \(private\): /m);
    expect(ran.stdout).toContain(
      `5 actions (gmemcheck explore private-mapping-after-conversion --design no-invalidate-retry --path ${race.slice(0, 5).join(',')}):\n`,
    );
    // Broken at step 6 twice: once on the way, once after back.
    expect(ran.stdout.split(broken)).toHaveLength(3);
    expect(ran.stdout).toContain(
      `saved 6 steps, no-private-access-after-shared-conversion violated at the last, to ${file} (gmemcheck replay ${file} reproduces it)\n`,
    );
    const replayed = await gmemcheck(['replay', file]);
    expect([replayed.status, replayed.stdout]).toEqual([
      0,
      'no-private-access-after-shared-conversion (json trace of guest_memfd (no-invalidate-retry), design no-invalidate-retry) reproduces: violated after step 6\n',
    ]);
  });

  test('an action number out of range is one line on stderr and exit 2, after what was done before it', async () => {
    const ran = await gmemcheckWithInput(
      ['explore', 'mutex', '--design', 'naive', '--specs', fixtureSpecs],
      '0\n4\n1\n',
    );
    expect(ran.status).toBe(2);
    expect(ran.stdout).toContain('\nstep 1: P0\n');
    expect(ran.stdout).not.toContain('step 2');
    expect(ran.stderr).toBe(
      'gmemcheck: input line 2 "4": action 4 is out of range: the state after step 1 has actions 0 to 3\n',
    );
  });

  test('s on a path where nothing breaks writes nothing and exits 2; so does an unknown command', async () => {
    const file = join(tempDir(), 'none.json');
    const [save, unknown] = await Promise.all([
      gmemcheckWithInput(['explore', 'mutex', '--design', 'naive', '--specs', fixtureSpecs], `0\ns ${file}\n`),
      gmemcheckWithInput(['explore', 'mutex', '--design', 'naive', '--specs', fixtureSpecs], 'go\n'),
    ]);
    expect([save.status, save.stderr]).toEqual([
      2,
      `gmemcheck: input line 2 "s ${file}": no property is violated or witnessed after step 1, so there is no trace for replay to reproduce (p prints the path to start from again)\n`,
    ]);
    expect(existsSync(file)).toBe(false);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(
      /^gmemcheck: input line 1 "go": unknown command "go" \(commands: N take action N, .*\)\n$/,
    );
  });

  test.runIf(hasScript)('on a terminal it prompts, and an action out of range is a message, not an exit', async () => {
    const ran = await onTerminal(['explore', 'mutex', '--design', 'naive', '--specs', fixtureSpecs], {}, '0\n9\nq\n');
    expect(ran.status).toBe(0);
    expect(ran.stdout).toContain(
      'commands: N take action N, b back, p path, s FILE save the trace, state, a actions, h help, q quit',
    );
    expect(ran.stdout).toContain('step 1> ');
    expect(ran.stdout).toMatch(/\nstep 1: P0\r?\n/);
    expect(ran.stdout).toMatch(/\naction 9 is out of range: the state after step 1 has actions 0 to 3\r?\n/);
  });
});
