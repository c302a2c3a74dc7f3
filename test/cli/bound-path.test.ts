/**
 * `--bound KEY=VALUE` on nested bounds: a dotted key sets one entry at any depth and copies
 * the records on its way; a key through a value that is not a record is one line.
 */
import { describe, expect, it } from 'vitest';
import { overriddenBounds } from '../../checker/cli/bounds.ts';
import { UsageError } from '../../checker/cli/errors.ts';

describe('overriddenBounds', () => {
  const spec = { pages: 2, ops: { fault: 2, convert: 1 }, arch: { snp: { asids: 2 } } };

  it("sets an entry two levels down and keeps its siblings; the spec's bounds are not changed", () => {
    expect(overriddenBounds(spec, ['arch.snp.asids=3', 'ops.fault=1', 'pages=3'])).toEqual({
      pages: 3,
      ops: { fault: 1, convert: 1 },
      arch: { snp: { asids: 3 } },
    });
    expect(spec.arch.snp.asids).toBe(2);
  });

  it('creates the records a new nested entry needs', () => {
    expect(overriddenBounds({ pages: 2 }, ['ops.pin=1'])).toEqual({ pages: 2, ops: { pin: 1 } });
  });

  it('refuses a key through a value that is not a record, naming the bound at the depth it fails', () => {
    expect(() => overriddenBounds(spec, ['arch.snp.asids.x=1'])).toThrow(
      new UsageError(
        '--bound arch.snp.asids.x: bound "arch.snp.asids" is 2, not a set of named counts (write --bound arch.snp.asids=VALUE)',
      ),
    );
  });
});
