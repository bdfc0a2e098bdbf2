#!/usr/bin/env node
// Entry point. Loads the suite at run time (the bundle below) so that a broken installation is
// reported as an internal error (exit 4), never confused with a non-conformant target (exit 1).
//
// The CLI's code is one CommonJS bundle beside this file (dist/cli/cli.cjs, scripts/bundle-cli.mjs),
// compiled here through V8 with a code cache kept on disk (issue 15: a run's CPU). Without one,
// V8 parses the bundle and compiles every function the run calls, again in every run: ~25–50 ms of
// CPU per run, a sixth of a short run. Node 20 caches no such work itself (Node ≥ 22.1's compile
// cache serves modules Node loads, not code compiled here). The cache is V8's own format: V8
// refuses one made by another V8, other flags or another source length, and the bundle is then
// compiled from source as if there were none, and the cache written anew.
//   where: $NODE_COMPILE_CACHE if set, else dist/cli/code-cache/ (the build fills it: bundle-cli)
//   off:   NODE_DISABLE_COMPILE_CACHE=1 (neither read nor written), as for Node's own cache
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const INTERNAL_ERROR = 4;
const BUNDLE = fileURLToPath(new URL('./cli.cjs', import.meta.url));

type Main = (argv: string[]) => Promise<number>;
type Wrapper = (exports: object, require: NodeRequire, module: { exports: { main?: Main } }, filename: string, dirname: string) => void;

/** Where this bundle's code cache is kept, or undefined when caching is off. */
function cacheFile(): string | undefined {
  if (process.env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  const dir = process.env.NODE_COMPILE_CACHE || join(dirname(BUNDLE), 'code-cache');
  // The bundle's size and time say which build it is: a rebuilt bundle never meets an old cache.
  const { size, mtimeMs } = statSync(BUNDLE);
  return join(dir, `cli-${process.version}-${process.arch}-${size}-${Math.floor(mtimeMs)}.bin`);
}

/** Compiles and runs the bundle; `save()` writes the code cache if there was none V8 took. */
function load(): { main: Main; save: () => void } {
  const file = cacheFile();
  let cachedData: Buffer | undefined;
  try {
    if (file) cachedData = readFileSync(file);
  } catch {
    // no cache yet
  }
  const source = readFileSync(BUNDLE, 'utf8');
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: BUNDLE, cachedData });
  const module: { exports: { main?: Main } } = { exports: {} };
  (script.runInThisContext() as Wrapper)(module.exports, createRequire(BUNDLE), module, BUNDLE, dirname(BUNDLE));
  if (typeof module.exports.main !== 'function') throw new Error(`${BUNDLE} exports no main()`);
  const save = () => {
    if (!file || (cachedData && !script.cachedDataRejected)) return;
    // After the run: the cache then holds every function the run compiled, not only the top level.
    // Written whole under another name, then renamed: a run beside this one reads all or nothing.
    const partial = `${file}.${process.pid}.partial`;
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(partial, script.createCachedData());
      renameSync(partial, file);
    } catch {
      // A read-only installation (every run compiles the bundle, as without a cache), a full disk.
      try {
        rmSync(partial, { force: true });
      } catch {
        // nothing was written
      }
    }
  };
  return { main: module.exports.main, save };
}

try {
  const { main, save } = load();
  process.exitCode = await main(process.argv.slice(2));
  save();
} catch (err) {
  process.stderr.write(`mcp-session-conformance: internal error: ${(err as Error)?.stack ?? err}\n`);
  process.exitCode = INTERNAL_ERROR;
}
