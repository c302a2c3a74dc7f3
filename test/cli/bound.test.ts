/**
 * gmemcheck check --bound KEY=VALUE: a spec re-checked at bounds changed on the command line,
 * its heading and saved traces saying the new bounds, replay rebuilding the model at them; and
 * every bad --bound one line, exit 2.
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { fixtureSpecs, gmemcheck, tempDir } from './gmemcheck.ts';

const spec = 'private-mapping-after-conversion';

describe.concurrent('gmemcheck --bound', { timeout: 60_000 }, () => {
  test('checks at the changed bounds: one page instead of two gives 502 states for no-invalidate-retry, the same 6-step race, and a trace replay rebuilds at one page', async () => {
    const out = tempDir();
    const ran = await gmemcheck([
      'check',
      spec,
      '--design',
      'no-invalidate-retry',
      '--bound',
      'pages=1',
      '--format',
      'json',
      '--out',
      out,
    ]);
    expect([ran.status, ran.stderr]).toEqual([1, '']);
    expect(ran.stdout).toContain('  bounds: pages = 1; vms = 1; ops = fault 2, convert 2\n');
    expect(ran.stdout).toMatch(/^  502 distinct states, /m);
    expect(ran.stdout).toContain('  violated (6 steps)  no-private-access-after-shared-conversion\n');
    const replayed = await gmemcheck([
      'replay',
      join(out, `${spec}.no-invalidate-retry.no-private-access-after-shared-conversion.json`),
    ]);
    expect([replayed.status, replayed.stdout.split('\n')]).toEqual([
      0,
      [
        `note: replaying at the trace's bounds {"ops":{"convert":2,"fault":2},"pages":1,"vms":1} (spec "${spec}" has {"ops":{"convert":2,"fault":2},"pages":2,"vms":1})`,
        'no-private-access-after-shared-conversion (json trace of guest_memfd (no-invalidate-retry), design no-invalidate-retry) reproduces: violated after step 6',
        '',
      ],
    ]);
  });

  test('ops.KIND=N changes one operation count and keeps the others; the default bounds give the default count', async () => {
    const [one, two] = await Promise.all([
      gmemcheck(['check', spec, '--design', 'upstream', '--bound', 'ops.fault=1']),
      gmemcheck(['check', spec, '--design', 'upstream']),
    ]);
    expect(one.stdout).toContain('  bounds: pages = 2; vms = 1; ops = fault 1, convert 2\n');
    const states = (r: typeof one) => Number(/^ {2}([\d,]+) distinct states/m.exec(r.stdout)![1].replace(/,/g, ''));
    expect([one.status, two.status]).toEqual([0, 0]);
    expect(states(one)).toBeLessThan(states(two));
  });

  const bad: [string, string[], string][] = [
    [
      'no =',
      ['--bound', 'pages'],
      'gmemcheck: --bound needs KEY=VALUE, got "pages" (e.g. --bound pages=3 or --bound ops.fault=2)',
    ],
    [
      'an unknown bound',
      ['--bound', 'pagez=3'],
      'gmemcheck: --bound: design "upstream" cannot be built at these bounds: RangeError: gmemModel: there is no bound "pagez"; bounds are pages, pfns, vms, vcpus, iommuDomains, inFlight, ops, initiallyShared, ranges, convertTo, faultType, memslots, slotBase, slotGap, slotPgoff, slotMove, folioPages',
    ],
    [
      'a huge size the model has no level for',
      ['--bound', 'folioPages=3'],
      'gmemcheck: --bound: design "upstream" cannot be built at these bounds: RangeError: gmemModel: bounds.folioPages must be 2 or 4, got 3',
    ],
    [
      'a bound out of range',
      ['--bound', 'pages=99'],
      'gmemcheck: --bound: design "upstream" cannot be built at these bounds: RangeError: gmemModel: bounds.pages must be 1..8, got 99',
    ],
    [
      'a choice it does not have',
      ['--bound', 'ranges=foo'],
      'gmemcheck: --bound: design "upstream" cannot be built at these bounds: RangeError: gmemModel: bounds.ranges must be one of "pages", "all", "pairs", got "foo"',
    ],
    [
      'an unknown operation',
      ['--bound', 'ops.faul=2'],
      'gmemcheck: --bound: design "upstream" cannot be built at these bounds: RangeError: gmemModel: bounds.ops.faul is not an operation; use one of fault, convert, punchHole, allocate, populate, mmapFault, munmap, pin, unpin, close, unbind, link, destroyVm, iommuMap, rmpReclaimWork, tdxRemoveFail, bind',
    ],
    [
      'a number given named counts',
      ['--bound', 'pages.x=1'],
      'gmemcheck: --bound pages.x: bound "pages" is 2, not a set of named counts (write --bound pages=VALUE)',
    ],
    ['no value', ['--bound'], 'gmemcheck: --bound needs a value (e.g. --bound pages=3)'],
  ];
  for (const [what, args, message] of bad) {
    test(`${what}: one line, exit 2`, async () => {
      const ran = await gmemcheck(['check', spec, '--design', 'upstream', ...args]);
      expect([ran.status, ran.stdout, ran.stderr]).toEqual([2, '', `${message}\n`]);
    });
  }

  test('a spec whose model ignores bounds refuses --bound, saying so', async () => {
    const ran = await gmemcheck(['check', 'mutex', '--specs', fixtureSpecs, '--bound', 'n=3']);
    expect([ran.status, ran.stdout, ran.stderr]).toEqual([
      2,
      '',
      'gmemcheck: spec "mutex" does not take --bound: its model() ignores bounds (copy the spec and edit its bounds, or give it boundsOverridable and model(design, bounds))\n',
    ]);
  });
});
