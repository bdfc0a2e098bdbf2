// The SDK's ordinary Client + StdioClientTransport can talk to every reference server, and the
// catalog's commands start the servers through /bin/sh.

import { spawn } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import type * as Catalog from '../../reference-servers/catalog.js';
import { serverFile } from './raw-client.js';

// The compiled catalog, on purpose: it resolves the servers next to its own compiled location.
const catalogUrl = new URL('../../dist/reference-servers/catalog.js', import.meta.url).href;
const { REFERENCE_SERVERS, referenceCommand } = (await import(catalogUrl)) as typeof Catalog;

const open: Client[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

async function connect(name: string): Promise<Client> {
  const client = new Client({ name: 'interop-test', version: '0' });
  open.push(client);
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [serverFile(name)], stderr: 'pipe' }));
  return client;
}

describe.each(REFERENCE_SERVERS)('SDK Client ↔ $name', (entry) => {
  it('initializes, lists the catalog tools and calls one', async () => {
    const client = await connect(entry.name);
    expect(client.getServerVersion()?.version).toBe('1.26.0');
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(entry.tools);

    if (entry.name === 'selective_session_server') {
      const result = await client.callTool({ name: 'public_echo', arguments: { text: 'interop' } });
      expect(result.content).toEqual([{ type: 'text', text: 'public tool ok: interop' }]);
    } else {
      // Session-only tools: without a session the call is a true JSON-RPC error.
      // `text` satisfies every first tool (session_probe ignores it, as extra arguments are ignored).
      const error = await client.callTool({ name: entry.tools[0]!, arguments: { text: 'x' } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(McpError);
      expect((error as McpError).code).toBe(-32043);
      expect((error as McpError).data).toEqual({ sessionId: '' });
    }
  });
});

describe('catalog', () => {
  it('lists six servers whose compiled files exist', () => {
    expect(REFERENCE_SERVERS.map((s) => s.name)).toEqual([
      'session_server',
      'session_required_server',
      'notebook_server',
      'hashcheck_server',
      'selective_session_server',
      'client_notes_server',
    ]);
    for (const s of REFERENCE_SERVERS) expect(serverFile(s.name)).toContain(s.file);
  });

  it('referenceCommand starts a server through /bin/sh, with the draft flag', async () => {
    const command = referenceCommand('session_required_server', '2026-03-13');
    // From the build's start-up snapshot (launch.ts; test/reference-servers/launch.test.ts).
    expect(command).toMatch(/^".+" "--snapshot-blob" ".+\/servers\.blob" "session_required_server" --draft "2026-03-13"$/);
    const child = spawn(command, { shell: '/bin/sh', stdio: ['pipe', 'pipe', 'inherit'] });
    const lines: string[] = [];
    const answered = new Promise<string>((resolve) => {
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        lines.push(chunk);
        if (lines.join('').includes('\n')) resolve(lines.join(''));
      });
    });
    child.stdin.write('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"whoami","arguments":{}}}\n');
    const reply = JSON.parse(await answered);
    child.stdin.end();
    await new Promise((resolve) => child.on('exit', resolve));
    expect(reply.error).toEqual({ code: -32044, message: 'Session required' });
  });

  it('refuses an unknown server name', () => {
    expect(() => referenceCommand('nope')).toThrow(/unknown reference server/);
  });
});
