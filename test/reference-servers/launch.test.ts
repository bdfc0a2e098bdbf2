// The build's start-up snapshot of the servers (scripts/snapshot-references.mjs) and how a server
// is started (reference-servers/launch.ts): from the snapshot under the Node that made it, from its
// file otherwise; either way the same server, with nothing of its state taken at build time.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type * as BrokenCatalog from '../../reference-servers/broken-catalog.js';
import type * as Catalog from '../../reference-servers/catalog.js';
import type * as Launch from '../../reference-servers/launch.js';

// The compiled modules, on purpose: they find the snapshot next to their compiled location.
const dist = (file: string) => new URL(`../../dist/reference-servers/${file}`, import.meta.url).href;
const { serverWords, usableSnapshot } = (await import(dist('launch.js'))) as typeof Launch;
const { REFERENCE_SERVERS } = (await import(dist('catalog.js'))) as typeof Catalog;
const { brokenServerNames } = (await import(dist('broken-catalog.js'))) as typeof BrokenCatalog;
const SNAPSHOT = new URL('../../dist/reference-servers/snapshot/', import.meta.url).pathname;

/** Starts `words`, sends `lines`, and resolves with `count` parsed answers (then ends its input). */
function answers(words: string[], lines: unknown[], count: number): Promise<{ replies: any[]; stderr: string; code: number | null }> {
  const child = spawn(words[0]!, words.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
  const replies: any[] = [];
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.on('data', (d) => {
    stdout += d;
    let nl;
    while ((nl = stdout.indexOf('\n')) >= 0) {
      replies.push(JSON.parse(stdout.slice(0, nl)));
      stdout = stdout.slice(nl + 1);
      if (replies.length === count) child.stdin.end();
    }
  });
  for (const line of lines) child.stdin.write(`${JSON.stringify(line)}\n`);
  if (count === 0) child.stdin.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ replies, stderr, code });
    }),
  );
}

const INIT = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '0' } } };
const CREATE = { jsonrpc: '2.0', id: 2, method: 'sessions/create', params: {} };

describe('the start-up snapshot', () => {
  it('the build made one for this Node, holding every reference, broken and variant server', () => {
    const snapshot = usableSnapshot();
    expect(snapshot, 'npm run build writes dist/reference-servers/snapshot/ with this Node').toBeDefined();
    const held = [...snapshot!.servers];
    expect(held).toEqual(expect.arrayContaining(REFERENCE_SERVERS.map((s) => s.name)));
    expect(held).toEqual(expect.arrayContaining(brokenServerNames().map((name) => `broken/${name}`)));
    expect(held).toEqual(expect.arrayContaining(['variants/signed-state-server', 'variants/transport-session-server']));
    expect(serverWords('broken/state-object')).toEqual([process.execPath, '--snapshot-blob', snapshot!.blob, 'broken/state-object']);
    const sources = Object.keys(JSON.parse(readFileSync(join(SNAPSHOT, 'servers.json'), 'utf8')).sources);
    expect(sources).toEqual(expect.arrayContaining(['session-base.js', 'session_server.js', 'broken/state-object.js', '../vendor/zod.js']));
  });

  it('a server started from it answers as the one started from its file', async () => {
    const fromSnapshot = await answers(serverWords('session_server'), [INIT, CREATE], 2);
    const fromFile = await answers([process.execPath, new URL(dist('session_server.js')).pathname], [INIT, CREATE], 2);
    expect(fromSnapshot.code).toBe(0);
    expect(fromSnapshot.replies[0]).toEqual(fromFile.replies[0]);
    const shape = (reply: any) => Object.keys(reply.result).sort();
    expect(shape(fromSnapshot.replies[1])).toEqual(shape(fromFile.replies[1]));
  });

  it('takes nothing of a server at build time: two processes issue different session ids', async () => {
    const ids = await Promise.all([1, 2].map(async () => (await answers(serverWords('session_server'), [INIT, CREATE], 2)).replies[1].result.session.sessionId));
    expect(ids[0]).toMatch(/^sess-[0-9a-f]{32}$/);
    expect(ids[1]).not.toBe(ids[0]);
  });

  // The build runs a throwaway server through a whole exchange before it takes the snapshot
  // (reference-servers/warm-up.ts): its sessions must not exist in a served process.
  it('holds nothing of the build-time warm-up: its session ids are unknown, a served process mints its own', async () => {
    expect(readFileSync(join(SNAPSHOT, 'servers.json'), 'utf8')).toContain('"warm-up.js"');
    const meta = { 'io.modelcontextprotocol/session': { sessionId: 'sess-warm-up-1' } };
    for (const [name, draft] of [['session_server', '2026-02-27'], ['notebook_server', '2026-03-13']] as const) {
      const run = await answers(
        [...serverWords(name), '--draft', draft],
        [INIT, CREATE, { jsonrpc: '2.0', id: 3, method: 'sessions/delete', params: { _meta: meta } }, { jsonrpc: '2.0', id: 4, method: 'tools/list' }],
        4,
      );
      expect(run.code, run.stderr).toBe(0);
      const byId = new Map(run.replies.map((r) => [r.id, r]));
      expect(byId.get(1).result.serverInfo.name).not.toBe('warm-up');
      expect(byId.get(2).result.session.sessionId).toMatch(/^sess-[0-9a-f]{32}$/);
      expect(byId.get(3).error, `${name}: the warm-up's first session`).toMatchObject({ code: -32043, data: { sessionId: 'sess-warm-up-1' } });
      const tools = byId.get(4).result.tools.map((t: any) => t.name);
      expect(tools.length).toBeGreaterThan(0);
      expect(tools, "its own tools, not the warm-up's").not.toContain('probe');
    }
  });

  it('a name it does not hold: exit 2, naming it', async () => {
    const run = await answers([process.execPath, '--snapshot-blob', usableSnapshot()!.blob, 'broken/no-such-server'], [], 0);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no server "broken\/no-such-server" in this snapshot/);
  });

  it('is used only under the Node binary that made it, for the directory it was made in', () => {
    const dir = mkdtempSync(join(tmpdir(), 'msc-snapshot-'));
    try {
      const info = JSON.parse(readFileSync(join(SNAPSHOT, 'servers.json'), 'utf8'));
      const write = (changes: object) => writeFileSync(join(dir, 'servers.json'), JSON.stringify({ ...info, ...changes }));
      write({});
      expect(usableSnapshot(dir), 'no blob beside it').toBeUndefined();
      writeFileSync(join(dir, 'servers.blob'), '');
      expect(usableSnapshot(dir)?.blob).toBe(join(dir, 'servers.blob'));
      write({ node: 'v99.0.0' });
      expect(usableSnapshot(dir), 'another Node version').toBeUndefined();
      write({ execPath: '/opt/other/node' });
      expect(usableSnapshot(dir), 'another Node binary').toBeUndefined();
      write({ dir: '/elsewhere/dist/reference-servers' });
      expect(usableSnapshot(dir), 'a moved checkout').toBeUndefined();
      // After a bare `tsc` the compiled files differ from those in the snapshot: never old code.
      const [size, mtimeMs] = info.sources['session_server.js'];
      write({ sources: { ...info.sources, 'session_server.js': [size, mtimeMs - 1000] } });
      expect(usableSnapshot(dir), 'a server compiled again since').toBeUndefined();
      write({ sources: { ...info.sources, '../vendor/zod.js': [size + 1, mtimeMs] } });
      expect(usableSnapshot(dir), 'the vendored SDK built again since').toBeUndefined();
      write({ sources: undefined });
      expect(usableSnapshot(dir), 'no record of its sources').toBeUndefined();
      rmSync(join(dir, 'servers.json'));
      expect(usableSnapshot(dir), 'no snapshot built').toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
