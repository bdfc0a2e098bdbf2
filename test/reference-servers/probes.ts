// Per server: one session-only tool call used by the shared tests (as the transcripts' probe).

export interface Probe {
  server: string;
  serverInfoName: string;
  tool: string;
  args: Record<string, unknown>;
  /** Whether the server issues a `state` token. */
  issuesState: boolean;
}

export const PROBES: Probe[] = [
  { server: 'session_server', serverInfoName: 'mcp-data-layer-sessions', tool: 'session_probe', args: { note: 'hello' }, issuesState: true },
  { server: 'session_required_server', serverInfoName: 'session-required', tool: 'echo', args: { text: 'hello' }, issuesState: false },
  { server: 'notebook_server', serverInfoName: 'notebook', tool: 'notebook_append', args: { text: 'note one' }, issuesState: false },
  { server: 'hashcheck_server', serverInfoName: 'hashcheck', tool: 'hashcheck_store', args: { text: 'abc' }, issuesState: false },
  { server: 'selective_session_server', serverInfoName: 'selective-session', tool: 'session_counter_inc', args: {}, issuesState: false },
  { server: 'client_notes_server', serverInfoName: 'client-notes', tool: 'client_notes_add', args: { text: 'note one' }, issuesState: true },
];

export const CAPABILITIES = {
  experimental: {},
  prompts: { listChanged: false },
  resources: { subscribe: false, listChanged: false },
  tools: { listChanged: false },
  sessions: {},
};
