// Build step after tsc (issue 15: the CLI's own start, before its first byte to the target,
// ≤ 150 ms, and a run's CPU). Node loads an ES module graph file by file: the ~50 compiled files
// the CLI imports before it spawns the target cost more than the code in them. So the CLI's code,
// dist/cli/main.js and all it imports, goes into one CommonJS bundle, dist/cli/cli.cjs, which the
// entry point dist/cli/bin.js (cli/bin.ts) compiles with a V8 code cache kept on disk. Each module
// in it still runs only when first imported (esbuild's lazy module wrappers; the suites,
// fast-check's users, reports, explain, client mode load when a run needs them). The dependencies
// the CLI uses (ajv, fast-check, json-schema-faker, randexp, eventsource-parser and theirs) are
// bundled in too: Node resolving and loading them file by file (ajv alone is ~40 CommonJS files,
// each read, resolved and lexed) cost a run more CPU than their code. Their licences go to
// dist/cli/THIRD-PARTY-LICENSES.txt. The rest of dist/ stays as tsc wrote it (the vitest entry,
// the GitHub Action, the reference servers and the tests import it, with the installed copies).
//
// Compiled modules find files beside themselves (the schemas, the profiles, the reference
// servers, wire-validators.cjs) through `import.meta.url`. In the bundle each module's
// `import.meta.url` is replaced by the URL of its own compiled file, computed from the bundle's
// own place (dist/cli/), so every such path means what it meant before.
//
// Last, the build makes the code cache (dist/cli/code-cache/, left out of the package): one
// default run against a reference server, whose compiled functions the cache then holds. Without
// it the first runs after a build would each compile everything and each write a cache.
//   node scripts/bundle-cli.mjs           (npm run build runs it after tsc)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { isBuiltin, posix } from './build-files.mjs';
import { writeLicenses } from './licenses.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const OUT = join(DIST, 'cli');
const MAIN = join(OUT, 'main.js');
const BUNDLE = join(OUT, 'cli.cjs');
const CACHE = join(OUT, 'code-cache');
// The URL of a compiled file from its path relative to dist/cli/, in the bundle's own terms.
const FILE_URL = '__mscFileUrl';

const { metafile } = await build({
  absWorkingDir: ROOT,
  entryPoints: [MAIN],
  outfile: BUNDLE,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  metafile: true,
  logLevel: 'warning',
  banner: { js: `const ${FILE_URL} = (rel) => require("node:url").pathToFileURL(require("node:path").join(__dirname, rel)).href;` },
  plugins: [
    {
      name: 'cli-bundle',
      setup(b) {
        // Node's modules stay require()s; every other bare import is bundled.
        b.onResolve({ filter: /^[^./]/ }, (args) => (isBuiltin(args.path) ? { path: args.path, external: true } : undefined));
        b.onLoad({ filter: /\.js$/ }, (args) => {
          if (!args.path.startsWith(DIST + sep)) return undefined;
          const text = readFileSync(args.path, 'utf8').replaceAll('import.meta.url', `${FILE_URL}(${JSON.stringify(posix(relative(OUT, args.path)))})`);
          return { contents: text, loader: 'js' };
        });
      },
    },
  ],
});

const bundled = readFileSync(BUNDLE, 'utf8');
// What stays a require() is Node's: a dependency left to load at run time would be a second copy.
const unknown = Object.values(metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external && !isBuiltin(i.path)).map((i) => i.path));
if (unknown.length) throw new Error(`bundle-cli: imports other than Node's left in the bundle: ${[...new Set(unknown)].join(', ')}`);
// Code compiled through vm.Script has no module loader behind import(): there must be none left.
if (/\bimport\s*\(/.test(bundled)) throw new Error('bundle-cli: an import() is left in dist/cli/cli.cjs, which bin.js compiles without a module loader');
if (bundled.includes('import.meta')) throw new Error('bundle-cli: import.meta is left in dist/cli/cli.cjs (CommonJS has none)');

// The chunks of the ES module bundle this step made before (an older dist/ keeps them).
for (const name of readdirSync(OUT)) if (name.startsWith('bin-chunk-')) rmSync(join(OUT, name));
const licensed = writeLicenses(ROOT, Object.keys(metafile.inputs), join(OUT, 'THIRD-PARTY-LICENSES.txt'), 'Packages bundled into dist/cli/cli.cjs (the CLI)');
const compiled = Object.keys(metafile.inputs).filter((i) => !i.includes('node_modules')).length;

// The code cache: a cache of the bundle before this build is no use to it.
rmSync(CACHE, { recursive: true, force: true });
const env = { ...process.env };
delete env.NODE_COMPILE_CACHE;
delete env.NODE_DISABLE_COMPILE_CACHE;
const warm = spawnSync(process.execPath, [join(OUT, 'bin.js'), '--reference', 'session_server', '-q', '--seed', '1'], { env, encoding: 'utf8', timeout: 60_000 });
const caches = (existsSync(CACHE) ? readdirSync(CACHE, { withFileTypes: true }) : []).filter((f) => f.isFile() && f.name.endsWith('.bin'));
if (caches.length === 0) {
  console.warn(`bundle-cli: no code cache made (the warm-up run exited ${warm.status ?? warm.signal}: ${(warm.stderr || warm.stdout || '').trim().slice(-400)}); runs compile the bundle until one writes it`);
}
console.log(
  `bundle-cli: ${compiled} compiled files and ${licensed} packages → dist/cli/cli.cjs (${(bundled.length / 1024).toFixed(0)} KiB); ` +
    `code cache ${caches.length ? `${(statSync(join(CACHE, caches[0].name)).size / 1024).toFixed(0)} KiB` : 'none'} (a default run against session_server)`,
);
