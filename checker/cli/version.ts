/** The version, for the modules of checker/cli that import it from here; checker/version.ts reads it. */
export { toolVersion } from '../version.ts';
