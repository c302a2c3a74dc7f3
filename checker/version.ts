import { readFileSync } from 'node:fs';

/** gmemcheck's version: package.json's, the one place it is written. */
export const toolVersion: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
