// Session ids: their characters, their strength, and that an echo never changes them.
// SESS-ID-1 and SESS-ID-3 judge every message of the run (observe phase); SESS-ID-2 and
// SESS-ID-4 drive their own sessions.
import type { SurveyCall } from '../harness/tool-survey.js';
import type { Exchange, TranscriptEntry } from '../harness/types.js';
import {
  allowingRevocation,
  defineCheck,
  fail,
  skip,
  untestable,
  type CheckContext,
  type CheckDef,
} from './check.js';
import { CREATE_SAMPLE, createMany } from './create.js';
import { callProbe, echoOf, isObject, newSession, quote, showDifference, useLiveSession } from './expect.js';
import { guessability, MIN_ID_BITS } from './id-strength.js';
import { createdIdsByProcess, idsMintedTwice } from './ids-across-processes.js';
import { expectModelAgrees } from './model-findings.js';
export { estimateIdEntropy, guessability, sequentialPattern, splitConstantParts } from './id-strength.js';

// ---------------------------------------------------------------------------------------------
// Pure helpers (unit-tested in test/suites/create.test.ts)

/** Non-empty, visible ASCII 0x21–0x7E only. */
export function isVisibleAscii(id: string): boolean {
  return /^[\x21-\x7e]+$/.test(id);
}

/** A string with every character outside 0x21–0x7E written as an escape, e.g. `sess\u0020a`. */
export function escapeInvisible(id: string): string {
  let out = '';
  for (const ch of id) {
    const cp = ch.codePointAt(0)!;
    out += cp >= 0x21 && cp <= 0x7e && ch !== '\\' ? ch : cp <= 0xffff ? `\\u${cp.toString(16).padStart(4, '0')}` : `\\u{${cp.toString(16)}}`;
  }
  return `"${out}"`;
}

// ---------------------------------------------------------------------------------------------
// What the run saw

interface EmittedId {
  id: unknown;
  where: string;
  exchange: Exchange;
}

function sessionIdIn(holder: unknown): unknown {
  return isObject(holder) ? holder.sessionId : undefined;
}

function sentSessionId(exchange: Exchange, key: string): unknown {
  const meta = exchange.request?.params?._meta;
  return isObject(meta) && isObject(meta[key]) ? meta[key].sessionId : undefined;
}

/**
 * Every session id the server put on the wire of its own accord: create results (and their _meta
 * copy), and echoes whose id is not simply the one the request carried (those are the server's
 * only if the server minted them, and then a create result already showed them).
 */
function emittedIds(ctx: CheckContext): EmittedId[] {
  const key = ctx.profile.metaKey;
  const out: EmittedId[] = [];
  for (const exchange of ctx.transcript.exchanges) {
    const result = exchange.response?.result;
    if (!isObject(result)) continue;
    if (exchange.method === ctx.profile.methods.create) {
      if (isObject(result.session)) out.push({ id: result.session.sessionId, where: 'create result.session', exchange });
      if (isObject(result._meta) && isObject(result._meta[key])) {
        out.push({ id: result._meta[key].sessionId, where: `create result._meta[${JSON.stringify(key)}]`, exchange });
      }
      continue;
    }
    const echoed = isObject(result._meta) ? sessionIdIn(result._meta[key]) : undefined;
    if (echoed !== undefined && echoed !== sentSessionId(exchange, key)) {
      out.push({ id: echoed, where: `${exchange.method} result._meta echo`, exchange });
    }
  }
  return out;
}

function entriesAt(ctx: CheckContext, seqs: (number | undefined)[]): TranscriptEntry[] {
  const wanted = new Set(seqs.filter((s): s is number => s !== undefined));
  return ctx.transcript.entries.filter((e) => wanted.has(e.seq));
}

/** A session object under a `_meta` key other than the profile's (a misplaced echo), if any. */
function misplacedEcho(result: unknown, key: string): string | undefined {
  if (!isObject(result) || !isObject(result._meta)) return undefined;
  const other = Object.keys(result._meta).find((k) => k !== key && isObject(result._meta[k]) && 'sessionId' in result._meta[k]);
  return other === undefined ? undefined : `result._meta[${JSON.stringify(other)}]`;
}

/** The likely cause of an echoed id that differs from the one sent. */
export function echoChange(sent: string, echoed: unknown): string {
  if (typeof echoed !== 'string') return `the echo's sessionId is ${quote(echoed)}, not the string the request carried`;
  if (echoed.toLowerCase() === sent.toLowerCase()) return 'the echo changed the letter case of the id';
  if (echoed.trim() === sent.trim()) return 'the echo added or removed whitespace around the id';
  if (echoed.startsWith(sent)) return `the echo appended ${JSON.stringify(echoed.slice(sent.length))} to the id`;
  if (echoed.endsWith(sent)) return `the echo prepended ${JSON.stringify(echoed.slice(0, echoed.length - sent.length))} to the id`;
  if (sent.startsWith(echoed) || sent.endsWith(echoed)) return 'the echo cut characters off the id';
  return 'the echo names a different id (a rotated or re-minted session id)';
}

// ---------------------------------------------------------------------------------------------
// Checks

export const SESS_ID_1 = defineCheck({
  id: 'SESS-ID-1',
  title: 'every sessionId the server emits is non-empty and only visible ASCII 0x21–0x7E',
  how: 'observes every sessionId the server emitted during the whole run: non-empty, visible ASCII 0x21-0x7E only',
  section: 'ids',
  spec: 'draft §Wire format (SessionMetadata.sessionId)',
  needs: ['sessions'],
  phase: 'observe',
  async run(ctx) {
    let seen = emittedIds(ctx);
    if (seen.length === 0) {
      // Run on its own (--only): make one id to judge.
      await newSession(await ctx.client());
      seen = emittedIds(ctx);
    }
    const judged = seen.filter((s) => typeof s.id === 'string'); // other types: the schema checks' business
    if (judged.length === 0) skip('not applicable: the server emitted no session id (as a string) in this run, so there is no id to judge');
    const bad = judged.filter((s) => !isVisibleAscii(s.id as string));
    if (bad.length === 0) return { message: `${new Set(judged.map((s) => s.id)).size} distinct session ids seen, all visible ASCII` };
    const distinctBad = [...new Set(bad.map((s) => s.id as string))];
    fail({
      message: `${distinctBad.length} session id${distinctBad.length === 1 ? '' : 's'} the server emitted ${distinctBad.length === 1 ? 'is' : 'are'} empty or contain${distinctBad.length === 1 ? 's' : ''} characters outside 0x21–0x7E`,
      expected: 'non-empty ids of visible ASCII only (0x21–0x7E: no space, no control or non-ASCII characters)',
      actual: distinctBad
        .slice(0, 5)
        .map((id) => `${escapeInvisible(id)} (in ${bad.find((s) => s.id === id)!.where})`)
        .join('; '),
      fix: 'mint ids from visible ASCII only, e.g. "sess-" + 32 hex digits from a CSPRNG (spaces and non-ASCII break HTTP headers and logs)',
      entries: entriesAt(ctx, bad.slice(0, 3).map((s) => s.exchange.responseSeq)),
    });
  },
});

/**
 * SESS-ID-2's sample: the first CREATE_SAMPLE ids of the process that minted the most in the run,
 * when it minted that many; else CREATE_SAMPLE pipelined creates of the check's own. `byConn`:
 * every id the run's processes minted, the sample's creates included.
 */
async function idSample(ctx: CheckContext): Promise<{ ids: string[]; exchanges: Exchange[]; source: string; byConn: ReturnType<typeof createdIdsByProcess> }> {
  const minted = createdIdsByProcess(ctx);
  let largest: { conn: number; list: { id: string; exchange: Exchange }[] } | undefined;
  for (const [conn, list] of minted) if (!largest || list.length > largest.list.length) largest = { conn, list };
  if (largest && largest.list.length >= CREATE_SAMPLE) {
    const first = largest.list.slice(0, CREATE_SAMPLE);
    const where = ctx.target?.ownsProcess === false ? 'the server' : `target process ${largest.conn}`;
    return { ids: first.map((m) => m.id), exchanges: first.map((m) => m.exchange), source: `the first ${CREATE_SAMPLE} ${where} minted in the run`, byConn: minted };
  }
  const client = await ctx.client();
  const { ids } = await createMany(client, CREATE_SAMPLE);
  const exchanges = ctx.transcript.exchanges.filter((e) => e.check === ctx.id && e.method === ctx.profile.methods.create && e.conn === client.peer.conn);
  return { ids, exchanges, source: `${CREATE_SAMPLE} creates of the check's own`, byConn: createdIdsByProcess(ctx) };
}

/** Creates made on a process of the check's own, when the run has ids from one process only. */
const CROSS_PROCESS_SAMPLE = 5;

export const SESS_ID_2 = defineCheck({
  id: 'SESS-ID-2',
  title: 'session ids are unguessable: not sequential, at least 128 bits of estimated entropy, never the same in two processes',
  how: 'statistics over the first 100 ids one process minted in the run (SESS-CREATE-4\'s pipelined creates; 100 creates of its own when no process minted that many) and over the ids of every process: sequential patterns, estimated entropy, repeats across processes',
  section: 'ids',
  spec: 'draft §Wire format (SHOULD be unguessable); decisions D10, D24',
  needs: ['sessions'],
  // After every active check: the ids every target process of the run minted are compared (D24).
  phase: 'observe',
  async run(ctx) {
    // The sample is the run's own when one process minted enough (requirements: "statistics over
    // the CREATE-4 sample"): in a whole run, SESS-CREATE-4's 100 pipelined creates are on the
    // shared process. Else (a selection without SESS-CREATE-4) 100 pipelined creates of its own.
    const sample = await idSample(ctx);
    const { ids, exchanges: sampled, source } = sample;
    const distinct = [...new Set(ids)];
    if (distinct.length < 20) untestable(`only ${distinct.length} distinct ids from ${CREATE_SAMPLE} creates; 20 are needed to estimate (see SESS-CREATE-4)`);
    let byConn = sample.byConn;
    let crossNote = '';
    if (ctx.target?.ownsProcess === false) {
      // An already running server (--url): every connection of the run is the same process, so
      // there are no two processes to compare (D24 is not judged; uniqueness is SESS-CREATE-4's).
      byConn = new Map();
      crossNote = '; ids were not compared across processes (an already running server, --url, is one process)';
    } else if (byConn.size < 2) {
      // The run started one process only (e.g. --only): start a second one to compare with.
      try {
        const fresh = await ctx.freshClient();
        await createMany(fresh, CROSS_PROCESS_SAMPLE);
        await ctx.closeFresh(fresh);
      } catch (err) {
        crossNote = `; ids could not be compared across processes (a second target process did not start: ${err instanceof Error ? err.message : String(err)})`;
      }
      byConn = createdIdsByProcess(ctx);
      if (byConn.size < 2 && crossNote === '') crossNote = '; ids could not be compared across processes (a second process minted no session)';
    }
    const twice = idsMintedTwice(byConn);
    const { problems, estimate, uuid } = guessability(ids);
    if (twice.length > 0) {
      const first = twice[0]!;
      problems.push(
        `${twice.length} id${twice.length === 1 ? ' was' : 's were'} minted by more than one target process (e.g. ${JSON.stringify(first.id)} by processes ${first.minted.map((m) => m.conn).join(' and ')}): a fixed seed or a counter that restarts with the process makes every id predictable`,
      );
    }
    const processes = ctx.target?.ownsProcess === false ? 'one server process' : `${byConn.size} target process${byConn.size === 1 ? '' : 'es'}`;
    const summary = uuid ? 'v4 UUIDs (122 random bits, accepted: the draft names UUIDs)' : `about ${estimate.bits} bits per id`;
    if (problems.length === 0) {
      return { message: `${distinct.length} ids (sample: ${source}): ${summary}, not sequential; no id minted twice across ${processes}${crossNote}`, details: { estimate, processes: byConn.size } };
    }
    // The excerpt shows the creates: the same id from two processes, else the sample's first answers.
    const shown = twice.length > 0
      ? twice.slice(0, 1).flatMap((t) => t.minted.slice(0, 2).flatMap((m) => [m.exchange.requestSeq, m.exchange.responseSeq]))
      : sampled.slice(0, 3).flatMap((e) => [e.requestSeq, e.responseSeq]);
    fail({
      message: `the session ids look guessable (sample: ${source}): ${problems.join('; ')}`,
      expected: `ids with no counter or clock in them, at least ${MIN_ID_BITS} bits of entropy, and never the same id from two processes`,
      actual: twice.length > 0
        ? `${JSON.stringify(twice[0]!.id)} was minted by processes ${twice[0]!.minted.map((m) => m.conn).join(' and ')}; ${distinct.length} ids from one process such as ${distinct.slice(0, 3).map((id) => JSON.stringify(id)).join(', ')}`
        : `${distinct.length} ids such as ${distinct.slice(0, 3).map((id) => JSON.stringify(id)).join(', ')}`,
      fix: 'mint ids from a CSPRNG with at least 128 bits, seeded by the operating system at every start, e.g. "sess-" + 16 random bytes as 32 hex digits (crypto.randomBytes / secrets.token_hex(16)) or a v4 UUID',
      details: { estimate, processes: byConn.size, mintedTwice: twice.length },
      entries: entriesAt(ctx, shown),
    });
  },
});

export const SESS_ID_3 = defineCheck({
  id: 'SESS-ID-3',
  title: 'the echoed sessionId equals the request’s sessionId byte for byte',
  how: 'observes every echo in the run and compares the echoed sessionId with the request’s byte for byte',
  section: 'ids',
  spec: 'draft §Use (same sessionId, never rotated or rewritten)',
  needs: ['sessions'],
  phase: 'observe',
  async run(ctx) {
    const key = ctx.profile.metaKey;
    const scan = () => {
      const mismatches: { exchange: Exchange; sent: string; echoed: unknown }[] = [];
      const misplaced = new Set<string>();
      let compared = 0;
      for (const exchange of ctx.transcript.exchanges) {
        if (exchange.method === ctx.profile.methods.create) continue; // a create result is no echo (D4)
        const sent = sentSessionId(exchange, key);
        const result = exchange.response?.result;
        if (typeof sent !== 'string' || !isObject(result)) continue;
        if (!isObject(result._meta) || !(key in result._meta)) {
          const where = misplacedEcho(result, key);
          if (where) misplaced.add(where);
          continue;
        }
        compared++;
        const echoed = sessionIdIn(result._meta[key]);
        if (echoed !== sent) mismatches.push({ exchange, sent, echoed });
      }
      return { mismatches, misplaced, compared };
    };
    let seen = scan();
    if (seen.compared === 0 && seen.mismatches.length === 0 && ctx.discovery.probe) {
      // Run on its own (--only): make one echo to judge.
      const client = await ctx.client();
      await callProbe(client, ctx, await newSession(client));
      seen = scan();
    }
    const elsewhere = seen.misplaced.size > 0 ? `; a session object was found under ${[...seen.misplaced].join(', ')} instead of _meta[${JSON.stringify(key)}] (see SESS-USE-1)` : '';
    if (seen.compared === 0) skip(`not applicable: no success response in the run echoed a session under _meta[${JSON.stringify(key)}], so there is no echoed id to compare${elsewhere}`);
    if (seen.mismatches.length === 0) return { message: `${seen.compared} echoes compared, each equal to the request's id${elsewhere}` };
    const first = seen.mismatches[0]!;
    const causes = [...new Set(seen.mismatches.map((m) => echoChange(m.sent, m.echoed)))];
    fail({
      message: `${seen.mismatches.length} of ${seen.compared} echoes did not carry the request's sessionId unchanged: ${causes.join('; ')}`,
      expected: `result._meta[${JSON.stringify(key)}].sessionId equals the request's sessionId byte for byte`,
      actual:
        typeof first.echoed === 'string'
          ? `${first.exchange.method} in check ${first.exchange.check ?? '?'}: ${showDifference(first.sent, first.echoed)}`
          : `${first.exchange.method}: sent ${JSON.stringify(first.sent)}, echo ${quote(first.exchange.response?.result?._meta?.[key])}`,
      fix: 'copy the sessionId from the request into the echo unchanged (no case folding, trimming, suffixes or re-minting)',
      entries: entriesAt(ctx, [first.exchange.requestSeq, first.exchange.responseSeq]),
    });
  },
});

const ID4_CALLS = 20;

/** The transcript lines of a survey call (request and answer). */
export function surveyEntries(ctx: CheckContext, call: SurveyCall): TranscriptEntry[] {
  const exchange = ctx.transcript.exchanges.find((e) => e.conn === call.conn && e.request?.id === call.requestId);
  return exchange ? entriesAt(ctx, [exchange.requestSeq, exchange.responseSeq]) : [];
}

/** D21: every tool the survey called inside a session must echo that session, not another. */
function judgeSurveyEchoes(ctx: CheckContext, fix: string): number {
  const echoing = (ctx.discovery.survey?.calls ?? []).filter((c) => c.echoed !== undefined && c.echoed !== null);
  const swapped = echoing.filter((c) => sessionIdIn(c.echoed) !== c.sessionId);
  if (swapped.length === 0) return echoing.length;
  const first = swapped[0]!;
  const echoed = sessionIdIn(first.echoed);
  fail({
    message: `tool ${first.tool}, called inside session ${JSON.stringify(first.sessionId)}, echoed another id: ${echoChange(first.sessionId, echoed)}` +
      (swapped.length > 1 ? ` (also: ${swapped.slice(1).map((c) => c.tool).join(', ')})` : ''),
    expected: `the echo names the session the request named, ${JSON.stringify(first.sessionId)}, whatever the tool does (a session the tool starts goes in the result content)`,
    actual: typeof echoed === 'string' ? showDifference(first.sessionId, echoed) : `echo ${quote(first.echoed)}`,
    fix: `${fix}; a tool that starts another session (like ${first.tool}) names it in its result content and still echoes the session of the request`,
    entries: surveyEntries(ctx, first),
  });
}

export const SESS_ID_4 = defineCheck({
  id: 'SESS-ID-4',
  title: 'the server never rotates or rewrites a session’s id over its life',
  how: 'many calls per session, scripted and in the property-based protocol model runs: the echoed id must never change',
  section: 'ids',
  spec: 'draft §Use (same sessionId, never rotated or rewritten)',
  needs: ['sessions', 'probeTool'],
  async run(ctx) {
    const client = await ctx.client();
    const key = ctx.profile.metaKey;
    const fix = 'keep the id minted at create for the whole session: never re-mint, rotate or rewrite it in an echo (a new id needs a new sessions/create)';
    let compared = 0;
    let misplaced: string | undefined;
    await allowingRevocation(async () => {
      compared = 0;
      const session = await newSession(client);
      for (let call = 1; call <= ID4_CALLS; call++) {
        // Each call sends the newest state the server issued (the session client keeps it).
        const outcome = await useLiveSession(client, ctx, session, `call ${call} of ${ID4_CALLS} in one session`, fix);
        const echo = echoOf(outcome, ctx);
        if (echo === undefined) {
          misplaced ??= misplacedEcho(outcome.kind === 'result' ? outcome.result : undefined, key);
          continue;
        }
        compared++;
        const echoed = sessionIdIn(echo);
        if (echoed === session.sessionId) continue;
        fail({
          message: `call ${call} of ${ID4_CALLS} in one session echoed another id: ${echoChange(session.sessionId, echoed)}`,
          expected: `every echo names ${JSON.stringify(session.sessionId)}`,
          actual: typeof echoed === 'string' ? showDifference(session.sessionId, echoed) : `echo ${quote(echo)}`,
          fix,
        });
      }
    });
    // The other tools, each called once inside a fresh session by the survey (D21).
    const surveyed = judgeSurveyEchoes(ctx, fix);
    await expectModelAgrees(ctx);
    if (compared === 0 && surveyed === 0) {
      const why = misplaced ? `the echo is under ${misplaced}, not _meta[${JSON.stringify(key)}]` : 'no response carried an echo';
      skip(`not applicable: ${ID4_CALLS} calls succeeded, but ${why}, so there is no echoed id to compare (see SESS-USE-1)`);
    }
    const tools = ctx.discovery.survey?.calls.length ?? 0;
    return { message: `${ID4_CALLS} calls in one session, ${compared} echoes, all naming the same id; ${tools} tool${tools === 1 ? '' : 's'} called once each inside a fresh session, ${surveyed} echo${surveyed === 1 ? '' : 'es'}, each naming its own session` };
  },
});

export const idChecks: CheckDef[] = [SESS_ID_1, SESS_ID_2, SESS_ID_3, SESS_ID_4];
