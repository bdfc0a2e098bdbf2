// Build step after bundle-references (issue 15): a V8 start-up snapshot of the reference and
// broken servers, so they start without loading the MCP SDK and zod each time. Importing them
// (parsing ~1 MB of vendored code, then building zod's schemas) is ~0.1 s of the ~0.25 s of CPU a
// server takes to answer `initialize`; the test suite starts ~1 200 of them, `--reference all`
// twelve. The snapshot holds the SDK, zod and the shared session module already evaluated, and
// every server entry module not yet evaluated: the one named on the command line is evaluated at
// start, so nothing of a server's own state (its ids, its keys) is taken at build time.
//
//   node --snapshot-blob dist/reference-servers/snapshot/servers.blob <server> [its arguments]
//   (<server>: "session_server", "broken/state-object", "variants/signed-state-server", …)
//
// A blob is only valid for the Node binary that built it, so servers.json records that binary,
// and reference-servers/launch.ts starts a server from the snapshot only under the same one (else
// from its file, as before). The package does not ship the blob (package.json "files"): it would be
// valid for one Node version only. If this Node cannot build a snapshot, the build says so and goes
// on: every server still starts from its file.
//   node scripts/snapshot-references.mjs      (npm run build runs it)
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { jsFiles, posix } from './build-files.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SERVERS = join(ROOT, 'dist/reference-servers');
const VENDOR = join(ROOT, 'dist/vendor');
const OUT = join(SERVERS, 'snapshot');

/**
 * The compiled files the snapshot was made from (relative to dist/reference-servers/: size and
 * modification time): after a bare `tsc`, or any other rewrite, they differ and launch.ts starts
 * servers from their files again, never old code from the snapshot.
 */
function sources() {
  const files = [...jsFiles(SERVERS, new Set([OUT])), ...jsFiles(VENDOR)].sort();
  return Object.fromEntries(files.map((file) => [posix(relative(SERVERS, file)), [statSync(file).size, statSync(file).mtimeMs]]));
}

// An entry module is one that starts a server when it is the process's entry script.
const entries = jsFiles(SERVERS, new Set([OUT]))
  .filter((file) => /^if \(isMain\(import\.meta\.url\)\)/m.test(readFileSync(file, 'utf8')))
  .map((file) => ({ name: posix(relative(SERVERS, file)).replace(/\.js$/, ''), file }))
  .sort((a, b) => a.name.localeCompare(b.name));
if (entries.length === 0) throw new Error('snapshot-references: no server entry modules in dist/reference-servers (run tsc first)');

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const entry = join(OUT, 'entry.mjs');
const bundle = join(OUT, 'servers.cjs');
const blob = join(OUT, 'servers.blob');

// Static import: evaluated while the snapshot is built. Dynamic imports: bundled, evaluated at start.
writeFileSync(
  entry,
  `import v8 from 'node:v8';
import '../session-base.js';
import { warmUp } from '../warm-up.js';
const SERVERS = {
${entries.map((e) => `  ${JSON.stringify(e.name)}: { file: ${JSON.stringify(e.file)}, load: () => import(${JSON.stringify(`../${e.name}.js`)}) },`).join('\n')}
};
// Run once through a throwaway server (reference-servers/warm-up.ts); the snapshot is taken
// when this build's event loop is empty, so after it. A warm-up that failed or never finished
// fails the build of the snapshot (the servers then start from their files).
let warmed = false;
warmUp().then(
  () => (warmed = true),
  (error) => {
    process.stderr.write(\`warm-up: \${error?.stack ?? error}\\n\`);
    process.exit(1);
  },
);
v8.startupSnapshot.addSerializeCallback(() => {
  if (warmed) return;
  process.stderr.write('warm-up: did not finish before the snapshot was taken\\n');
  process.exit(1);
});
v8.startupSnapshot.setDeserializeMainFunction(() => {
  const server = Object.hasOwn(SERVERS, process.argv[1] ?? '') ? SERVERS[process.argv[1]] : undefined;
  if (!server) {
    process.stderr.write(\`no server "\${process.argv[1] ?? ''}" in this snapshot (known: \${Object.keys(SERVERS).join(', ')})\\n\`);
    process.exit(2);
  }
  // The server's module starts it when it is the entry script (isMain): it is now.
  process.argv[1] = server.file;
  server.load().catch((error) => {
    process.stderr.write(\`\${error?.stack ?? error}\\n\`);
    process.exit(1);
  });
});
`,
);

try {
  await build({
    entryPoints: [entry],
    outfile: bundle,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    plugins: [
      {
        name: 'snapshot-sources',
        setup(b) {
          b.onLoad({ filter: /\.js$/ }, (args) => {
            if (!args.path.startsWith(SERVERS + sep) && !args.path.startsWith(VENDOR + sep)) return undefined;
            let text = readFileSync(args.path, 'utf8');
            // The vendored chunks make a `require` of their own for an ES module; in the snapshot's
            // CommonJS script the script's own `require` (Node's modules) serves.
            text = text.replace("import { createRequire as __vendorRequire } from 'node:module'; const require = __vendorRequire(import.meta.url);", '');
            // Each module keeps the URL of its own compiled file (isMain compares it with argv[1]).
            text = text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href));
            return { contents: text, loader: 'js' };
          });
        },
      },
    ],
  });
  // Without NODE_OPTIONS: a module preloaded with --require would be taken into the snapshot.
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  execFileSync(process.execPath, ['--snapshot-blob', blob, '--build-snapshot', bundle], { stdio: ['ignore', 'ignore', 'pipe'], env });
  writeFileSync(
    join(OUT, 'servers.json'),
    `${JSON.stringify(
      {
        node: process.version,
        arch: process.arch,
        platform: process.platform,
        execPath: process.execPath,
        dir: SERVERS,
        servers: entries.map((e) => e.name),
        sources: sources(),
      },
      null,
      2,
    )}\n`,
  );
  rmSync(entry);
  rmSync(bundle);
  console.log(`snapshot-references: ${entries.length} servers in ${posix(relative(ROOT, blob))} (${(statSync(blob).size / 2 ** 20).toFixed(1)} MiB, ${process.version})`);
} catch (error) {
  rmSync(OUT, { recursive: true, force: true });
  const detail = String(error?.stderr ?? '').trim() || error?.message || error;
  console.warn(`snapshot-references: no start-up snapshot (servers start from their files): ${detail}`);
}
