/** File names for traces: `<spec>.<design>.<property>`, each part made safe for any file system. */

/** Lower case; every run of characters other than letters, digits and `_` becomes one dash. */
export function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9_]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
}

export function traceBaseName(spec: string, design: string, property: string): string {
  return `${slug(spec)}.${slug(design)}.${slug(property)}`;
}
