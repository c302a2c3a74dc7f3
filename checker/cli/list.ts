/** `gmemcheck list`: each spec (id: question), its designs and properties, one line each. */
import { parseCommand } from './args.ts';
import { loadSpecs } from './specs.ts';
import { usage } from './usage.ts';

export async function listCommand(args: readonly string[]): Promise<number> {
  const { values, specsDir } = parseCommand('list', args, {}, { min: 0, max: 0, operand: '' });
  if (values.help) {
    process.stdout.write(`${usage.list}\n`);
    return 0;
  }
  const lines: string[] = [];
  for (const { id, spec } of await loadSpecs(specsDir, [])) {
    lines.push(`${id}: ${spec.question}`);
    for (const design of spec.designs) lines.push(`  design ${design}`);
    for (const property of spec.properties) lines.push(`  property ${property}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
