// Finds what to call on an unknown target: its tools, which of them need a session, and one
// tool to drive sessions through (the probe). Calling tools has side effects on the target,
// which is why the README tells users to run the suite against a test instance; discovery
// calls as few tools as it can, in an order that prefers tools whose names read as harmless.
import { synthesizeToolArguments, type Synthesis } from './arguments.js';
import type { SessionClient } from './session-client.js';
import { noteNotCalled, surveyTools, type SurveyTool, type ToolSurvey } from './tool-survey.js';
import type { Outcome, SessionMetadata } from './types.js';
import { byCodeUnits, clip, isObject } from './values.js';
import { REFERENCE_APPS } from './reference-apps.js';
import { QUEUED } from './service-queue.js';
export { clip };

export interface ToolInfo {
  name: string;
  inputSchema: unknown;
  /** The synthesized arguments ({} when none fit the schema: see synthesisOf for why). */
  readonly args: Record<string, unknown>;
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
  /**
   * The reference application the target is declared as (`--app`, or `--reference`): only a
   * declared target is held to an application's demo script and model (D15). Never guessed.
   */
  app?: string;
  /** Why something could not be found; shown when a check is untestable. */
  notes: string[];
  /** Every tool called once inside a fresh session (D21; harness/tool-survey.ts). */
  survey?: ToolSurvey;
  /**
   * `--tool`: the user named the one tool the suite may call; checks that call other tools
   * (the survey, noninterference) call only this one.
   */
  only?: string;
}

export { REFERENCE_APPS };

const HARMLESS = /(probe|whoami|status|get|read|list|echo|ping|info|describe|show|view|count|verify)/i;
const DESTRUCTIVE = /(reset|delete|remove|clear|drop|destroy|kill|purge|wipe|start|stop|shutdown|logout|revoke)/i;

/**
 * The reference application whose tools the target lists, if any: a guess for hints only
 * ("pass --app notebook_server"). Tool names that match prove nothing (D15).
 */
export function looksLikeApp(toolNames: string[]): string | undefined {
  const listed = new Set(toolNames);
  const fits = Object.entries(REFERENCE_APPS).filter(([, tools]) => tools.every((t) => listed.has(t)));
  return fits.sort((a, b) => b[1].length - a[1].length)[0]?.[0];
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
      if (outcome.noAnswer !== undefined) return `no response (${outcome.noAnswer})`;
      return `no response within ${outcome.ms} ms${outcome.queued ? QUEUED : ''}`;
    case 'exit':
      return `the target exited before answering (code ${outcome.code}, signal ${outcome.signal})`;
  }
}


function preferenceOrder(tools: ToolInfo[]): ToolInfo[] {
  const rank = (t: ToolInfo) => (DESTRUCTIVE.test(t.name) ? 2 : HARMLESS.test(t.name) ? 0 : 1);
  return [...tools].sort((a, b) => rank(a) - rank(b) || byCodeUnits(a.name, b.name));
}

export interface DiscoveryOptions {
  capability: boolean;
  /** --tool / --tool-args: use this tool as the probe. */
  tool?: { name: string; args?: Record<string, unknown> };
  /** --app (or --reference): the reference application the target is declared as. */
  app?: string;
  /** Overrides DISCOVERY_DEADLINE_MS. */
  deadlineMs?: number;
}

/** tools/list pages followed at most; a server with more is cut off there, with a note. */
export const MAX_TOOL_PAGES = 2000;
/**
 * Wall time discovery may take (listing and trying tools); past it, discovery keeps what it
 * found and says so. Each request has its own timeout too, but a target that answers each one
 * just in time, page after page or tool after tool, must not hold the run for hours.
 */
export const DISCOVERY_DEADLINE_MS = 120_000;
/** Tools kept at most (their schemas stay in memory for the run). */
export const MAX_TOOLS = 100_000;
/** Notes about single tools kept at most; the rest are counted. */
const MAX_TOOL_NOTES = 20;

export async function discover(client: SessionClient, opts: DiscoveryOptions): Promise<Discovery> {
  const found: Discovery = { capability: opts.capability, tools: [], notes: [] };
  const deadline = performance.now() + (opts.deadlineMs ?? DISCOVERY_DEADLINE_MS);
  const listing = await listTools(client, found.notes, deadline);
  // What follows compiles schemas and synthesizes arguments (tens of ms of CPU at once): a check
  // started beside discovery whose answer came in with the tool list (SESS-ERR-5, about to start
  // its restart) takes its next step first.
  await new Promise((resolve) => setImmediate(resolve));
  found.tools = listing.tools;
  found.app = opts.app;
  if (!opts.capability) return found;

  let candidates = preferenceOrder(found.tools);
  if (opts.tool) {
    const listed = found.tools.find((t) => t.name === opts.tool!.name);
    if (!listed) found.notes.push(`--tool ${opts.tool.name}: the server does not list a tool of that name`);
    candidates = [listed && !opts.tool.args ? listed : listedTool(opts.tool.name, listed?.inputSchema, opts.tool.args ?? {})];
  }
  if (candidates.length === 0) {
    found.notes.push(listing.failure ? `no tools to try: ${listing.failure}` : 'the server lists no tools (tools/list returned an empty list)');
  }

  const toolNotes = new ToolNotes(found.notes);
  for (const tool of candidates) {
    if (found.sessionTool && found.publicTool) break;
    if (performance.now() > deadline) {
      found.notes.push(`discovery ran past its ${Math.round((opts.deadlineMs ?? DISCOVERY_DEADLINE_MS) / 1000)} s bound: it stopped trying tools there`);
      break;
    }
    const synthesis = synthesisOf(tool);
    if (!synthesis.ok) {
      toolNotes.add(`tool ${clip(tool.name, 80)} is untestable: ${synthesis.why}`);
      continue;
    }
    const bare = await client.callTool(tool.name, synthesis.args, null);
    const isPublic = succeeded(bare);
    if (isPublic && found.publicTool) continue;
    if (!isPublic && found.sessionTool) continue;
    const works = await worksInsideSession(client, tool.name, synthesis.args);
    if (!works.ok) {
      toolNotes.add(`tool ${clip(tool.name, 80)} did not work inside a fresh session: ${works.why}`);
      continue;
    }
    const chosen: ChosenTool = { name: tool.name, args: synthesis.args, sessionOnly: !isPublic };
    if (isPublic) found.publicTool = chosen;
    else found.sessionTool = chosen;
  }
  toolNotes.close();
  found.probe = found.sessionTool ?? found.publicTool;
  found.only = opts.tool?.name;
  const surveyed = opts.tool ? candidates : preferenceOrder(found.tools);
  found.survey = await surveyTools(client, surveyList(surveyed), { deadline });
  found.notes.push(...found.survey.notes);
  const inList = new Set(surveyed.map((t) => t.name));
  for (const tool of surveyed) {
    const synthesis = synthesisOf(tool);
    if (!synthesis.ok) noteNotCalled(found.survey, tool.name, `untestable: ${synthesis.why}`);
  }
  for (const tool of found.tools) {
    if (!inList.has(tool.name)) noteNotCalled(found.survey, tool.name, `--tool ${clip(opts.tool!.name, 80)} restricts the survey to that tool`);
  }
  if (!found.sessionTool && candidates.length > 0) {
    found.notes.push('no tool refused to run without a session while working inside one (no session-only tool)');
  }
  return found;
}

/**
 * The tools the survey calls (D21): those the suite can synthesize arguments for, in the order
 * given. A tool whose schema is beyond the budget is untestable (discovery noted why) and is
 * never called — not with `{}` either.
 */
function surveyList(tools: ToolInfo[]): SurveyTool[] {
  const list: SurveyTool[] = [];
  for (const tool of tools) {
    const synthesis = synthesisOf(tool);
    if (synthesis.ok) list.push({ name: tool.name, args: synthesis.args, destructive: DESTRUCTIVE.test(tool.name) });
  }
  return list;
}

/** Notes about single tools, at most MAX_TOOL_NOTES of them; the rest counted in one line. */
class ToolNotes {
  private dropped = 0;
  private kept = 0;
  constructor(private readonly notes: string[]) {}
  add(note: string): void {
    if (this.kept++ < MAX_TOOL_NOTES) this.notes.push(note);
    else this.dropped++;
  }
  close(): void {
    if (this.dropped > 0) this.notes.push(`${this.dropped} more tools could not be used (notes about the first ${MAX_TOOL_NOTES} are above)`);
  }
}

/** A listed tool; its arguments are synthesized when first asked for, at most once. */
function listedTool(name: string, inputSchema: unknown, given?: Record<string, unknown>): ToolInfo {
  let synthesis: Synthesis | undefined = given ? { ok: true, args: given, how: 'smallest' } : undefined;
  const tool = {
    name,
    inputSchema,
    get args(): Record<string, unknown> {
      const s = synthesisOf(tool);
      return s.ok ? s.args : {};
    },
  };
  synthesisCache.set(tool, () => (synthesis ??= synthesizeToolArguments(inputSchema)));
  return tool;
}

const synthesisCache = new WeakMap<ToolInfo, () => Synthesis>();

/** The tool's synthesized arguments, or why there are none (an untestable tool). */
export function synthesisOf(tool: ToolInfo): Synthesis {
  const cached = synthesisCache.get(tool);
  return cached ? cached() : synthesizeToolArguments(tool.inputSchema);
}

interface Listing {
  tools: ToolInfo[];
  /** What went wrong with the first page, when it gave no tool list at all. */
  failure?: string;
}

/**
 * Follows tools/list pages up to MAX_TOOL_PAGES (a note says when that cut the list short),
 * stops at a cursor seen before (a pagination loop), and says what happened when a page did
 * not come back as a tool list.
 */
async function listTools(client: SessionClient, notes: string[], deadline: number): Promise<Listing> {
  const tools: ToolInfo[] = [];
  const names = new Set<string>();
  const cursors = new Set<string>();
  let cursor: string | undefined;
  for (let page = 1; ; page++) {
    const outcome = await client.request('tools/list', cursor === undefined ? {} : { cursor }, null);
    const result = outcome.kind === 'result' && isObject(outcome.result) ? outcome.result : undefined;
    const listed = result?.tools;
    if (!Array.isArray(listed)) {
      const what = outcome.kind === 'result' ? `answered without a tools array: ${describeOutcome(outcome)}` : `gave ${describeOutcome(outcome)}`;
      const failure = `tools/list ${page > 1 ? `page ${page} ` : ''}${what}`;
      if (page === 1) return { tools, failure };
      notes.push(`${failure}; discovery uses the ${plural(tools.length, 'tool')} of the pages before it`);
      return { tools };
    }
    for (const tool of listed) {
      if (!isObject(tool) || typeof tool.name !== 'string' || names.has(tool.name)) continue;
      if (tools.length >= MAX_TOOLS) {
        notes.push(`the server lists more than ${MAX_TOOLS} tools: discovery uses the first ${MAX_TOOLS}`);
        return { tools };
      }
      names.add(tool.name);
      tools.push(listedTool(tool.name, tool.inputSchema));
    }
    const next = result?.nextCursor;
    if (typeof next !== 'string') return { tools };
    if (cursors.has(next) || next === cursor) {
      notes.push(`tools/list page ${page} returned a nextCursor already seen (${clip(JSON.stringify(next), 60)}): stopped following the loop after ${page} pages and ${plural(tools.length, 'tool')}`);
      return { tools };
    }
    if (performance.now() > deadline) {
      notes.push(`tools/list pages took longer than discovery's bound: discovery stopped after ${page} pages and uses their ${plural(tools.length, 'tool')}`);
      return { tools };
    }
    if (page >= MAX_TOOL_PAGES) {
      notes.push(`tools/list has more than ${MAX_TOOL_PAGES} pages: discovery stopped there and uses the ${plural(tools.length, 'tool')} of the first ${MAX_TOOL_PAGES} pages`);
      return { tools };
    }
    cursors.add(next);
    cursor = next;
  }
}

/**
 * Two calls in one fresh session must both succeed (a tool that ends its session is no probe).
 * The session is deleted again whatever happened, so discovery leaves nothing behind.
 */
async function worksInsideSession(client: SessionClient, name: string, args: Record<string, unknown>): Promise<{ ok: true } | { ok: false; why: string }> {
  const created = await client.create();
  const session: SessionMetadata | undefined = created.session;
  if (!session) return { ok: false, why: `sessions/create gave ${describeOutcome(created.outcome)}` };
  try {
    for (let call = 1; call <= 2; call++) {
      const outcome = await client.callTool(name, args, session);
      if (!succeeded(outcome)) return { ok: false, why: `call ${call} gave ${describeOutcome(outcome)}` };
    }
    return { ok: true };
  } finally {
    await client.delete(session);
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
