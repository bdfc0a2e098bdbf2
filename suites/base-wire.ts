// Base protocol, judged over the whole run's transcript: the initialize answer, the JSON-RPC
// envelope of every stdout line, and the extension schemas of every message the target sent.
import type { TranscriptEntry } from '../harness/types.js';
import { validate } from '../harness/validate.js';
import { defineCheck, fail, type CheckContext } from './check.js';
import { quote } from './expect.js';

/** How many offending lines a failure lists in `actual`. */
const SHOWN = 5;

export const BASE_INIT_1 = defineCheck({
  id: 'BASE-INIT-1',
  title: 'the target starts and answers initialize with protocolVersion, capabilities and serverInfo (name, version)',
  how: 'the first step of every run: starts the target and waits for its initialize answer within --start-timeout',
  section: 'base',
  spec: 'MCP 2025-11-25 §Lifecycle (the draft sits on it, draft-sessions.md §1)',
  // Observe: every connection of the run started with an initialize; judge them all.
  // (A target that never answers is reported by the runner, which then skips every check.)
  phase: 'observe',
  async run(ctx) {
    const answers = ctx.transcript.exchanges.filter((e) => e.method === 'initialize').sort((a, b) => a.conn - b.conn);
    const bad: { seq?: number; why: string }[] = [];
    let judged = 0;
    for (const e of answers) {
      if (e.outcome === 'timeout' || e.outcome === 'error') {
        bad.push({ seq: e.responseSeq ?? e.requestSeq, why: `connection ${e.conn}: ${e.outcome === 'timeout' ? 'no answer within the start timeout' : `error ${quote(e.response?.error)}`}` });
        continue;
      }
      if (e.outcome !== 'result' || e.response === undefined) continue;
      judged++;
      const v = validate('initialize-response', e.response);
      if (!v.valid) bad.push({ seq: e.responseSeq, why: `connection ${e.conn}: ${v.text.replaceAll('\n', '; ')}` });
    }
    // The first answer is kept raw even when the exchange dropped an oversized message.
    if (judged === 0) {
      const v = validate('initialize-response', { jsonrpc: '2.0', id: 1, result: ctx.initialize });
      if (!v.valid) bad.push({ why: `connection 1: ${v.text.replaceAll('\n', '; ')}` });
    }
    if (bad.length === 0) return { message: `${Math.max(1, judged)} initialize answers, each with protocolVersion, capabilities and serverInfo` };
    fail({
      message: `${bad.length} initialize answer${bad.length === 1 ? '' : 's'} lacked what the lifecycle requires`,
      expected: 'result.protocolVersion (string), result.capabilities (object), result.serverInfo with name and version (strings)',
      actual: bad.slice(0, SHOWN).map((b) => b.why).join('\n'),
      fix: 'answer initialize with { protocolVersion, capabilities, serverInfo: { name, version } } (SDK servers take serverInfo from the constructor)',
      entries: entriesAt(ctx, bad.map((b) => b.seq)),
    });
  },
});

/** Problems that say a stdout line is not a JSON-RPC message (peer violations and the envelope schema). */
const ENVELOPE = /^(non-json|not-jsonrpc|partial-line|oversized-line|too-deep|byte-order-mark|jsonrpc-message):/;

export const BASE_WIRE_1 = defineCheck({
  id: 'BASE-WIRE-1',
  title: 'every line the target writes to stdout is a JSON-RPC message valid against the envelope schema',
  how: 'validates every stdout line of the whole run against the JSON-RPC envelope schema',
  section: 'base',
  spec: 'MCP 2025-11-25 §Transports (stdio): stdout carries only MCP messages; JSON-RPC 2.0 (draft-sessions.md §4)',
  phase: 'observe',
  async run(ctx) {
    const lines = ctx.transcript.entries.filter((e) => e.dir === 'in');
    const bad = lines.filter((e) => (e.problems ?? []).some((p) => ENVELOPE.test(p)));
    if (bad.length === 0) return { message: `all ${lines.length} stdout lines of the run were JSON-RPC messages` };
    const notJson = bad.filter((e) => e.problems!.some((p) => p.startsWith('non-json:') || p.startsWith('partial-line:')));
    fail({
      message: `${bad.length} of ${lines.length} stdout lines were not valid JSON-RPC messages`,
      expected: 'only newline-delimited JSON-RPC 2.0 messages on stdout',
      actual: bad.slice(0, SHOWN).map((e) => `${quote(e.text, 160)} — ${e.problems!.filter((p) => ENVELOPE.test(p)).join('; ')}`).join('\n'),
      fix: notJson.length > 0
        ? 'write logs, banners and debug output to stderr (console.error / logging to sys.stderr), never to stdout'
        : 'send JSON-RPC 2.0 messages exactly: "jsonrpc": "2.0", an id on every response, exactly one of result / error, integer error codes',
      entries: bad,
    });
  },
});

/** Schema problems that judge the envelope or the lifecycle, not the extension (other checks own them). */
const NOT_EXTENSION = /^(jsonrpc-message|jsonrpc-request|jsonrpc-notification|jsonrpc-success|jsonrpc-error|initialize-response):/;
const SCHEMA_PROBLEM = /^[a-z-]+: at /;

function extensionProblems(entry: TranscriptEntry): string[] {
  return (entry.problems ?? []).filter((p) => SCHEMA_PROBLEM.test(p) && !NOT_EXTENSION.test(p));
}

export const BASE_WIRE_2 = defineCheck({
  id: 'BASE-WIRE-2',
  title: 'every message of the sessions extension the target sends validates against its schema',
  how: 'validates every extension message the target sent in the run against its schema (messages the harness sent are tagged and never held against the target)',
  section: 'base',
  spec: 'draft §Wire format (SessionMetadata, create / delete results, -32043 / -32044 errors); origin-tagged validation',
  phase: 'observe',
  async run(ctx) {
    const entries = ctx.transcript.entries;
    // A message the harness sent that fails an extension schema is the harness's bug, not the target's.
    const ours = entries.filter((e) => e.dir === 'out' && extensionProblems(e).length > 0);
    if (ours.length > 0) {
      const e = ours[0]!;
      throw new Error(`harness bug: the harness sent an invalid extension message (check ${e.check ?? '?'}): ${e.text.slice(0, 300)} — ${extensionProblems(e).join('; ')}`);
    }
    const bad = entries.filter((e) => e.dir === 'in' && extensionProblems(e).length > 0);
    const judged = entries.filter((e) => e.dir === 'in' && e.json !== undefined).length;
    if (bad.length === 0) return { message: `no extension schema problem in ${judged} messages from the target` };
    fail({
      message: `${bad.length} message${bad.length === 1 ? '' : 's'} from the target failed the sessions extension schemas`,
      expected: 'SessionMetadata { sessionId: string, state?: string, expiresAt?: string } wherever the session key appears; {session} on create; -32043 with data.sessionId',
      actual: bad.slice(0, SHOWN).map((e) => `${quote(e.text, 160)} — ${extensionProblems(e).join('; ')}`).join('\n'),
      fix: fixForExtension(extensionProblems(bad[0]!)[0] ?? ''),
      entries: bad,
    });
  },
});

function fixForExtension(problem: string): string {
  if (problem.startsWith('error-session-not-found')) return 'answer -32043 as {code: -32043, message, data: {sessionId: "<the id sent>"}}';
  if (problem.startsWith('sessions-create-response')) return 'return {session: {sessionId, state?, expiresAt?}} from sessions/create, every field a string';
  return 'put only valid SessionMetadata under the session _meta key: sessionId a string, state and expiresAt strings when present (or leave the key out)';
}

function entriesAt(ctx: CheckContext, seqs: (number | undefined)[]): TranscriptEntry[] {
  const wanted = new Set(seqs.filter((s): s is number => s !== undefined));
  return ctx.transcript.entries.filter((e) => wanted.has(e.seq));
}
