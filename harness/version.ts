// The tool's name and version, read from the package.json shipped next to dist/.
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

function readPackage(): { name: string; version: string } {
  for (const rel of ['../../package.json', '../package.json']) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) {
      const pkg = JSON.parse(readFileSync(path, 'utf8'));
      if (pkg.name === 'mcp-session-conformance') return pkg;
    }
  }
  return { name: 'mcp-session-conformance', version: '0.0.0' };
}

const pkg = readPackage();
export const TOOL_NAME: string = pkg.name;
export const TOOL_VERSION: string = pkg.version;
