import { readFileSync } from 'node:fs';

/** The package's version, read once from package.json next to checker/. */
export const toolVersion: string = (() => {
  try {
    return String(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version ?? 'unknown');
  } catch {
    return 'unknown';
  }
})();
