// Example driver for client mode (README "Testing your client"): the driver steps on the MCP
// TypeScript SDK's Client with the smallest correct session layer. Copy it and replace the SDK
// calls with your own client's. Run: mcp-session-conformance client --command "node example-driver.mjs"
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

const KEY = 'io.modelcontextprotocol/session';
const Any = z.looseObject({});
const twoServers = process.env.MCP_CONFORMANCE_SCENARIO === 'two-servers';

async function open() {
  const transport = new StdioClientTransport({ command: '/bin/sh', args: ['-c', process.env.MCP_CONFORMANCE_SERVER_COMMAND] });
  // The SDK client drops the top-level `sessions` capability: read it from the raw initialize answer.
  let sessions = false;
  const { send } = transport;
  transport.send = function (message, options) {
    if (message.method === 'initialize') {
      const onmessage = this.onmessage;
      this.onmessage = (reply, extra) => {
        if (reply.id === message.id) sessions = Boolean(reply.result?.capabilities?.sessions);
        onmessage?.(reply, extra);
      };
    }
    return send.call(this, message, options);
  };
  const client = new Client({ name: 'example-driver', version: '1.0.0' });
  await client.connect(transport);
  return { client, sessions, session: undefined }; // one session slot per server, never shared
}

const request = (server, method, params) => server.client.request({ method, ...(params ? { params } : {}) }, Any);
const meta = (session) => (session ? { _meta: { [KEY]: { sessionId: session.sessionId, ...(session.state !== undefined ? { state: session.state } : {}) } } } : {});

async function create(server) {
  if (!server.sessions) return;
  const { session } = await request(server, 'sessions/create'); // no session metadata on create
  server.session = { sessionId: session.sessionId, state: session.state };
}

async function probe(server, note, { withSession = true } = {}) {
  const sent = withSession ? server.session : undefined;
  try {
    const result = await request(server, 'tools/call', { name: 'session_probe', arguments: { note }, ...meta(sent) });
    const issued = result._meta?.[KEY];
    if (sent && issued?.sessionId === sent.sessionId && issued.state !== undefined) sent.state = issued.state; // keep the newest state, exactly
  } catch (error) {
    if (!(error instanceof McpError)) throw error;
    if (error.code === -32043 && sent && server.session === sent) {
      server.session = undefined; // revoked: never send it again
      await create(server);
    }
  }
}

async function remove(server) {
  const session = server.session;
  server.session = undefined;
  if (session) await request(server, 'sessions/delete', meta(session)).catch((error) => { if (!(error instanceof McpError)) throw error; });
}

const servers = [await open(), ...(twoServers ? [await open()] : [])];
const steps = [create, (s) => probe(s, 'first turn'), (s) => probe(s, 'second turn'), remove,
  (s) => probe(s, 'after-delete', { withSession: false }), create, (s) => probe(s, 'after-recreate'), remove];
for (const step of steps) for (const server of servers) await step(server);
await Promise.all(servers.map((server) => server.client.close()));
process.exit(0);
