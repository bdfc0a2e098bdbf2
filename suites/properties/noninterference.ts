// SESS-ISO-1 for any target (decision D16): the same calls in session B must give the same
// answers whether or not another session A made other calls before and in between. Session B's
// calls run alone three times (to learn what varies by itself: times, random values), then once
// next to session A, whose calls carry A's own marker texts; all in sessions on one connection.
import { synthesisOf, type ToolInfo } from '../../harness/discovery.js';
import type { SessionClient } from '../../harness/session-client.js';
import type { Outcome, SessionMetadata, TranscriptEntry } from '../../harness/types.js';
import { byCodeUnits, clip } from '../../harness/values.js';
import { fail, skip, untestable, type CheckContext, type PassNote, type Random } from '../check.js';
import { answerOf, learnTemplate, mismatch, type Answer, type Mismatch } from './interference-compare.js';

/** Words of a tool name that may stop the process: never called. */
const FATAL = new Set(['shutdown', 'shut', 'kill', 'exit', 'quit', 'terminate', 'restart', 'reboot', 'halt', 'crash']);
/** Words of a tool name that end or empty something: called last in a session's calls, once. */
const ENDING = new Set(['reset', 'delete', 'remove', 'clear', 'drop', 'destroy', 'purge', 'wipe', 'erase', 'flush', 'truncate', 'logout', 'revoke', 'stop', 'close', 'end']);

/** `session_reset`, `clearAll`, `memo-delete` → its words, lower case. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}
const reads = (words: Set<string>) => (tool: ToolInfo) => nameWords(tool.name).some((w) => words.has(w));
const isFatal = reads(FATAL);
const isEnding = reads(ENDING);
/** Bounds: tools called per pass, and ending tools. */
export const NONINTERFERENCE_BOUNDS = { tools: 6, ending: 2 };
/** Runs of session B alone: a value that varies by itself rarely comes out equal three times. */
export const ALONE_RUNS = 3;

export interface PlannedCall {
  tool: string;
  args: Record<string, unknown>;
  /** The call carries the session's marker text in a string argument. */
  marked: boolean;
}

export interface Plan {
  markers: { a: string; b: string };
  /** Session B's calls, the same in every run. */
  b: PlannedCall[];
  /** Session A's calls, `a[i]` right before B's call i in the run next to A. */
  a: PlannedCall[];
  /** Tools left out, with why. */
  leftOut: string[];
}

/** Chooses the calls, deterministically from the check's seeded random. */
/**
 * `given`: arguments chosen for a tool elsewhere (`--tool-args`, or what discovery settled on);
 * they are used as they are. Other tools get their synthesized arguments with the marker texts.
 */
export function planCalls(tools: ToolInfo[], given: Map<string, Record<string, unknown>>, random: Random, mustInclude?: string): Plan {
  const markers = { a: `iso-A-${random.hex(8)}`, b: `iso-B-${random.hex(8)}` };
  const leftOut: string[] = [];
  const sorted = [...tools].sort((x, y) => byCodeUnits(x.name, y.name));
  const fatal = sorted.filter(isFatal).map((t) => t.name);
  if (fatal.length > 0) leftOut.push(`${listed(fatal)} (named as stopping the server)`);
  const usable = sorted.filter((t) => !isFatal(t));
  const normal = bounded(usable.filter((t) => !isEnding(t)), NONINTERFERENCE_BOUNDS.tools, random, mustInclude, leftOut);
  const ending = bounded(usable.filter(isEnding), NONINTERFERENCE_BOUNDS.ending, random, mustInclude, leftOut);
  const call = (tool: ToolInfo, marker: string): PlannedCall => {
    const chosen = given.get(tool.name);
    const own = chosen !== undefined && JSON.stringify(chosen) !== JSON.stringify(tool.args ?? {});
    if (own) return { tool: tool.name, args: chosen, marked: false };
    const { args, marked } = withMarker(tool, tool.args ?? {}, marker);
    return { tool: tool.name, args, marked };
  };
  const b = [...shuffle(normal, random), ...shuffle(normal, random), ...ending].map((t) => call(t, markers.b));
  // A in its own order: its writes land between B's reads; its ending tools come last, next to B's.
  const a = [...shuffle(normal, random), ...shuffle(normal, random), ...ending].map((t) => call(t, markers.a));
  return { markers, b, a, leftOut };
}

function bounded(tools: ToolInfo[], max: number, random: Random, keep: string | undefined, leftOut: string[]): ToolInfo[] {
  const chosen = [...tools];
  const dropped: string[] = [];
  while (chosen.length > max) {
    const candidates = chosen.filter((t) => t.name !== keep);
    const drop = random.pick(candidates);
    chosen.splice(chosen.indexOf(drop), 1);
    dropped.push(drop.name);
  }
  if (dropped.length > 0) leftOut.push(`${listed(dropped)} (at most ${max} such tools are called)`);
  return chosen;
}

function listed(names: string[]): string {
  return names.slice(0, 10).join(', ') + (names.length > 10 ? `, … (${names.length} tools)` : '');
}

function shuffle<T>(items: T[], random: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The marker in every plain string property of the tool's input (no enum, format or pattern). */
export function withMarker(tool: ToolInfo, args: Record<string, unknown>, marker: string): { args: Record<string, unknown>; marked: boolean } {
  const schema = tool.inputSchema as any;
  const properties = schema && typeof schema === 'object' && schema.properties && typeof schema.properties === 'object' && !Array.isArray(schema.properties) ? schema.properties : {};
  const out = { ...args };
  let marked = false;
  for (const [key, prop] of Object.entries<any>(properties)) {
    if (!prop || typeof prop !== 'object') continue;
    const types = Array.isArray(prop.type) ? prop.type : [prop.type];
    const plain = types.includes('string') && !('enum' in prop) && !('const' in prop) && !prop.format && !prop.pattern;
    const fits = (typeof prop.maxLength !== 'number' || prop.maxLength >= marker.length) && (typeof prop.minLength !== 'number' || prop.minLength <= marker.length);
    if (plain && fits) {
      out[key] = marker;
      marked = true;
    }
  }
  return { args: out, marked };
}

interface RunOfB {
  id: string;
  outcomes: Outcome[];
  /** Seq of each of B's responses, for the transcript excerpt. */
  seqs: (number | undefined)[];
}

export interface NoninterferenceOptions {
  /** A declared application: a difference fails (MUST); otherwise it is a warning (D16). */
  declared: boolean;
}

export async function judgeNoninterference(ctx: CheckContext, opts: NoninterferenceOptions): Promise<PassNote> {
  const found = ctx.discovery;
  if (!found.sessionTool) {
    skip(`not applicable: no session-only tool was found, so no tool is known to keep data per session (${found.notes.join('; ') || 'no tools listed'}); name one with --tool and --tool-args`);
  }
  const given = new Map([found.probe, found.sessionTool].filter((t) => t !== undefined).map((t) => [t!.name, t!.args]));
  // `--tool`: the user named the one tool the suite may call; B and A call only that one. A tool
  // whose schema is beyond the synthesis budget is untestable (discovery says why): never called.
  const named = found.only === undefined ? found.tools : found.tools.filter((t) => t.name === found.only);
  const callable = named.filter((t) => given.has(t.name) || synthesisOf(t).ok);
  const plan = planCalls(callable, given, ctx.random, found.sessionTool.name);
  const untestableTools = named.filter((t) => !callable.includes(t)).map((t) => clip(t.name, 80));
  if (untestableTools.length > 0) plan.leftOut.push(`${untestableTools.slice(0, 10).join(', ')}${untestableTools.length > 10 ? `, … (${untestableTools.length} tools)` : ''} (no arguments within the synthesis budget)`);
  if (!plan.b.some((c) => c.tool === found.sessionTool!.name)) plan.b.unshift({ tool: found.sessionTool.name, args: found.sessionTool.args, marked: false });
  const client = await ctx.client();
  const ids: string[] = [];
  // B alone first, ALONE_RUNS times: what differs between these runs varies by itself. (Alone runs
  // after the run next to A would see whatever A left in data shared across sessions.)
  const alone: RunOfB[] = [];
  for (let run = 0; run < ALONE_RUNS; run++) alone.push(await runB(client, plan, ids));
  const mixed = await runMixed(client, plan, ids);
  // The strongest evidence first: A's own data seen in B's answer.
  const differences = compare(plan, alone, mixed, ids, ctx).sort((x, y) => Number(!!y.crossed) - Number(!!x.crossed) || x.call - y.call);
  const tools = [...new Set(plan.b.map((c) => c.tool))];
  if (differences.length > 0) {
    const first = differences[0]!;
    fail({
      message: first.crossed
        ? `${first.crossed} appeared in session B's ${first.tool} answer (call ${first.call} of B)`
        : `session B's ${first.tool} answer (call ${first.call} of B) changed when session A made other calls before and in between (${first.changed})`,
      expected: differences.map((d) => `B call ${d.call} ${d.tool}: ${clip(d.alone, 240)} (as when session B runs alone, ${alone.length} times)`).join('\n'),
      actual: differences.map((d) => `B call ${d.call} ${d.tool}: ${clip(d.mixed, 240)} (next to session A)`).join('\n'),
      fix: opts.declared
        ? 'key all application data by the session id of the request; never keep it in module-level or shared objects'
        : `if ${first.tool} shares this data across sessions on purpose, nothing needs fixing; otherwise key the data by the session id of the request (declare the application with --app to be judged at MUST)`,
      soft: !opts.declared,
      details: {
        method: 'noninterference',
        tools,
        sessions: { a: mixed.a, b: mixed.id },
        markers: plan.markers,
        differences: differences.map(({ call, tool, changed, crossed }) => ({ call, tool, changed, crossed })),
        leftOut: plan.leftOut,
      },
      entries: excerpt(ctx, mixed, differences),
    });
  }
  return {
    message: `${plan.b.length} calls of ${tools.join(', ')} in session B gave the same answers alone (${alone.length} runs) and next to session A's ${plan.a.length} other calls`,
    details: { method: 'noninterference', tools, calls: plan.b.length, aloneRuns: alone.length, leftOut: plan.leftOut },
  };
}

async function newSessionOrUntestable(client: SessionClient, ids: string[]): Promise<SessionMetadata> {
  const created = await client.create();
  if (created.outcome.kind === 'exit') untestable('the target had exited before the isolation runs were done');
  if (!created.session) untestable(`sessions/create did not return a session; see SESS-CREATE-1`);
  ids.push(created.session.sessionId);
  return created.session;
}

async function call(client: SessionClient, planned: PlannedCall, session: SessionMetadata): Promise<Outcome> {
  const outcome = await client.callTool(planned.tool, planned.args, session);
  if (outcome.kind === 'timeout' || outcome.kind === 'exit') {
    untestable(`the target stopped answering during the isolation runs (${planned.tool} in session ${session.sessionId}: ${outcome.kind})`);
  }
  return outcome;
}

async function runB(client: SessionClient, plan: Plan, ids: string[]): Promise<RunOfB> {
  const session = await newSessionOrUntestable(client, ids);
  const run: RunOfB = { id: session.sessionId, outcomes: [], seqs: [] };
  for (const planned of plan.b) {
    const outcome = await call(client, planned, session);
    run.outcomes.push(outcome);
    run.seqs.push(client.peer.seqOf(outcome));
  }
  await deleteOrUntestable(client, session);
  return run;
}

interface MixedRun extends RunOfB {
  a: string;
  /** Seq of the response to A's call right before B's call i. */
  aSeqs: (number | undefined)[];
}

async function runMixed(client: SessionClient, plan: Plan, ids: string[]): Promise<MixedRun> {
  const a = await newSessionOrUntestable(client, ids);
  const b = await newSessionOrUntestable(client, ids);
  const run: MixedRun = { id: b.sessionId, a: a.sessionId, outcomes: [], seqs: [], aSeqs: [] };
  for (const [i, planned] of plan.b.entries()) {
    if (plan.a[i]) run.aSeqs[i] = client.peer.seqOf(await call(client, plan.a[i]!, a));
    const outcome = await call(client, planned, b);
    run.outcomes.push(outcome);
    run.seqs.push(client.peer.seqOf(outcome));
  }
  await deleteOrUntestable(client, b);
  await deleteOrUntestable(client, a);
  return run;
}

/** Each run's sessions are deleted after it; a target that dies of that leaves the runs unmade. */
async function deleteOrUntestable(client: SessionClient, session: SessionMetadata): Promise<void> {
  const outcome = await client.delete(session);
  if (outcome.kind === 'exit') untestable(`the target exited on sessions/delete of a session the isolation runs had used (see SESS-DELETE-1): the remaining runs could not be made`);
}

/** B's differing calls, each with session A's calls just before it (request and response lines). */
function excerpt(ctx: CheckContext, mixed: MixedRun, differences: Difference[]): TranscriptEntry[] {
  const responses = new Set<number>();
  for (const d of differences.slice(0, 3)) {
    for (const seq of [mixed.aSeqs[d.call - 2], mixed.aSeqs[d.call - 1], mixed.seqs[d.call - 1]]) if (seq !== undefined) responses.add(seq);
  }
  const seqs = new Set(responses);
  for (const x of ctx.transcript.exchanges) if (x.responseSeq !== undefined && responses.has(x.responseSeq)) seqs.add(x.requestSeq);
  return ctx.transcript.entries.filter((e) => seqs.has(e.seq));
}

interface Difference extends Mismatch {
  call: number;
  tool: string;
  /** What of session A's showed in B's answer (its marker text or its id), if anything. */
  crossed?: string;
}

function compare(plan: Plan, alone: RunOfB[], mixed: MixedRun, ids: string[], ctx: CheckContext): Difference[] {
  const differences: Difference[] = [];
  const others = (own: string) => ids.filter((id) => id !== own);
  for (const [i, planned] of plan.b.entries()) {
    // D12: a session may be revoked at any time. From the first call where the runs disagree on
    // "session not found", B's calls are not compared (after a reset tool they all agree).
    const notFound = [...alone, mixed].map((r) => isNotFound(r.outcomes[i]!, ctx));
    if (notFound.some((x) => x !== notFound[0])) break;
    const outcome = mixed.outcomes[i]!;
    const answers: Answer[] = alone.map((r) => answerOf(r.outcomes[i]!, r.id, others(r.id)));
    const got = answerOf(outcome, mixed.id, others(mixed.id));
    const crossed = crossedData(got.raw, plan, i, mixed.a);
    const differs = mismatch(learnTemplate(answers), answers[0]!, got);
    if (!crossed && !differs) continue;
    differences.push({
      ...(differs ?? { alone: answers[0]!.text, mixed: got.text, changed: "session A's data in the answer" }),
      call: i + 1,
      tool: planned.tool,
      ...(crossed && { crossed }),
    });
  }
  return differences;
}

function isNotFound(outcome: Outcome, ctx: CheckContext): boolean {
  return outcome.kind === 'error' && outcome.error.code === ctx.profile.errors.sessionNotFound;
}

/** Session A's marker text or session id in B's answer, named with the calls of A that sent it. */
function crossedData(raw: string, plan: Plan, upTo: number, aId: string): string | undefined {
  if (raw.includes(plan.markers.a)) {
    const writers = [...new Set(plan.a.slice(0, upTo + 1).filter((c) => c.marked).map((c) => c.tool))];
    return `text written in session A ("${plan.markers.a}", passed to ${writers.join(', ') || 'its calls'})`;
  }
  if (aId.length >= 8 && raw.includes(aId)) return `session A's id (${aId})`;
  return undefined;
}
