/**
 * A spec file with a syntax error: every command that loads specs says where it is
 * (`file:line:column: syntax error: <message>`) in one line, and exits 2. A spec that Node
 * reads as CommonJS says which package.json it needs.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { editedFixtureSpec, fixtureSpecs, gmemcheck, savedTrace, tempDir } from './gmemcheck.ts';

/** A line esbuild refuses at the `;`, column 25 (1-based). */
const brokenLine = 'export const broken = (1;';
const brokenMessage = 'syntax error: Expected ")" but found ";"';

/** The lock spec with `brokenLine` appended, and that line's number. */
let line = 0;
const specs = editedFixtureSpec('lock', (source) => {
  line = source.split('\n').length;
  return `${source.endsWith('\n') ? source : `${source}\n`}${brokenLine}\n`;
});
const spec = join(specs, 'lock.spec.ts');
const expected = () => `gmemcheck: ${spec}:${line}:25: ${brokenMessage} (fix the file; --debug shows the stack)\n`;

/** A trace of the lock spec, written by check on the good fixture, for replay to load the broken one. */
let trace = '';
beforeAll(async () => {
  trace = await savedTrace('lock', 'check-then-set', 'mutual-exclusion', fixtureSpecs);
}, 60_000);

const commands: [command: string, args: () => string[]][] = [
  ['list', () => ['list', '--specs', specs]],
  ['check', () => ['check', 'lock', '--specs', specs]],
  ['check by path', () => ['check', spec]],
  ['review', () => ['review', '--specs', specs, '--out', join(tempDir(), 'review')]],
  ['simulate', () => ['simulate', 'lock', '--specs', specs]],
  ['explore', () => ['explore', 'lock', '--design', 'test-and-set', '--specs', specs]],
  ['replay', () => ['replay', trace, '--specs', specs]],
];

describe.concurrent('a spec file with a syntax error', { timeout: 60_000 }, () => {
  test.each(commands)('%s: file:line:column and the message, one line, exit 2', async (_command, args) => {
    const ran = await gmemcheck(args());
    expect([ran.status, ran.stdout, ran.stderr]).toEqual([2, '', expected()]);
  });

  test('a syntax error in a module the spec imports names the spec, then the place', async () => {
    const dir = editedFixtureSpec('lock', (source) => `import './helper.ts';\n${source}`);
    writeFileSync(join(dir, 'helper.ts'), `// a helper\n${brokenLine}\n`);
    const ran = await gmemcheck(['list', '--specs', dir]);
    expect([ran.status, ran.stdout, ran.stderr]).toEqual([
      2,
      '',
      `gmemcheck: ${join(dir, 'lock.spec.ts')} failed to load: ${join(dir, 'helper.ts')}:2:25: ${brokenMessage} (fix that file; --debug shows the stack)\n`,
    ]);
  });

  test('a spec outside any package of ES modules says which package.json it needs', async () => {
    const dir = editedFixtureSpec('lock', (source) => `// read as CommonJS\n${source}`);
    rmSync(join(dir, 'package.json'));
    const ran = await gmemcheck(['check', 'lock', '--specs', dir]);
    expect([ran.status, ran.stdout, ran.stderr]).toEqual([
      2,
      '',
      `gmemcheck: ${join(dir, 'lock.spec.ts')} failed to load: Node reads it as CommonJS, as no package.json with "type": "module" is above it ` +
        '(write { "type": "module" } to a package.json in its directory)\n',
    ]);
  });

  test('--debug adds the transform error under the line', async () => {
    const ran = await gmemcheck(['list', '--specs', specs, '--debug']);
    expect(ran.status).toBe(2);
    const lines = ran.stderr.split('\n');
    expect(`${lines[0]}\n`).toBe(expected());
    expect(lines).toContain(`${spec}:${line}:24: ERROR: Expected ")" but found ";"`);
  });
});
