// Small helpers the build steps share (bundle-references, snapshot-references, bundle-cli).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, sep } from 'node:path';

/** Every .js file under `dir` (none if it does not exist), skipping the directories in `skip`. */
export function jsFiles(dir, skip = new Set()) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return skip.has(path) ? [] : jsFiles(path, skip);
    return path.endsWith('.js') ? [path] : [];
  });
}

/** A path with forward slashes (import specifiers, names in the snapshot). */
export const posix = (path) => path.split(sep).join('/');

/** A specifier of one of Node's own modules ("node:fs", "fs", "fs/promises"). */
export const isBuiltin = (spec) => spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0]);
