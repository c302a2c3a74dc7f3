import { describe, expect, it } from 'vitest';
import { formatValue, formatValueLines } from '../../checker/report/value.ts';

describe('how a value reads in a report', () => {
  it('compact and JavaScript-like: words unquoted, Maps and Sets named, bigints with n, missing as -', () => {
    expect(
      formatValue({
        pc: 'get_pfn',
        seq: 4,
        m: new Map([[1, true]]),
        s: new Set(['a']),
        big: 5n,
        none: null,
        gone: undefined,
      }),
    ).toBe('{pc: get_pfn, seq: 4, m: Map{1: true}, s: {a}, big: 5n, none: null}');
    expect([formatValue(undefined), formatValue(new Set()), formatValue('a b'), formatValue({ 'a-b': 1 })]).toEqual([
      '-',
      'Set{}',
      '"a b"',
      '{"a-b": 1}',
    ]);
  });

  it('a value wider than the width breaks one element a line, nested ones only where they are too wide too', () => {
    expect(formatValueLines({ a: [1, 2, 3], b: 'x' }, 40)).toEqual(['{a: [1, 2, 3], b: x}']);
    expect(formatValueLines({ a: [1, 2, 3], b: 'x' }, 16)).toEqual(['{', '  a: [1, 2, 3],', '  b: x', '}']);
    expect(
      formatValueLines(
        [
          { pfn: 16, refs: 2 },
          { pfn: 17, refs: 0 },
        ],
        20,
      ),
    ).toEqual(['[', '  {pfn: 16, refs: 2},', '  {pfn: 17, refs: 0}', ']']);
    expect(
      formatValueLines(
        {
          vms: [
            { seq: 4, spte: [null, null] },
            { seq: 5, spte: [null, null] },
          ],
        },
        36,
      ),
    ).toEqual(['{', '  vms: [', '    {seq: 4, spte: [null, null]},', '    {seq: 5, spte: [null, null]}', '  ]', '}']);
  });
});
