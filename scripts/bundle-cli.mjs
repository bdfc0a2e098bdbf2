// Build step after tsc (issue 15: the CLI's own start, before its first byte to the target,
// ≤ 150 ms). Node loads an ES module graph file by file: the ~50 compiled files the CLI imports
// before it spawns the target cost more than the code in them. So the CLI's entry point,
// dist/cli/bin.js, is rewritten into a bundle of the compiled code it imports: one entry file
// and chunks beside it (dist/cli/bin-chunk-*.js), split where the CLI imports lazily (the
// suites, fast-check's users, reports, explain, client mode), so those still load only when a
// run needs them. The rest of dist/ stays as tsc wrote it (the vitest entry, the GitHub Action,
// the reference servers and the tests import it); the package's dependencies stay external
// (installed, loaded lazily), except the small eventsource-parser, inlined: resolving a package
// costs more than its code.
//
// Compiled modules find files beside themselves (the schemas, the profiles, the reference
// servers, wire-validators.cjs) through `import.meta.url`. In the bundle each module's
// `import.meta.url` is replaced by the URL of its own compiled file, so every such path means
// what it meant before. That is only true while every output file sits in dist/cli/: checked.
//   node scripts/bundle-cli.mjs           (npm run build runs it after tsc)
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const OUT = join(DIST, 'cli');
const ENTRY = join(OUT, 'bin.js');
const MAIN = join(OUT, 'main.js');
const CHUNK_PREFIX = 'bin-chunk-';
/** Dependencies bundled in rather than resolved at run time. */
const INLINE = new Set(['eventsource-parser']);

const posix = (path) => path.split(sep).join('/');
const isBuiltin = (spec) => spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0]);
const packageOf = (spec) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');

// Run twice without tsc in between, bin.js is the bundle already: it stays as it is.
if (readFileSync(ENTRY, 'utf8').includes(CHUNK_PREFIX)) {
  console.log('bundle-cli: dist/cli/bin.js is bundled already');
  process.exit(0);
}

/**
 * Bare imports stay imports (installed dependencies), but for the inlined few; each compiled
 * module keeps the URL of its own file (see the top of this file); and the modules in `tied`
 * also import the CLI's main module (see below).
 */
function plugin(tied = new Set()) {
  return {
    name: 'cli-bundle',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (isBuiltin(args.path)) return { path: args.path, external: true };
        if (INLINE.has(packageOf(args.path))) return undefined;
        return { path: args.path, external: true };
      });
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
// What stays an import is Node's or an installed dependency's.
const { dependencies } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const unknown = Object.values(metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external && !isBuiltin(i.path) && !(packageOf(i.path) in dependencies)).map((i) => i.path));
if (unknown.length) throw new Error(`bundle-cli: imports of neither Node nor a dependency left in the bundle: ${[...new Set(unknown)].join(', ')}`);
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
  `bundle-cli: ${compiled} compiled files → dist/cli/bin.js + ${outputs.length - 1} chunks (${kib(Object.keys(metafile.outputs))} KiB); ` +
    `before the run: bin.js + ${early.size} (${kib([...early])} KiB)`,
);
