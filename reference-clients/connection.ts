// Connects the SDK's `Client` to one server of the scenario: spawns the suite's server command
// through /bin/sh -c over stdio, or opens MCP_CONFORMANCE_SERVER_URL[_2] over Streamable HTTP.

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Defect } from './defects.js';
import { SessionStore } from './session-store.js';
import { TapTransport } from './tap.js';

/** Where the scenario's servers are, read from the environment the suite sets. */
export interface Endpoints {
  scenario: string;
  command?: string;
  urls: string[];
}

export function endpointsFromEnv(env: NodeJS.ProcessEnv = process.env): Endpoints {
  const scenario = env.MCP_CONFORMANCE_SCENARIO ?? 'demo';
  const urls = [env.MCP_CONFORMANCE_SERVER_URL, env.MCP_CONFORMANCE_SERVER_URL_2].filter(
    (url): url is string => typeof url === 'string' && url !== '',
  );
  const command = env.MCP_CONFORMANCE_SERVER_COMMAND || undefined;
  if (!command && urls.length === 0) {
    throw new Error('neither MCP_CONFORMANCE_SERVER_COMMAND nor MCP_CONFORMANCE_SERVER_URL is set');
  }
  return { scenario, command, urls };
}

/** One connected server: its client, its own session store, and whether it offers sessions. */
export interface Side {
  label: string;
  client: Client;
  sessions: SessionStore;
  hasSessions: boolean;
}

function transportFor(endpoints: Endpoints, index: number): Transport {
  if (endpoints.urls.length > 0) {
    const url = endpoints.urls[Math.min(index, endpoints.urls.length - 1)]!;
    return new StreamableHTTPClientTransport(new URL(url));
  }
  // Every spawn of the command is a new server instance; its stderr goes to ours.
  return new StdioClientTransport({ command: '/bin/sh', args: ['-c', endpoints.command!], stderr: 'inherit' });
}

export async function connect(endpoints: Endpoints, index: number, defect: Defect, timeoutMs: number): Promise<Side> {
  const tap = new TapTransport(transportFor(endpoints, index), defect);
  const client = new Client({ name: 'mcp-session-conformance-reference-client', version: '0.1.0' }, { capabilities: {} });
  await client.connect(tap, { timeout: timeoutMs });
  const capabilities = tap.initializeResult?.capabilities as Record<string, unknown> | undefined;
  const sessions = typeof capabilities === 'object' && capabilities !== null ? capabilities.sessions : undefined;
  const hasSessions = typeof sessions === 'object' && sessions !== null;
  return { label: String.fromCharCode(65 + index), client, sessions: new SessionStore(defect), hasSessions };
}
