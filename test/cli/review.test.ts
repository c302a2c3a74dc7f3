/**
 * `gmemcheck review` on the fixture specs, run as a process: exactly the expected table (in the
 * terminal, review.md, review.json and review.html), a
 * flipped design switch flips its cells and the exit code, the files are whole and
 * deterministic, and a run that fails leaves the previous review untouched.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { htmlProblems, matrixTables } from '../review/html-check.ts';
import { lockDocs } from './fixtures/lock-model.ts';
import { documentedSpecs, fixtures, fixtureSpecs, flippedLockSpecs, gmemcheck, tempDir } from './gmemcheck.ts';

const S = ['--specs', fixtureSpecs];

const expectedMatrix = [
  'lock: Two threads and one lock',
  '  Can two threads hold the lock at once?',
  '  design         | mutual exclusion   | a thread enters | both threads inside',
  '  ---------------+--------------------+-----------------+--------------------',
  '  test-and-set   | holds              | satisfied       | unsatisfied',
  '  check-then-set | violated (4 steps) | satisfied       | satisfied',
  '',
  'mutex: Anchor mutexes',
  '  Does a mutex keep its critical section to one process?',
  '  design   | mutual-exclusion',
  '  ---------+-------------------',
  '  peterson | holds',
  '  naive    | violated (4 steps)',
  '',
  'philosophers: Dining philosophers',
  '  Can the philosophers all get stuck?',
  '  design     | no-deadlock',
  '  -----------+-------------------',
  '  left-first | violated (3 steps)',
  '',
  '3 specs, 5 design runs, 9 cells: 9 as expected, 0 differ from the expectation.',
];

const wrote = (out: string, traces: number) =>
  `wrote ${out}/review.md, ${out}/review.html, ${out}/review.json and ${traces} trace file${traces === 1 ? '' : 's'}`;

/** The anchors review.html links to (`href="#x"`) and those it has (`id="x"`). */
function anchors(html: string): { links: string[]; ids: string[] } {
  return {
    links: [...html.matchAll(/ href="#([^"]*)"/g)].map((m) => m[1]),
    ids: [...html.matchAll(/ id="([^"]*)"/g)].map((m) => m[1]),
  };
}

/** Every file below `dir`, relative, sorted. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath ?? d.path, d.name).slice(dir.length + 1))
    .sort();
}

describe.concurrent('gmemcheck review', { timeout: 60_000 }, () => {
  test('yields exactly the expected table, exit 0, and writes review.md, review.html, review.json and the traces', async () => {
    const out = join(tempDir(), 'nested', 'review');
    const ran = await gmemcheck(['review', ...S, '--out', out]);
    expect(ran.status).toBe(0);
    expect(ran.stderr).toBe('');
    expect(ran.stdout).toBe(`${[...expectedMatrix, wrote(out, 6)].join('\n')}\n`);
    expect(files(out)).toEqual([
      'review.html',
      'review.json',
      'review.md',
      'traces/lock.check-then-set.a-thread-enters.json',
      'traces/lock.check-then-set.both-threads-inside.json',
      'traces/lock.check-then-set.mutual-exclusion.json',
      'traces/lock.test-and-set.a-thread-enters.json',
      'traces/mutex.naive.mutual-exclusion.json',
      'traces/philosophers.left-first.no-deadlock.json',
    ]);
    const json = JSON.parse(readFileSync(join(out, 'review.json'), 'utf8'));
    expect(json.summary).toEqual({ specs: 3, runs: 5, cells: 9, asExpected: 9, differs: 0, inconclusive: 0 });
    const cells = json.specs.flatMap((s: any) =>
      s.runs.map((r: any) => [s.id, r.design, r.distinctStates, ...r.cells.map((c: any) => c.text)]),
    );
    expect(cells).toEqual([
      ['lock', 'test-and-set', 3, 'holds', 'satisfied', 'unsatisfied'],
      ['lock', 'check-then-set', 13, 'violated (4 steps)', 'satisfied', 'satisfied'],
      ['mutex', 'peterson', 16404, 'holds'],
      ['mutex', 'naive', 256, 'violated (4 steps)'],
      ['philosophers', 'left-first', 35, 'violated (3 steps)'],
    ]);
    const md = readFileSync(join(out, 'review.md'), 'utf8');
    expect(md).toContain(
      [
        '| design | mutual exclusion | a thread enters | both threads inside | states | depth |',
        '|---|---|---|---|---:|---:|',
        '| test-and-set | holds | [satisfied](#lock--test-and-set-a-thread-enters) | unsatisfied | 3 | 1 |',
        '| check-then-set | [violated (4 steps)](#lock--check-then-set-mutual-exclusion) | [satisfied](#lock--check-then-set-a-thread-enters) | [satisfied](#lock--check-then-set-both-threads-inside) | 13 | 6 |',
      ].join('\n'),
    );
    expect(md).toContain(
      '### lock / check-then-set: mutual exclusion\n\n' +
        'violated (counterexample, 4 steps, shortest); saved as [traces/lock.check-then-set.mutual-exclusion.json](traces/lock.check-then-set.mutual-exclusion.json) for `gmemcheck replay`.\n\n' +
        '```mermaid\nsequenceDiagram\n',
    );
    expect(md.match(/^```mermaid$/gm)).toHaveLength(6);
    expect(json.specs[1].runs[1].traces.map((t: any) => t.file)).toEqual(['traces/mutex.naive.mutual-exclusion.json']);
    const replayed = await gmemcheck(['replay', join(out, 'traces/mutex.naive.mutual-exclusion.json'), ...S]);
    expect([replayed.status, replayed.stdout]).toEqual([
      0,
      'mutual-exclusion (json trace of naive_mutex(4), design naive) reproduces: violated after step 4\n',
    ]);

    // review.html: well formed; one matrix a spec with exactly review.json's cells; every link lands.
    const html = readFileSync(join(out, 'review.html'), 'utf8');
    expect(htmlProblems(html)).toEqual([]);
    expect(matrixTables(html)).toEqual(
      json.specs.map((s: any) => [
        ['design', ...s.properties, 'states', 'depth'],
        ...s.runs.map((r: any) => [
          r.design,
          ...r.cells.map((c: any) => c.text),
          r.distinctStates.toLocaleString('en-US'),
          String(r.depth),
        ]),
      ]),
    );
    const { links, ids } = anchors(html);
    expect(links.filter((l) => !ids.includes(l))).toEqual([]);
    // Every cell with a trace links to it: 3 specs in the overview, each violation again from the
    // designs-side-by-side table, then the 6 traces from the matrices; the comparisons section
    // from the top of the page, and each comparison from the section's table.
    const violations = json.specs.flatMap((s: any) =>
      s.runs.flatMap((r: any) => r.cells.filter((c: any) => c.status === 'violated')),
    );
    expect(violations.length).toBe(3);
    expect(json.comparisons.designs.length).toBe(json.specs.reduce((n: number, s: any) => n + s.designs.length - 1, 0));
    expect(links.length).toBe(3 + 3 + 6 + 1 + json.comparisons.designs.length);
    const traceLinks = [...html.matchAll(/<a href="(traces\/[^"]*)">/g)].map((m) => m[1]);
    expect(traceLinks).toEqual(
      json.specs.flatMap((s: any) => s.runs.flatMap((r: any) => r.traces.map((t: any) => t.file))),
    );
    expect(traceLinks.filter((f) => !files(out).includes(f))).toEqual([]);
    expect(html).toContain(
      `<code>gmemcheck replay ${out}/traces/mutex.naive.mutual-exclusion.json --specs ${fixtureSpecs}</code>`,
    );
    // Their models document no property: no property table and no propertyDocs.
    expect([
      md.includes('**Properties**'),
      html.includes('table class="properties"'),
      json.specs.some((s: any) => 'propertyDocs' in s),
    ]).toEqual([false, false, false]);
  });

  test('a model that documents its properties: review.md, review.html and review.json say why each matters and what enforces it, under the matrix', async () => {
    const out = tempDir();
    const ran = await gmemcheck(['review', '--specs', documentedSpecs, '--out', out]);
    expect([ran.status, ran.stderr]).toEqual([0, '']);
    const json = JSON.parse(readFileSync(join(out, 'review.json'), 'utf8'));
    expect(json.specs[0].propertyDocs).toEqual(lockDocs);
    const md = readFileSync(join(out, 'review.md'), 'utf8');
    const matrixEnd = '| [satisfied](#documented-lock--check-then-set-both-threads-inside) | 13 | 6 |\n\n';
    expect(md).toContain(
      `${matrixEnd}${[
        '**Properties**: why each matters, and the code that enforces it.',
        '',
        '| property | why it matters | enforced by |',
        '|---|---|---|',
        '| `mutual exclusion` | Two threads inside at once both write what the lock protects: a \\<torn> update & lost writes. | lock-model.ts nextState: acquire \\| check, then set |',
        '| `a thread enters` | A lock no thread can take protects nothing: the check is vacuous. |  |',
        '',
        '### documented-lock / test-and-set: a thread enters',
      ].join('\n')}`,
    );
    const html = readFileSync(join(out, 'review.html'), 'utf8');
    expect(htmlProblems(html)).toEqual([]);
    expect(html).toContain(
      '</table></div>\n<p><strong>Properties</strong>: why each matters, and the code that enforces it.</p>\n<div class="scroll"><table class="properties">\n' +
        '<thead><tr><th scope="col">property</th><th scope="col">why it matters</th><th scope="col">enforced by</th></tr></thead>\n<tbody>\n' +
        '<tr><th scope="row"><code>mutual exclusion</code></th><td>Two threads inside at once both write what the lock protects: a &lt;torn&gt; update &amp; lost writes.</td>' +
        '<td>lock-model.ts nextState: acquire | check, then set</td></tr>\n' +
        '<tr><th scope="row"><code>a thread enters</code></th><td>A lock no thread can take protects nothing: the check is vacuous.</td><td></td></tr>\n</tbody></table></div>\n',
    );
  });

  test('--jobs 2 on helper threads gives the same matrix, review and traces as one thread', async () => {
    const [one, two] = [tempDir(), tempDir()];
    const [a, b] = await Promise.all([
      gmemcheck(['review', ...S, '--jobs', '1', '--out', one]),
      gmemcheck(['review', ...S, '--jobs', '2', '--out', two], { GMEMCHECK_JOBS_HELPERS_ONLY: '1' }),
    ]);
    expect([a.status, b.status]).toEqual([0, 0]);
    expect(b.stdout.replaceAll(two, one)).toBe(a.stdout);
    const read = (dir: string, file: string) =>
      readFileSync(join(dir, file), 'utf8').replace(/^(<p>)?Run time: .*$/m, '');
    expect(read(two, 'review.md')).toBe(read(one, 'review.md'));
    expect(read(two, 'review.html').replaceAll(two, one)).toBe(read(one, 'review.html'));
    expect(files(two)).toEqual(files(one));
    for (const f of files(one).filter((f) => f.startsWith('traces/'))) expect(read(two, f)).toBe(read(one, f));
  });

  test('--jobs 2: a model that throws on a helper thread is one line naming spec and design, exit 2', async () => {
    const file = `${fixtures}/bad/nextstate-throws.spec.ts`;
    const ran = await gmemcheck(['review', file, '--jobs', '2', '--out', tempDir()], {
      GMEMCHECK_JOBS_HELPERS_ONLY: '1',
    });
    expect(ran.status).toBe(2);
    expect(ran.stdout).toBe('');
    expect(ran.stderr).toBe(
      `gmemcheck: ${file}: design "check-then-set": the model threw during the check: TypeError: pc out of range (--debug shows the stack)\n`,
    );
  });

  test("review.md and review.html are the same from one run to the next but for their run-time line (and the page's --out)", async () => {
    const [a, b] = [tempDir(), tempDir()];
    const runs = await Promise.all(
      [a, b].map((out) => gmemcheck(['review', 'lock', 'philosophers', ...S, '--out', out])),
    );
    expect(runs.map((r) => r.status)).toEqual([0, 0]);
    for (const [file, runTime] of [
      ['review.md', /^Run time: /],
      ['review.html', /^<p>Run time: /],
    ] as const) {
      const read = (dir: string) => readFileSync(join(dir, file), 'utf8').replaceAll(dir, 'OUT').split('\n');
      const [ma, mb] = [read(a), read(b)];
      const differing = ma.filter((line, i) => line !== mb[i]);
      expect(differing.every((line) => runTime.test(line))).toBe(true);
      expect(ma.length).toBe(mb.length);
    }
  });

  test('flipping the design switch of check-then-set to the atomic lock flips its cells, exit 1', async () => {
    const out = tempDir();
    const ran = await gmemcheck(['review', '--specs', flippedLockSpecs(), '--out', out]);
    expect(ran.status).toBe(1);
    expect(ran.stdout).toBe(
      [
        'lock: Two threads and one lock',
        '  Can two threads hold the lock at once?',
        '  design         | mutual exclusion            | a thread enters | both threads inside',
        '  ---------------+-----------------------------+-----------------+-----------------------------------',
        '  test-and-set   | holds                       | satisfied       | unsatisfied',
        '  check-then-set | ✗ holds (expected violated) | satisfied       | ✗ unsatisfied (expected satisfied)',
        '',
        '1 spec, 2 design runs, 6 cells: 4 as expected, 2 differ from the expectation.',
        wrote(out, 2),
        '',
      ].join('\n'),
    );
    const md = readFileSync(join(out, 'review.md'), 'utf8');
    expect(md).toContain(
      '| check-then-set | ✗ holds (expected violated) | [satisfied](#lock--check-then-set-a-thread-enters) | ✗ unsatisfied (expected satisfied) | 3 | 1 |',
    );
    const html = readFileSync(join(out, 'review.html'), 'utf8');
    const data = (property: string, outcome: string) =>
      `data-design="check-then-set" data-property="${property}" data-outcome="${outcome}"`;
    expect(html).toContain(
      '<tr data-design="check-then-set"><th scope="row">check-then-set</th>' +
        `<td class="holds differs" title="expected violated" ${data('mutual exclusion', 'holds differs')}>✗ holds (expected violated)</td>` +
        `<td class="satisfied" ${data('a thread enters', 'satisfied')}><a href="#lock--check-then-set-a-thread-enters">satisfied</a></td>` +
        `<td class="unsatisfied differs" title="expected satisfied" ${data('both threads inside', 'unsatisfied differs')}>✗ unsatisfied (expected satisfied)</td><td class="num">3</td><td class="num">1</td></tr>`,
    );
    expect(html).toContain('<p class="summary differs">');
  });

  test('exit 3 when a limit stops a run and no outcome differs; the cell says so', async () => {
    const out = tempDir();
    const ran = await gmemcheck(['review', 'mutex', '--max-states', '100', ...S, '--out', out]);
    expect(ran.status).toBe(3);
    expect(ran.stdout).toContain('  peterson | ? holds so far (max-states limit)\n');
    expect(readFileSync(join(out, 'review.html'), 'utf8')).toContain(
      '<td class="inconclusive" data-design="peterson" data-property="mutual-exclusion" data-outcome="inconclusive">? holds so far (max-states limit)</td><td class="num">100 (incomplete)</td>',
    );
    expect(ran.stdout).toContain(
      '1 spec, 2 design runs, 2 cells: 1 as expected, 0 differ from the expectation, 1 inconclusive (stopped by a limit).\n',
    );
  });

  test('a run that fails on bad input leaves the previous review whole and no temporary file', async () => {
    const out = tempDir();
    writeFileSync(join(out, 'review.md'), '# the previous review\n');
    writeFileSync(join(out, 'review.html'), '<!DOCTYPE html>\n<title>the previous review</title>\n');
    mkdirSync(join(out, 'traces'));
    const ran = await gmemcheck(['review', '--specs', `${fixtures}/bad`, '--out', out]);
    expect(ran.status).toBe(2);
    expect(readFileSync(join(out, 'review.md'), 'utf8')).toBe('# the previous review\n');
    expect(readFileSync(join(out, 'review.html'), 'utf8')).toBe(
      '<!DOCTYPE html>\n<title>the previous review</title>\n',
    );
    expect(files(out)).toEqual(['review.html', 'review.md']);
  });

  test('a successful run replaces the previous review and leaves no temporary file', async () => {
    const out = tempDir();
    writeFileSync(join(out, 'review.md'), '# the previous review\n'.repeat(1000));
    writeFileSync(join(out, 'review.html'), '<p>the previous review</p>\n'.repeat(1000));
    const ran = await gmemcheck(['review', 'philosophers', ...S, '--out', out]);
    expect(ran.status).toBe(0);
    expect(files(out)).toEqual([
      'review.html',
      'review.json',
      'review.md',
      'traces/philosophers.left-first.no-deadlock.json',
    ]);
    const md = readFileSync(join(out, 'review.md'), 'utf8');
    expect(md.startsWith('# gmemcheck review\n')).toBe(true);
    expect(md.endsWith('```\n')).toBe(true);
    const html = readFileSync(join(out, 'review.html'), 'utf8');
    expect(html.startsWith('<!DOCTYPE html>\n')).toBe(true);
    expect(html.endsWith('</html>\n')).toBe(true);
  });
});
