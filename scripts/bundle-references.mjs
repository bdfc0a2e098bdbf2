// Build step after tsc: the reference servers (and reference clients, when present) are the only
// code that uses @modelcontextprotocol/sdk and zod. Their compiled files keep their place in
// dist/ (entry points, `isMain`, paths in the catalog stay as they are), but every bare import
// in them ("@modelcontextprotocol/sdk/server/index.js", "zod", …) is pointed at a vendored copy
// in dist/vendor/, built once by esbuild with shared chunks. So the SDK and zod are devDependencies:
// a user's install of the CLI does not fetch them, and every reference entry point found by the
// globs below — new ones included — runs from the package alone.
import { copyFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { isBuiltin, jsFiles, posix } from './build-files.mjs';
import { writeLicenses } from './licenses.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const VENDOR = join(DIST, 'vendor');
/** Compiled folders whose bare imports are vendored. */
const FOLDERS = ['reference-servers', 'reference-clients'];

/** "@modelcontextprotocol/sdk/server/index.js" → "modelcontextprotocol-sdk-server-index". */
const vendorName = (spec) => spec.replace(/^@/, '').replace(/\.[cm]?js$/, '').replace(/[^A-Za-z0-9]+/g, '-');

/** Rewrites the compiled files in place; returns the bare specifiers they import. */
async function pointAtVendor(files) {
  const specs = new Set();
  const rewrite = {
    name: 'vendor-imports',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        if (args.path.startsWith('.') || args.path.startsWith('/')) return { path: args.path, external: true };
        if (isBuiltin(args.path)) return { path: args.path, external: true };
        specs.add(args.path);
        let path = posix(relative(dirname(args.importer), join(VENDOR, `${vendorName(args.path)}.js`)));
        if (!path.startsWith('.')) path = `./${path}`;
        return { path, external: true };
      });
    },
  };
  await build({
    entryPoints: files,
    outdir: DIST,
    outbase: DIST,
    allowOverwrite: true,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    plugins: [rewrite],
    logLevel: 'warning',
  });
  return [...specs].sort();
}

/** One module per specifier in dist/vendor/, sharing chunks (one copy of the SDK and zod). */
async function buildVendor(specs) {
  const { metafile } = await build({
    metafile: true,
    entryPoints: specs.map((spec) => ({ in: spec, out: vendorName(spec) })),
    absWorkingDir: ROOT,
    outdir: VENDOR,
    bundle: true,
    splitting: true,
    chunkNames: 'chunk-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    legalComments: 'linked',
    // CommonJS inside the bundle (e.g. a dependency's require('crypto')) needs a require.
    banner: { js: "import { createRequire as __vendorRequire } from 'node:module'; const require = __vendorRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  writeLicenses(ROOT, Object.keys(metafile.inputs), join(VENDOR, 'THIRD-PARTY-LICENSES.txt'), 'Packages bundled into dist/vendor/ (reference servers only)');
}

/** The broken servers' manifests go beside them, so `--reference broken/<name>` knows what each must fail. */
function copyManifests() {
  const from = join(ROOT, 'reference-servers/broken');
  for (const name of readdirSync(from).filter((f) => /^manifest\..*\.json$/.test(f))) {
    copyFileSync(join(from, name), join(DIST, 'reference-servers/broken', name));
  }
}

const files = FOLDERS.flatMap((folder) => jsFiles(join(DIST, folder)));
if (files.length === 0) throw new Error('bundle-references: no compiled reference files in dist/ (run tsc first)');
const specs = await pointAtVendor(files);
// Run twice without tsc in between, the files already point at dist/vendor/: it stays as it is.
if (specs.length > 0) {
  rmSync(VENDOR, { recursive: true, force: true });
  await buildVendor(specs);
}
copyManifests();
console.log(`bundle-references: ${files.length} files, vendored ${specs.join(', ') || 'nothing'}`);
