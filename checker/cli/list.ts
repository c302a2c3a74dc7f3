/**
 * `gmemcheck list`: each spec (id: question), its designs and properties, one line each; a
 * property the model documents reads `property <name>: <why>`.
 */
import type { PropertyDoc } from '../model.ts';
import { propertyDocs } from '../review/docs.ts';
import { parseCommand } from './args.ts';
import { SpecError } from './errors.ts';
import { buildModel, loadSpecs, type LoadedSpec } from './specs.ts';

/**
 * The docs of the spec's properties, which travel with its models (building one explores
 * nothing). A spec whose model cannot be built is listed without them: list is how one finds
 * the spec ids, and `check` reports what is wrong with that spec.
 */
function documentation(loaded: LoadedSpec): Record<string, PropertyDoc> {
  try {
    return propertyDocs(
      loaded.spec.designs.map((design) => buildModel(loaded, design)),
      loaded.spec.properties,
    );
  } catch (error) {
    if (error instanceof SpecError) return {};
    throw error;
  }
}

export async function listCommand(args: readonly string[]): Promise<number> {
  const { specsDir } = parseCommand('list', args, {}, { min: 0, max: 0, operand: '' });
  const lines: string[] = [];
  for (const loaded of await loadSpecs(specsDir, [])) {
    const { id, spec } = loaded;
    const docs = documentation(loaded);
    lines.push(`${id}: ${spec.question}`);
    for (const design of spec.designs) lines.push(`  design ${design}`);
    for (const property of spec.properties) {
      const why = docs[property]?.why;
      lines.push(`  property ${property}${why === undefined ? '' : `: ${why}`}`);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
