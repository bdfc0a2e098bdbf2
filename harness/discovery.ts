// Finds what to call on an unknown target: its tools, which of them need a session, and one
// tool to drive sessions through (the probe). Calling tools has side effects on the target,
// which is why the README tells users to run the suite against a test instance; discovery
// calls as few tools as it can, in an order that prefers tools whose names read as harmless.
import { synthesizeArguments } from './arguments.js';
import type { SessionClient } from './session-client.js';
import { surveyTools, type ToolSurvey } from './tool-survey.js';
import type { Outcome, SessionMetadata } from './types.js';
import { clip } from './values.js';
export { clip };

export interface ToolInfo {
  name: string;
  inputSchema: unknown;
  args: Record<string, unknown>;
}

export interface ChosenTool {
  name: string;
  args: Record<string, unknown>;
  /** The tool refuses to run without a session. */
  sessionOnly: boolean;
}

export interface Discovery {
  /** capabilities.sessions is a JSON object. */
  capability: boolean;
  tools: ToolInfo[];
  /** The tool the checks call inside sessions (session-only preferred, else public). */
  probe?: ChosenTool;
  /** A tool that fails without a session and works inside one. */
  sessionTool?: ChosenTool;
  /** A tool that works without a session. */
  publicTool?: ChosenTool;
  /** The reference application whose tool set the target has, if any. */
  app?: string;
  /** Why something could not be found; shown when a check is untestable. */
  notes: string[];
  /** Every tool called once inside a fresh session (D21; harness/tool-survey.ts). */
  survey?: ToolSurvey;
}

export const REFERENCE_APPS: Record<string, string[]> = {
  session_server: ['session_probe'],
  session_required_server: ['echo', 'whoami'],
  notebook_server: ['notebook_append', 'notebook_clear', 'notebook_read', 'notebook_status'],
  hashcheck_server: ['hashcheck_delete', 'hashcheck_list', 'hashcheck_store', 'hashcheck_verify'],
  selective_session_server: ['public_echo', 'session_counter_get', 'session_counter_inc', 'session_reset', 'session_start'],
  client_notes_server: ['client_notes_add', 'client_notes_clear', 'client_notes_list', 'client_notes_status'],
};

const HARMLESS = /(probe|whoami|status|get|read|list|echo|ping|info|describe|show|view|count|verify)/i;
const DESTRUCTIVE = /(reset|delete|remove|clear|drop|destroy|kill|purge|wipe|start|stop|shutdown|logout|revoke)/i;

export function recognizeApp(toolNames: string[]): string | undefined {
  const sorted = [...toolNames].sort().join(',');
  return Object.entries(REFERENCE_APPS).find(([, tools]) => [...tools].sort().join(',') === sorted)?.[0];
}

export function isToolError(outcome: Outcome): boolean {
  return outcome.kind === 'result' && outcome.result?.isError === true;
}

export function succeeded(outcome: Outcome): boolean {
  return outcome.kind === 'result' && outcome.result?.isError !== true;
}

export function describeOutcome(outcome: Outcome): string {
  switch (outcome.kind) {
    case 'result': {
      const text = Array.isArray(outcome.result?.content)
        ? outcome.result.content.map((c: any) => (typeof c?.text === 'string' ? c.text : '')).join(' ').trim()
        : '';
      const head = outcome.result?.isError === true ? 'a successful response with isError: true' : 'a successful result';
      return text ? `${head} ("${clip(text, 160)}")` : `${head} ${clip(JSON.stringify(outcome.result), 200)}`;
    }
    case 'error': {
      const data = outcome.error.data === undefined ? '' : `, data ${clip(JSON.stringify(outcome.error.data), 120)}`;
      return `JSON-RPC error ${outcome.error.code} "${clip(String(outcome.error.message), 120)}"${data}`;
    }
    case 'timeout':
      return `no response within ${outcome.ms} ms`;
    case 'exit':
      return `the target exited before answering (code ${outcome.code}, signal ${outcome.signal})`;
  }
}


function preferenceOrder(tools: ToolInfo[]): ToolInfo[] {
  const rank = (t: ToolInfo) => (DESTRUCTIVE.test(t.name) ? 2 : HARMLESS.test(t.name) ? 0 : 1);
  return [...tools].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

export interface DiscoveryOptions {
  capability: boolean;
  /** --tool / --tool-args: use this tool as the probe. */
  tool?: { name: string; args?: Record<string, unknown> };
  /** --app: treat the target as this reference application. */
  app?: string;
}

export async function discover(client: SessionClient, opts: DiscoveryOptions): Promise<Discovery> {
  const found: Discovery = { capability: opts.capability, tools: [], notes: [] };
  found.tools = await listTools(client, found.notes);
  found.app = opts.app ?? recognizeApp(found.tools.map((t) => t.name));
  if (!opts.capability) return found;

  let candidates = preferenceOrder(found.tools);
  if (opts.tool) {
    const listed = found.tools.find((t) => t.name === opts.tool!.name);
    if (!listed) found.notes.push(`--tool ${opts.tool.name}: the server does not list a tool of that name`);
    candidates = [{ name: opts.tool.name, inputSchema: listed?.inputSchema, args: opts.tool.args ?? listed?.args ?? {} }];
  }
  if (candidates.length === 0) found.notes.push('the server lists no tools (tools/list returned none)');

  for (const tool of candidates) {
    if (found.sessionTool && found.publicTool) break;
    const bare = await client.callTool(tool.name, tool.args, null);
    const isPublic = succeeded(bare);
    if (isPublic && found.publicTool) continue;
    if (!isPublic && found.sessionTool) continue;
    const works = await worksInsideSession(client, tool);
    if (!works.ok) {
      found.notes.push(`tool ${tool.name} did not work inside a fresh session: ${works.why}`);
      continue;
    }
    const chosen: ChosenTool = { name: tool.name, args: tool.args, sessionOnly: !isPublic };
    if (isPublic) found.publicTool = chosen;
    else found.sessionTool = chosen;
  }
  found.probe = found.sessionTool ?? found.publicTool;
  found.survey = await surveyTools(client, (opts.tool ? candidates : preferenceOrder(found.tools)).map((t) => ({ ...t, destructive: DESTRUCTIVE.test(t.name) })), opts.tool?.name);
  if (!found.sessionTool && candidates.length > 0) {
    found.notes.push('no tool refused to run without a session while working inside one (no session-only tool)');
  }
  return found;
}

async function listTools(client: SessionClient, notes: string[]): Promise<ToolInfo[]> {
  const tools: ToolInfo[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 20; page++) {
    const outcome = await client.request('tools/list', cursor ? { cursor } : {}, null);
    if (outcome.kind !== 'result' || !Array.isArray(outcome.result?.tools)) {
      notes.push(`tools/list did not return a tool list: ${describeOutcome(outcome)}`);
      break;
    }
    for (const tool of outcome.result.tools) {
      if (typeof tool?.name !== 'string') continue;
      tools.push({ name: tool.name, inputSchema: tool.inputSchema, args: synthesizeArguments(tool.inputSchema) });
    }
    cursor = typeof outcome.result.nextCursor === 'string' ? outcome.result.nextCursor : undefined;
    if (!cursor) break;
  }
  return tools;
}

/** Two calls in one fresh session must both succeed (a tool that ends its session is no probe). */
async function worksInsideSession(client: SessionClient, tool: ToolInfo): Promise<{ ok: true } | { ok: false; why: string }> {
  const created = await client.create();
  const session: SessionMetadata | undefined = created.session;
  if (!session) return { ok: false, why: `sessions/create gave ${describeOutcome(created.outcome)}` };
  for (let call = 1; call <= 2; call++) {
    const outcome = await client.callTool(tool.name, tool.args, session);
    if (!succeeded(outcome)) return { ok: false, why: `call ${call} gave ${describeOutcome(outcome)}` };
  }
  await client.delete(session);
  return { ok: true };
}
