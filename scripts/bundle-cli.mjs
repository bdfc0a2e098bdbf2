// Build step after tsc (issue 15: the CLI's own start, before its first byte to the target,
// ≤ 150 ms). Node loads an ES module graph file by file: the ~50 compiled files the CLI imports
// before it spawns the target cost more than the code in them. So the CLI's entry point,
// dist/cli/bin.js, is rewritten into a bundle of the compiled code it imports: one entry file
// and chunks beside it (dist/cli/bin-chunk-*.js), split where the CLI imports lazily (the
// suites, fast-check's users, reports, explain, client mode), so those still load only when a
// run needs them. The rest of dist/ stays as tsc wrote it (the vitest entry, the GitHub Action,
// the reference servers and the tests import it). The dependencies the CLI uses (ajv, fast-check,
// json-schema-faker, randexp, eventsource-parser and theirs) are bundled in too, in the chunks of
// the code that imports them, so they still load lazily: Node resolving and loading them file by
// file (ajv alone is ~40 CommonJS files, each read, resolved and lexed) cost a run more CPU than
// their code (measured, issue 15: the CLI's CPU fell by ~10 % on a default run, by a third on a
// short `--only` run). Their licences go to
// dist/cli/THIRD-PARTY-LICENSES.txt. The installed copies still serve the unbundled entry points.
//
// Compiled modules find files beside themselves (the schemas, the profiles, the reference
// servers, wire-validators.cjs) through `import.meta.url`. In the bundle each module's
// `import.meta.url` is replaced by the URL of its own compiled file, so every such path means
// what it meant before. That is only true while every output file sits in dist/cli/: checked.
//   node scripts/bundle-cli.mjs           (npm run build runs it after tsc)
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { isBuiltin, posix } from './build-files.mjs';
import { writeLicenses } from './licenses.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const OUT = join(DIST, 'cli');
const ENTRY = join(OUT, 'bin.js');
const MAIN = join(OUT, 'main.js');
const CHUNK_PREFIX = 'bin-chunk-';


// Run twice without tsc in between, bin.js is the bundle already: it stays as it is.
if (readFileSync(ENTRY, 'utf8').includes(CHUNK_PREFIX)) {
  console.log('bundle-cli: dist/cli/bin.js is bundled already');
  process.exit(0);
}

/**
 * Node's modules stay imports, every other bare import is bundled; each compiled
 * module keeps the URL of its own file (see the top of this file); and the modules in `tied`
 * also import the CLI's main module (see below).
 */
function plugin(tied = new Set()) {
  return {
    name: 'cli-bundle',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => (isBuiltin(args.path) ? { path: args.path, external: true } : undefined));
      b.onLoad({ filter: /\.js$/ }, (args) => {
        if (!args.path.startsWith(DIST + sep)) return undefined;
        let text = readFileSync(args.path, 'utf8');
        const own = `new URL(${JSON.stringify(posix(relative(OUT, args.path)))}, import.meta.url).href`;
        text = text.replaceAll('import.meta.url', own);
        if (tied.has(args.path)) text += `\nimport ${JSON.stringify(`./${posix(relative(dirname(args.path), MAIN))}`)};\n`;
        return { contents: text, loader: 'js' };
      });
    },
  };
}

const options = {
  absWorkingDir: ROOT,
  entryPoints: [ENTRY],
  outdir: OUT,
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  chunkNames: `${CHUNK_PREFIX}[hash]`,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  metafile: true,
  logLevel: 'warning',
};

// esbuild splits by "which lazily imported modules reach this code": the code main.js loads
// before anything lazy would fall into ~10 chunks, one per such set, each a file to load before
// the target starts. Every lazily imported module runs after main.js has loaded, so importing
// main.js from it changes nothing at run time; it only makes every set the same, and that code
// one chunk. First pass (not written): which modules are imported lazily, and not by main.js.
const probe = await build({ ...options, write: false, plugins: [plugin()] });
const inputs = probe.metafile.inputs;
const key = (path) => posix(relative(ROOT, path));
const eager = new Set();
for (const queue = [key(MAIN)]; queue.length > 0; ) {
  const file = queue.pop();
  if (eager.has(file) || !inputs[file]) continue;
  eager.add(file);
  for (const i of inputs[file].imports) if (i.kind === 'import-statement' && !i.external) queue.push(i.path);
}
const lazy = new Set(Object.values(inputs).flatMap((input) => input.imports.filter((i) => i.kind === 'dynamic-import' && !i.external).map((i) => i.path)));
const tied = new Set([...lazy].filter((file) => !eager.has(file)).map((file) => resolve(ROOT, file)));

for (const name of readdirSync(OUT)) if (name.startsWith(CHUNK_PREFIX)) rmSync(join(OUT, name));
const { metafile } = await build({ ...options, plugins: [plugin(tied)] });

const outputs = Object.keys(metafile.outputs).map((o) => resolve(ROOT, o));
const astray = outputs.filter((o) => dirname(o) !== OUT);
if (astray.length) throw new Error(`bundle-cli: output outside dist/cli/ (import.meta.url would mislead): ${astray.join(', ')}`);
// What stays an import is Node's; a dependency reached through require() at run time (esbuild's
// __require) would fail in an ES module, so there must be none.
const unknown = Object.values(metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external && !isBuiltin(i.path)).map((i) => i.path));
if (unknown.length) throw new Error(`bundle-cli: imports other than Node's left in the bundle: ${[...new Set(unknown)].join(', ')}`);
const dynamic = readdirSync(OUT).filter((f) => f.startsWith(CHUNK_PREFIX) && /__require\(["'a-z]/.test(readFileSync(join(OUT, f), 'utf8')));
if (dynamic.length) throw new Error(`bundle-cli: a bundled dependency require()s at run time in ${dynamic.join(', ')}`);
const licensed = writeLicenses(ROOT, Object.keys(metafile.inputs), join(OUT, 'THIRD-PARTY-LICENSES.txt'), 'Packages bundled into dist/cli/bin-chunk-*.js (the CLI)');
// The files a run loads before it starts the target: what bin.js imports (main.js), and their imports.
const binOut = Object.keys(metafile.outputs).find((o) => metafile.outputs[o].entryPoint === key(ENTRY));
const early = new Set();
for (const queue = metafile.outputs[binOut].imports.filter((i) => !i.external).map((i) => i.path); queue.length > 0; ) {
  const out = queue.pop();
  if (early.has(out)) continue;
  early.add(out);
  for (const i of metafile.outputs[out].imports) if (i.kind === 'import-statement' && !i.external) queue.push(i.path);
}
const compiled = Object.keys(metafile.inputs).filter((i) => !i.includes('node_modules')).length;
const kib = (outs) => (outs.reduce((sum, o) => sum + metafile.outputs[o].bytes, 0) / 1024).toFixed(0);
console.log(
  `bundle-cli: ${compiled} compiled files and ${licensed} packages → dist/cli/bin.js + ${outputs.length - 1} chunks (${kib(Object.keys(metafile.outputs))} KiB); ` +
    `before the run: bin.js + ${early.size} (${kib([...early])} KiB)`,
);
