/**
 * Bad input: each kind gives exactly one line on stderr that names the problem and the fix,
 * exit code 2, nothing on stdout, no stack trace (only --debug shows it).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { fixtureSpecs, fixtures, gmemcheck, tempDir } from './gmemcheck.ts';

const S = ['--specs', fixtureSpecs];
const bad = `${fixtures}/bad`;
const shape = 'write export default defineSpec({ title, question, bounds, designs, properties, expected, model })';

const scratch = tempDir();
const notJson = join(scratch, 'broken.json');
writeFileSync(notJson, '{ "format": "gmemcheck-trace", ');
const notATrace = join(scratch, 'config.json');
writeFileSync(notATrace, '{ "name": "not a trace" }\n');

const cases: [kind: string, args: string[], message: string | RegExp][] = [
  [
    'no command',
    [],
    'no command given: write gmemcheck check|review|diff|export-test|replay|simulate|explore|list ... (see gmemcheck --help)',
  ],
  [
    'unknown command',
    ['verify', 'lock'],
    'unknown command "verify" (commands: check, review, diff, export-test, replay, simulate, explore, list; see gmemcheck --help)',
  ],
  [
    'a mistyped command',
    ['chekc', 'lock'],
    'unknown command "chekc" (did you mean "check"? commands: check, review, diff, export-test, replay, simulate, explore, list; see gmemcheck --help)',
  ],
  [
    'an option before the command',
    ['--depth', '3', 'check'],
    '"--depth" comes before the command: write gmemcheck check|review|diff|export-test|replay|simulate|explore|list ... (see gmemcheck --help)',
  ],
  [
    'unknown option',
    ['check', 'lock', '--dpeth', '3', ...S],
    'unknown option --dpeth for "check" (did you mean --depth? see gmemcheck check --help)',
  ],
  [
    'an option of another command',
    ['review', '--design', 'naive', ...S],
    'unknown option --design for "review" (see gmemcheck review --help)',
  ],
  [
    'a bound that is not a number',
    ['check', 'lock', '--depth', 'abc', ...S],
    '--depth must be a positive integer, got "abc" (e.g. --depth 20)',
  ],
  [
    'a bound of zero',
    ['check', 'lock', '--depth', '0', ...S],
    '--depth must be a positive integer, got "0" (e.g. --depth 20)',
  ],
  [
    'a negative bound',
    ['check', 'lock', '--depth', '-3', ...S],
    '--depth must be a positive integer, got "-3" (e.g. --depth 20)',
  ],
  [
    'a fractional bound',
    ['check', 'lock', '--max-states', '1.5', ...S],
    '--max-states must be a positive integer, got "1.5" (e.g. --max-states 1000000)',
  ],
  [
    'a time limit with a unit',
    ['check', 'lock', '--time-limit', '10s', ...S],
    '--time-limit must be a positive integer, got "10s" (e.g. --time-limit 60)',
  ],
  [
    'a bound on review',
    ['review', '--max-states', 'many', ...S],
    '--max-states must be a positive integer, got "many" (e.g. --max-states 1000000)',
  ],
  ['an option without its value', ['check', 'lock', ...S, '--workers'], '--workers needs a value (e.g. --workers 2)'],
  [
    'more workers than the engine takes',
    ['check', 'lock', '--workers', '17', ...S],
    '--workers must be at most 16, got 17 (e.g. --workers 2)',
  ],
  [
    'a job count that is not a number',
    ['review', '--jobs', 'all', ...S],
    '--jobs must be a positive integer, got "all" (e.g. --jobs 2)',
  ],
  ['a value for a flag', ['check', 'lock', '--debug=yes', ...S], '--debug takes no value (write --debug alone)'],
  [
    'unknown trace format',
    ['check', 'lock', '--format', 'pdf', ...S],
    '--format must be one of text, race, mermaid, json, itf, got "pdf"',
  ],
  [
    'unknown spec',
    ['check', 'lokc', ...S],
    'unknown spec "lokc" (did you mean "lock"? known: lock, mutex, philosophers; see gmemcheck list)',
  ],
  [
    'unknown spec in review',
    ['review', 'lock', 'nope', ...S],
    'unknown spec "nope" (known: lock, mutex, philosophers; see gmemcheck list)',
  ],
  [
    'unknown spec file',
    ['check', 'specs/nope.spec.ts'],
    'no spec file "specs/nope.spec.ts" (pass a spec id from gmemcheck list, or the path of a .spec.ts file)',
  ],
  [
    'unknown design',
    ['check', 'lock', '--design', 'spinlock', ...S],
    'spec "lock" has no design "spinlock" (designs: test-and-set, check-then-set)',
  ],
  [
    'a mistyped design',
    ['check', 'lock', '--design', 'test-and-sett', ...S],
    'spec "lock" has no design "test-and-sett" (did you mean "test-and-set"? designs: test-and-set, check-then-set)',
  ],
  [
    'check without a spec',
    ['check', ...S],
    'check needs a spec (an id from gmemcheck list) (see gmemcheck check --help)',
  ],
  [
    'check with two specs',
    ['check', 'lock', 'mutex', ...S],
    'check takes only a spec (an id from gmemcheck list), got an extra "mutex" (see gmemcheck check --help)',
  ],
  [
    'an operand to list',
    ['list', 'lock', ...S],
    'list takes no operand, got an extra "lock" (see gmemcheck list --help)',
  ],
  [
    'a missing specs directory',
    ['list', '--specs', 'no/such/dir'],
    'no specs directory "no/such/dir" (run from the repository root, or pass --specs DIR)',
  ],
  [
    'a spec file that throws',
    ['check', `${bad}/throws.spec.ts`],
    `${bad}/throws.spec.ts failed to load: cannot build the model table: bound "pages" is missing (fix the file; --debug shows the stack)`,
  ],
  [
    'a spec file without a default export',
    ['check', `${bad}/no-default.spec.ts`],
    `${bad}/no-default.spec.ts: there is no default export; ${shape}`,
  ],
  [
    'a spec without designs',
    ['check', `${bad}/no-designs.spec.ts`],
    `${bad}/no-designs.spec.ts: the spec has no "designs", a non-empty array of names; ${shape}`,
  ],
  [
    'a spec missing an expectation',
    ['check', `${bad}/missing-expectation.spec.ts`],
    `${bad}/missing-expectation.spec.ts: expected["check-then-set"]["mutual exclusion"] is missing; give one of holds, violated, satisfied, unsatisfied`,
  ],
  [
    'a spec property the model lacks',
    ['check', `${bad}/unknown-property.spec.ts`],
    `${bad}/unknown-property.spec.ts: property "fairness" is not one of model "lock(test-and-set)"'s (mutual exclusion, a thread enters, both threads inside); fix the spec's "properties"`,
  ],
  [
    'an expectation the property kind never gives',
    ['check', `${bad}/impossible-expectation.spec.ts`],
    `${bad}/impossible-expectation.spec.ts: expected["test-and-set"]["a thread enters"] is "holds", which a sometimes property never gives; expect satisfied or unsatisfied`,
  ],
  [
    'a spec whose model throws',
    ['check', `${bad}/model-throws.spec.ts`],
    `${bad}/model-throws.spec.ts: model("test-and-set") threw: RangeError: threads must be at least 1 (fix the spec or the model; --debug shows the stack)`,
  ],
  [
    'a broken spec among those reviewed',
    ['review', '--specs', bad, '--out', join(scratch, 'review')],
    `${bad}/missing-expectation.spec.ts: expected["check-then-set"]["mutual exclusion"] is missing; give one of holds, violated, satisfied, unsatisfied`,
  ],
  [
    '--out that is a file',
    ['check', 'lock', '--out', 'package.json', ...S],
    '--out "package.json" is a file, not a directory (pass a directory)',
  ],
  [
    'a trace file that does not exist',
    ['replay', join(scratch, 'none.json'), ...S],
    `cannot read trace "${join(scratch, 'none.json')}": no such file (pass a .json or .itf.json file written by check --out or review)`,
  ],
  [
    'a trace file that is not JSON',
    ['replay', notJson, ...S],
    new RegExp(
      `^${notJson}: is not JSON \\(.*\\); give a trace written by gmemcheck check --format json or --format itf$`,
    ),
  ],
  [
    'a JSON file that is not a trace',
    ['replay', notATrace, ...S],
    `${notATrace}: is neither a gmemcheck json trace (format "gmemcheck-trace") nor an ITF trace (vars, states); give a file written by --format json or --format itf`,
  ],
  [
    'simulate: unknown design',
    ['simulate', 'lock', '--design', 'spinlock', ...S],
    'spec "lock" has no design "spinlock" (designs: test-and-set, check-then-set)',
  ],
  [
    'simulate: walks that are not a number',
    ['simulate', 'lock', '--walks', 'many', ...S],
    '--walks must be a positive integer, got "many" (e.g. --walks 1000)',
  ],
  [
    'simulate: walks of zero steps',
    ['simulate', 'lock', '--steps', '0', ...S],
    '--steps must be a positive integer, got "0" (e.g. --steps 1000)',
  ],
  [
    'simulate: walks longer than it draws up front',
    ['simulate', 'lock', '--steps', '100001', ...S],
    '--steps must be at most 100000, got 100001 (each walk draws one choice per step up front; e.g. --steps 1000)',
  ],
  [
    'simulate: a negative seed',
    ['simulate', 'lock', '--seed', '-1', ...S],
    '--seed must be an integer from 0 to 2147483647, got "-1" (e.g. --seed 42)',
  ],
  [
    'simulate: a seed past 32 bits',
    ['simulate', 'lock', '--seed', '4294967296', ...S],
    '--seed must be an integer from 0 to 2147483647, got "4294967296" (e.g. --seed 42)',
  ],
  [
    'simulate: an option of check',
    ['simulate', 'lock', '--depth', '3', ...S],
    'unknown option --depth for "simulate" (see gmemcheck simulate --help)',
  ],
  [
    'simulate without a spec',
    ['simulate', ...S],
    'simulate needs a spec (an id from gmemcheck list) (see gmemcheck simulate --help)',
  ],
  [
    'explore without --design on a spec of several',
    ['explore', 'lock', ...S],
    'explore needs --design NAME: spec "lock" has several (test-and-set, check-then-set)',
  ],
  [
    'explore: unknown design',
    ['explore', 'lock', '--design', 'spinlock', ...S],
    'spec "lock" has no design "spinlock" (designs: test-and-set, check-then-set)',
  ],
  [
    'explore: a path that is not numbers',
    ['explore', 'mutex', '--design', 'naive', '--path', '0,x', ...S],
    '--path must be action numbers separated by commas, got "0,x" (e.g. --path 3,0,1, as explore\'s p prints it)',
  ],
  [
    'explore: a path out of range',
    ['explore', 'mutex', '--design', 'naive', '--path', '0,7', ...S],
    '--path 0,7: at its action 2, action 7 is out of range: the state after step 1 has actions 0 to 3',
  ],
];

// Each case spawns node with tsx (about 0.6 s of CPU); a loaded machine needs the long timeout.
describe.concurrent('bad input: one line naming the problem and the fix, exit 2', { timeout: 60_000 }, () => {
  test.each(cases)('%s', async (_kind, args, message) => {
    const ran = await gmemcheck(args);
    expect(ran.status).toBe(2);
    expect(ran.stdout).toBe('');
    const lines = ran.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const text = lines[0].replace(/^gmemcheck: /, '');
    if (message instanceof RegExp) expect(text).toMatch(message);
    else expect(text).toBe(message);
    expect(lines[0].startsWith('gmemcheck: ')).toBe(true);
  });

  test('a model that throws during the check: the designs before it are printed, then one line naming spec and design', async () => {
    const ran = await gmemcheck(['check', `${bad}/nextstate-throws.spec.ts`]);
    expect(ran.status).toBe(2);
    expect(ran.stdout).toMatch(
      /^nextstate-throws: A model that throws while it is checked\n[^]*\n  holds  mutual exclusion\n$/,
    );
    expect(ran.stderr).toBe(
      `gmemcheck: ${bad}/nextstate-throws.spec.ts: design "check-then-set": the model threw during the check: TypeError: pc out of range (--debug shows the stack)\n`,
    );
  });

  test('--debug adds the stack trace of the spec file that throws', async () => {
    const ran = await gmemcheck(['check', `${bad}/throws.spec.ts`, '--debug']);
    expect(ran.status).toBe(2);
    const lines = ran.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(
      `gmemcheck: ${bad}/throws.spec.ts failed to load: cannot build the model table: bound "pages" is missing (fix the file; --debug shows the stack)`,
    );
    expect(lines.some((l) => l.startsWith('caused by: Error: cannot build the model table'))).toBe(true);
    expect(lines.some((l) => /throws\.spec\.ts:\d+/.test(l))).toBe(true);
  });
});
