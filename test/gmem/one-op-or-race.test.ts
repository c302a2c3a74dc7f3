/**
 * Which property one operation alone can break and which needs a race. For every (property,
 * design) pair some spec expects violated, the design's model at that spec's bounds with one
 * operation in flight (inFlight 1: operations one after another): violated there, one operation
 * alone breaks it; holds there, it needs a race (the spec's own check at its bounds, pinned by
 * the review's expectations, finds the violation). A design may be in both columns, from two
 * specs. src/README.md holds the table verbatim.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROPERTIES } from '../../src/index.ts';
import type { BoundsInput } from '../../src/index.ts';
import { run, statuses } from './helpers.ts';

const root = join(import.meta.dirname, '..', '..');

interface LoadedSpec {
  readonly bounds: BoundsInput;
  readonly expected: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

async function specs(): Promise<[string, LoadedSpec][]> {
  const files = readdirSync(join(root, 'specs'))
    .filter((f) => f.endsWith('.spec.ts'))
    .sort();
  return Promise.all(
    files.map(async (f) => [
      f.slice(0, -'.spec.ts'.length),
      (await import(join(root, 'specs', f))).default as LoadedSpec,
    ]),
  );
}

/** Per property: the designs one operation alone breaks, and those only a race breaks. */
async function classify(): Promise<Map<string, { alone: Set<string>; race: Set<string> }>> {
  const out = new Map<string, { alone: Set<string>; race: Set<string> }>();
  for (const p of [...PROPERTIES.filter((q) => q.kind !== 'sometimes').map((q) => q.name), 'no-deadlock']) {
    out.set(p, { alone: new Set(), race: new Set() });
  }
  for (const [, spec] of await specs()) {
    for (const [design, cells] of Object.entries(spec.expected)) {
      const broken = Object.keys(cells).filter((p) => cells[p] === 'violated');
      if (broken.length === 0) continue;
      const st = statuses(run(design, { ...spec.bounds, inFlight: 1 }));
      for (const p of broken) {
        const row = out.get(p)!;
        if (st[p] === 'violated') row.alone.add(design);
        else row.race.add(design);
      }
    }
  }
  // A design one operation alone breaks in one spec and only a race breaks in another is in
  // both columns: the specs ask different questions of it.
  return out;
}

/** The table src/README.md holds: one row per property, design rules marked. */
function table(rows: Map<string, { alone: Set<string>; race: Set<string> }>): string {
  const cell = (s: Set<string>) => (s.size === 0 ? '—' : [...s].sort().join(', '));
  const lines = ['| property | one operation alone breaks it in | only a race breaks it in |', '| --- | --- | --- |'];
  for (const [name, row] of rows) {
    const rule = PROPERTIES.find((p) => p.name === name)?.designRule ? ' (design rule)' : '';
    lines.push(`| \`${name}\`${rule} | ${cell(row.alone)} | ${cell(row.race)} |`);
  }
  return lines.join('\n');
}

describe('one operation alone or a race: every design a spec expects to break a property, at inFlight 1', () => {
  it(
    'src/README.md lists, per property, the designs one operation breaks and those only a race breaks',
    { timeout: 600_000 },
    async () => {
      const rows = await classify();
      const readme = readFileSync(join(root, 'src', 'README.md'), 'utf8');
      expect(readme).toContain(table(rows));
      // The races the review is about: at least these need two operations in flight.
      expect([...rows.get('no-stale-mapping-during-invalidation')!.race]).toContain('no-invalidate-retry');
      expect([...rows.get('conversion-all-or-nothing')!.alone]).toEqual(['conversion-per-index']);
      // The planted lockless unbind, and the linking designs: a dying linked file's lockless
      // unbind inside PUNCH_HOLE through the other file (specs/linked-file-dying-unbind).
      expect([...rows.get('invalidations-balanced')!.race].sort()).toEqual([
        'context-layer',
        'thread-proposal',
        'unbind-without-invalidate-lock',
        'upstream-linking',
      ]);
      // A persistent GUP pin fails the per-index conversion alone (conversion-all-or-nothing);
      // a userspace fault's reference until finish_fault fails it only in a race
      // (conversion-transient-reference).
      expect([...rows.get('conversion-all-or-nothing')!.race]).toEqual(['conversion-per-index']);
    },
  );
});
