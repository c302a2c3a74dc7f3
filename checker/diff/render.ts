/**
 * A design comparison as text (`gmemcheck diff`) and as Markdown (the review's "compared with"
 * section). Bounded: each side lists its first fact sets with their traces and says how many
 * more there are.
 */
import { count, countOf, stepsText } from '../counts.ts';
import type { FactSet } from './behaviours.ts';
import type { DesignComparison, ShownSet, SideReport } from './compare.ts';

/** Values of a key only one design names, listed at most this many. */
const OWN_VALUES = 4;

const setHeading: Record<FactSet['kind'], (other: string, views: number) => string> = {
  fact: (other, views) => `a fact no state of ${other} has (${countOf(views, 'new view')})`,
  pair: (other, views) => `two facts no state of ${other} has together (${countOf(views, 'new view')})`,
  view: (other) => `a view of ${other}'s facts, new only as a whole`,
};

export function ownKeysLine(design: string, keys: DesignComparison['onlyTo']): string | undefined {
  if (keys.length === 0) return undefined;
  const listed = keys.map(({ key, values }) => {
    const some = values.slice(0, OWN_VALUES).join('; ');
    return `${key} (${some}${values.length > OWN_VALUES ? `; ${values.length - OWN_VALUES} more` : ''})`;
  });
  return `only ${design} names (not compared): ${listed.join(', ')}`;
}

function sideLines(mine: string, other: string, report: SideReport, indent: string): string[] {
  if (report.newViews === 0) return [`${mine} reaches nothing ${other} does not.`];
  const lines = [
    `${mine} reaches ${countOf(report.newViews, 'view')} ${other} does not, under ${countOf(report.factSets, 'new fact set')}:`,
  ];
  report.shown.forEach((set, i) => lines.push(...setLines(set, i + 1, other, indent)));
  const more = report.factSets - report.shown.length;
  if (more > 0) lines.push(`${indent}... and ${countOf(more, 'more fact set')} (--show N lists more)`);
  return lines;
}

/** What a shown set is: its kind, over `other`, and how many new views hold it. */
export const setTitle = (set: ShownSet, other: string): string => setHeading[set.kind](other, set.views);

/** A set's facts, then its shortest trace (one action a line), indented, for a code block. */
export function setBodyLines(set: ShownSet, indent: string): string[] {
  const lines: string[] = [];
  for (const fact of set.facts) lines.push(`${indent}  ${fact}`);
  if (set.trace) {
    lines.push(`${indent}shortest trace, ${stepsText(set.trace.length)}:`);
    const width = String(set.trace.length).length;
    set.trace.forEach((step, i) => lines.push(`${indent}  ${String(i + 1).padStart(width)}  ${step}`));
  } else {
    lines.push(`${indent}(no trace found within the limits)`);
  }
  return lines;
}

function setLines(set: ShownSet, n: number, other: string, indent: string): string[] {
  return [`${indent}${n}. ${setTitle(set, other)}:`, ...setBodyLines(set, `${indent}   `)];
}

/** The comparison's first line: the two sides' sizes and how many keys were compared. */
export function comparisonHeading(c: DesignComparison): string {
  const coverage = c.complete ? '' : ' (a limit stopped a search: the comparison is partial)';
  return (
    `${c.from} -> ${c.to}: ${count(c.fromStates)} states (${countOf(c.fromViews, 'view')}) against ` +
    `${count(c.toStates)} (${countOf(c.toViews, 'view')}), compared on ${countOf(c.comparedKeys, 'fact key')}${coverage}`
  );
}

export function renderComparisonText(c: DesignComparison): string {
  const lines = [comparisonHeading(c)];
  for (const line of [ownKeysLine(c.from, c.onlyFrom), ownKeysLine(c.to, c.onlyTo)]) if (line) lines.push(line);
  lines.push('', ...sideLines(c.to, c.from, c.newInTo, '  '), '', ...sideLines(c.from, c.to, c.newInFrom, '  '), '');
  lines.push(
    c.equal ? `${c.from} and ${c.to} reach the same behaviours.` : `${c.from} and ${c.to} reach different behaviours.`,
  );
  return `${lines.join('\n')}\n`;
}

/** The review's section body: what `to` newly allows and what it no longer reaches, as Markdown. */
export function renderComparisonMarkdown(c: DesignComparison): string {
  const lines = [`${comparisonHeading(c)}.`, ''];
  for (const line of [ownKeysLine(c.from, c.onlyFrom), ownKeysLine(c.to, c.onlyTo)])
    if (line) lines.push(`${line}.`, '');
  for (const [mine, other, report] of [
    [c.to, c.from, c.newInTo],
    [c.from, c.to, c.newInFrom],
  ] as const) {
    lines.push('```', ...sideLines(mine, other, report, '  '), '```', '');
  }
  return lines.join('\n');
}
