// The licence text of every third-party package esbuild put into a bundle, for the file shipped
// beside it (dist/vendor/ for the reference servers, dist/cli/ for the CLI): a bundle copies
// their code, so it carries their notices.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';

/** Writes `file` from a metafile's input paths (relative to `root`), headed by `title`. */
export function writeLicenses(root, inputs, file, title) {
  const roots = new Set();
  for (const input of inputs) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input.split(sep).join('/'));
    if (m) roots.add(m[1]);
  }
  // One entry per name@version, also when npm installed the same version in two places.
  const parts = new Map();
  for (const pkgRoot of [...roots].sort()) {
    const dir = join(root, pkgRoot);
    const { name, version, license } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const found = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
    const key = `${name}@${version}`;
    if (!parts.has(key)) parts.set(key, `${key} (${license})\n\n${found ? readFileSync(join(dir, found), 'utf8').trim() : '(no licence file in the package)'}\n`);
  }
  writeFileSync(file, `${title}\n\n${[...parts.values()].join('\n---\n\n')}`);
  return parts.size;
}
