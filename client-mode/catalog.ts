// Client mode's vocabulary: the CLI-* ids it judges (levels come from the draft profile, as in
// server mode), and the scenarios, each a variation of the scripted server (never of the steps).

export interface ClientCheckDef {
  id: string;
  title: string;
  /** Rule source. */
  spec: string;
  /** One-line fix for a client that breaks the rule. */
  fix: string;
}

export const CLIENT_CHECKS: readonly ClientCheckDef[] = [
  {
    id: 'CLI-RUN-1',
    title: 'the client runs the driver steps against the server command and exits 0 within the deadline',
    spec: 'client mode driver contract (README "Client mode"); the precondition of every CLI check, as BASE-INIT-1 is for servers',
    fix: 'run every driver step (initialize, sessions/create, the four session_probe calls, sessions/delete) against MCP_CONFORMANCE_SERVER_COMMAND, treat the errors the scenario causes as expected, and exit 0',
  },
  {
    id: 'CLI-WIRE-1',
    title: 'every line the client writes to the server is a JSON-RPC message valid against the schemas',
    spec: 'JSON-RPC 2.0; MCP 2025-11-25 stdio transport; draft §Wire format (schemas/)',
    fix: 'write one JSON-RPC message per line on the server\'s stdin, and nothing else (logs go to stderr)',
  },
  {
    id: 'CLI-STATE-1',
    title: 'the client sends back exactly the latest state the server issued for the session',
    spec: 'draft §Use: "the client sends back exactly the latest value"; decision D8',
    fix: 'after every response, store result._meta["io.modelcontextprotocol/session"].state and send that exact string on the next request of the session',
  },
  {
    id: 'CLI-STATE-2',
    title: 'the client never modifies the state (or the session id) the server issued',
    spec: 'draft §SessionMetadata: state is an opaque server-issued token; decision D8 (compare as exact strings)',
    fix: 'treat state as an opaque string: no decoding, re-encoding, trimming or normalizing between receiving and sending it',
  },
  {
    id: 'CLI-CREATE-1',
    title: 'the client puts no session metadata on sessions/create',
    spec: 'draft §Create: "The client MUST NOT put session metadata on this request"',
    fix: 'send sessions/create without params._meta["io.modelcontextprotocol/session"]',
  },
  {
    id: 'CLI-ERR-1',
    title: 'the client stops using a session after -32043 (or after deleting it)',
    spec: 'draft §Errors: -32043 Session not found; "the server may also revoke a session at any time"; decision D12',
    fix: 'on -32043 (and after sessions/delete) drop the session from the client\'s store; create a new session if one is needed',
  },
  {
    id: 'CLI-DELETE-1',
    title: 'the client deletes the sessions it created when it is done',
    spec: 'draft §Delete (SHOULD: clients end sessions they no longer need)',
    fix: 'send sessions/delete for every live session before closing the connection',
  },
  {
    id: 'CLI-BIND-1',
    title: 'the client never sends a session of one server to another server',
    spec: 'draft §Use: a session is minted by, and belongs to, the server that created it',
    fix: 'keep sessions per server connection (key the session store by the connection) and never reuse one across servers',
  },
  {
    id: 'CLI-ID-1',
    title: 'the client uses unique request ids on each connection',
    spec: 'JSON-RPC 2.0 §4; MCP 2025-11-25 base protocol: request ids MUST be unique within a session',
    fix: 'draw request ids from a per-connection counter (or a random prefix plus a counter) and never reuse one',
  },
];

export const CLIENT_IDS: readonly string[] = CLIENT_CHECKS.map((c) => c.id);

export function clientCheck(id: string): ClientCheckDef {
  const def = CLIENT_CHECKS.find((c) => c.id === id);
  if (!def) throw new Error(`unknown client check ${id}`);
  return def;
}

export type ScenarioName = 'demo' | 'rotating-state' | 'revoked' | 'expiry' | 'no-capability' | 'two-servers';

export interface ScenarioDef {
  name: ScenarioName;
  description: string;
  /** Server instances the client must start (two-servers: 2). */
  servers: number;
}

export const SCENARIOS: readonly ScenarioDef[] = [
  { name: 'demo', description: 'a plain session server', servers: 1 },
  { name: 'rotating-state', description: 'a new opaque state on every response: sometimes ~3 KiB, sometimes with characters that tempt re-encoding', servers: 1 },
  { name: 'revoked', description: 'the second probe of the first session is answered -32043: the client must drop that session', servers: 1 },
  { name: 'expiry', description: 'expiresAt moves on every response', servers: 1 },
  { name: 'no-capability', description: 'no sessions capability: sessions/create answers -32601, session_probe works without a session', servers: 1 },
  { name: 'two-servers', description: 'the server command is started twice; each server has its own sessions', servers: 2 },
];

export const SCENARIO_NAMES: readonly ScenarioName[] = SCENARIOS.map((s) => s.name);

/** The notes of the four session_probe steps, in order. */
export const PROBE_NOTES = ['first turn', 'second turn', 'after-delete', 'after-recreate'] as const;

/** The environment variables a client under test reads. */
export const ENV = {
  scenario: 'MCP_CONFORMANCE_SCENARIO',
  serverCommand: 'MCP_CONFORMANCE_SERVER_COMMAND',
  serverUrl: 'MCP_CONFORMANCE_SERVER_URL',
  serverUrl2: 'MCP_CONFORMANCE_SERVER_URL_2',
} as const;

/** The client ids as `explain <id>` and `list --json` give them (how each is judged, the fix). */
export const CLIENT_RULES = CLIENT_CHECKS.map((c) => ({
  id: c.id,
  title: c.title,
  section: 'client',
  spec: c.spec,
  how: `client mode (client --command "<client cmd>"): the suite's scripted session server runs each scenario; ${c.id} is judged from what the client sent to it, per scenario (skip where a scenario gave it nothing to judge)`,
  fix: c.fix,
}));
