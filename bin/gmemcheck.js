#!/usr/bin/env node
// The gmemcheck command. Registers tsx so that the checker and the specs (TypeScript) load
// as they are, then hands over to checker/cli.ts.
import { register } from 'tsx/esm/api';

// A reader that stops early (gmemcheck review | head) is not an error: stop quietly.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

register();
const { main } = await import('../checker/cli.ts');
// exitCode, not exit(): stdout may still be flushing into a pipe.
process.exitCode = await main(process.argv.slice(2));
