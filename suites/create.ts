// sessions/create: the result's shape, the request forms a server must accept, never adopting a
// client-supplied id (session fixation), distinct ids, and a new session being usable at once.
import type { SessionClient } from '../harness/session-client.js';
import type { Outcome, SessionMetadata, TranscriptEntry } from '../harness/types.js';
import { validate } from '../harness/validate.js';
import { allowingRevocation, defineCheck, fail, skip, untestable, type CheckContext, type CheckDef } from './check.js';
import { describeOutcome, isObject, newSession, quote, showDifference, useLiveSession } from './expect.js';
import { expectModelAgrees } from './model-findings.js';

/** A `_meta` key no server knows: create must ignore it (only the session key is forbidden). */
export const UNRELATED_META_KEY = 'dev.mcp-session-conformance/trace';

/** The create request forms every server must accept: the draft's vector, `{}`, unrelated `_meta`. */
export const CREATE_FORMS: { label: string; params: Record<string, unknown> | undefined }[] = [
  { label: 'no params (the draft vector)', params: undefined },
  { label: 'params {}', params: {} },
  { label: `params with an unrelated _meta key (${UNRELATED_META_KEY})`, params: { _meta: { [UNRELATED_META_KEY]: 'create' } } },
];

/** Sends `count` creates without waiting (pipelined); the ids come back in request order. */
export async function createMany(
  client: SessionClient,
  count: number,
): Promise<{ ids: string[]; failures: Outcome[]; outcomes: Outcome[] }> {
  const created = await Promise.all(Array.from({ length: count }, () => client.create()));
  const ids: string[] = [];
  const failures: Outcome[] = [];
  for (const c of created) {
    if (c.session) ids.push(c.session.sessionId);
    else failures.push(c.outcome);
  }
  return { ids, failures, outcomes: created.map((c) => c.outcome) };
}

/** Transcript lines of this check whose response carries `sessionId` (to show a duplicate). */
function responsesNaming(ctx: CheckContext, sessionId: string, max: number): TranscriptEntry[] {
  return ctx.transcript
    .forCheck(ctx.id)
    .filter((e) => e.dir === 'in' && (e.json as any)?.result?.session?.sessionId === sessionId)
    .slice(0, max);
}

/** Names the likely mistake behind a create result that is not `{session: SessionMetadata}`. */
export function createShapeFix(result: unknown, metaKey: string): string {
  if (!isObject(result)) return 'answer sessions/create with a result object {"session": {"sessionId": "…"}}';
  const session = result.session;
  if (session === undefined) {
    if (isObject(result._meta) && isObject(result._meta[metaKey])) {
      return `the session is only in result._meta[${JSON.stringify(metaKey)}] (an earlier revision, D4): put it in result.session`;
    }
    if (typeof result.sessionId === 'string') {
      return 'the session fields are at the top level of result: wrap them as {"session": {"sessionId": …, "state": …, "expiresAt": …}}';
    }
    const other = Object.keys(result).find((k) => isObject(result[k]) && 'sessionId' in result[k]);
    if (other !== undefined) return `the session is under result.${other}: name that member "session"`;
    return 'return the new session as {"session": {"sessionId": "…"}}';
  }
  if (typeof session === 'string') return 'result.session must be the SessionMetadata object {"sessionId": "…"}, not the bare id';
  return 'make result.session a SessionMetadata object: sessionId a string; state and expiresAt strings when present (leave a field out rather than sending null or a number)';
}

export const SESS_CREATE_1 = defineCheck({
  id: 'SESS-CREATE-1',
  title: 'sessions/create with no params returns {session: SessionMetadata} valid against the schema',
  how: 'sends sessions/create without params (the draft’s test vector) and validates the result against the SessionMetadata schema',
  section: 'create',
  spec: 'draft §Create; test vectors 1–2',
  needs: ['sessions'],
  async run(ctx) {
    const client = await ctx.client();
    const { outcome } = await client.create();
    const expected = '{"result": {"session": {"sessionId": "<string>", "state"?: "<string>", "expiresAt"?: "<string>"}}}';
    if (outcome.kind !== 'result') {
      fail({
        message: `${ctx.profile.methods.create} without params did not succeed`,
        expected,
        actual: describeOutcome(outcome),
        fix:
          outcome.kind === 'error' && (outcome.error.code === -32602 || outcome.error.code === -32603)
            ? 'params are optional on sessions/create: accept a request that has no params member at all'
            : `answer ${ctx.profile.methods.create} (no params) with a result {"session": {...}}`,
      });
    }
    const checked = validate('sessions-create-response', outcome.message);
    if (!checked.valid) {
      fail({
        message: 'the create result is not {session: SessionMetadata}',
        expected,
        actual: `${quote(outcome.result, 300)} — ${checked.text.split('\n').slice(0, 3).join('; ')}`,
        fix: createShapeFix(outcome.result, ctx.profile.metaKey),
      });
    }
    return { message: `result.session = ${quote(outcome.result.session)}` };
  },
});

export const SESS_CREATE_2 = defineCheck({
  id: 'SESS-CREATE-2',
  title: 'sessions/create also succeeds with params {} and with unrelated _meta keys',
  how: 'sends sessions/create twice more: with params {} and with an unrelated _meta key; both must succeed',
  section: 'create',
  spec: 'draft §Create (params optional, none defined); derived',
  needs: ['sessions'],
  async run(ctx) {
    const client = await ctx.client();
    await newSession(client); // positive control: the plain form works
    for (const form of CREATE_FORMS.slice(1)) {
      const { outcome, session } = await client.create(form.params);
      if (session) continue;
      fail({
        message: `${ctx.profile.methods.create} with ${form.label} did not create a session`,
        expected: 'a result {"session": {...}}, as for a create without params',
        actual: describeOutcome(outcome),
        fix:
          outcome.kind === 'result'
            ? createShapeFix(outcome.result, ctx.profile.metaKey)
            : `accept any params object on sessions/create and ignore _meta keys you do not know; only _meta[${JSON.stringify(ctx.profile.metaKey)}] is forbidden there`,
      });
    }
    return { message: `created a session with ${CREATE_FORMS.slice(1).map((f) => f.label).join(' and with ')}` };
  },
});

export const SESS_CREATE_3 = defineCheck({
  id: 'SESS-CREATE-3',
  title: 'sessions/create carrying session metadata never adopts the supplied id',
  how: 'sends sessions/create carrying session metadata, once with a fresh random id and once with a live id; the server must answer an error or mint a new, distinct id',
  section: 'create',
  spec: 'draft §Create (client MUST NOT send it); decision D5 (session fixation); derived',
  needs: ['sessions'],
  async run(ctx) {
    const client = await ctx.client();
    const live = await newSession(client); // positive control
    const key = ctx.profile.metaKey;
    const state = client.newestState(live.sessionId);
    const probes = [
      { label: 'a random id the server never issued', meta: { sessionId: ctx.random.unknownSessionId() } },
      { label: 'the id of a live session', meta: state === undefined ? { sessionId: live.sessionId } : { sessionId: live.sessionId, state } },
    ];
    const seen: string[] = [];
    for (const probe of probes) {
      const supplied = probe.meta.sessionId;
      // Malformed on purpose: the client must not send this, which is what is being tested.
      const { outcome } = await client.create({ _meta: { [key]: probe.meta } }, { invalidOnPurpose: true });
      if (outcome.kind === 'error') {
        seen.push(`${probe.label}: refused (${outcome.error.code})`);
        continue;
      }
      if (outcome.kind !== 'result') {
        fail({
          message: `${ctx.profile.methods.create} carrying ${probe.label} got no answer`,
          expected: 'a JSON-RPC error (e.g. -32602), or a new session with an id of the server’s own',
          actual: describeOutcome(outcome),
          fix: 'answer a create that carries session metadata, with an error or a fresh session',
        });
      }
      const minted = isObject(outcome.result?.session) ? outcome.result.session.sessionId : undefined;
      if (minted === supplied) {
        fail({
          message: `the server adopted the client-supplied id (${probe.label}) as the new session's id: session fixation`,
          expected: `an error, or a new session whose id differs from ${JSON.stringify(supplied)}`,
          actual: `result.session.sessionId = ${JSON.stringify(minted)}`,
          fix: 'mint every session id on the server; ignore or refuse (-32602) session metadata on sessions/create, never reuse its sessionId',
        });
      }
      seen.push(`${probe.label}: new session ${JSON.stringify(minted)}`);
    }
    return { message: seen.join('; ') };
  },
});

export const CREATE_SAMPLE = 100;

export const SESS_CREATE_4 = defineCheck({
  id: 'SESS-CREATE-4',
  title: 'every sessions/create mints a distinct id',
  how: 'pipelines 100 creates and checks that every minted id is distinct',
  section: 'create',
  spec: 'draft §Wire format (sessionId minted by the server); derived',
  needs: ['sessions'],
  async run(ctx) {
    const client = await ctx.client();
    const { ids, failures } = await createMany(client, CREATE_SAMPLE);
    if (ids.length < 2) {
      untestable(`only ${ids.length} of ${CREATE_SAMPLE} creates returned a session (${failures[0] ? describeOutcome(failures[0]) : 'no answer'}); see SESS-CREATE-1`);
    }
    const firstIndex = new Map<string, number>();
    const repeats: string[] = [];
    ids.forEach((id, i) => {
      const before = firstIndex.get(id);
      if (before === undefined) firstIndex.set(id, i);
      else repeats.push(`create #${i + 1} repeated the id of create #${before + 1}: ${JSON.stringify(id)}`);
    });
    if (repeats.length > 0) {
      const first = ids.find((id, i) => firstIndex.get(id) !== i)!;
      fail({
        message: `${repeats.length} of ${ids.length} creates returned an id an earlier create had already returned`,
        expected: `${ids.length} distinct session ids`,
        actual: `${firstIndex.size} distinct ids; ${repeats.slice(0, 5).join('; ')}${repeats.length > 5 ? '; …' : ''}`,
        fix: 'mint each id fresh from a CSPRNG on every create (no caching, de-duplication of quick repeats, or reuse)',
        entries: responsesNaming(ctx, first, 4),
      });
    }
    await expectModelAgrees(ctx);
    const note = failures.length > 0 ? ` (${failures.length} creates failed: ${describeOutcome(failures[0]!)})` : '';
    return { message: `${ids.length} pipelined creates gave ${ids.length} distinct ids${note}` };
  },
});

export const SESS_CREATE_5 = defineCheck({
  id: 'SESS-CREATE-5',
  title: 'a new session is usable at once: the first session-bearing request succeeds',
  how: 'creates a session and calls the probe tool in it at once; the call must succeed',
  section: 'create',
  spec: 'draft §Create, §Use; derived',
  needs: ['sessions', 'probeTool'],
  async run(ctx) {
    const client = await ctx.client();
    const skipped: string[] = [];
    await allowingRevocation(async () => {
      skipped.length = 0;
      for (const form of CREATE_FORMS) {
        const created = await client.create(form.params);
        if (!created.session) {
          if (form.params === undefined) await newSession(client); // untestable, see CREATE-1
          skipped.push(`${form.label} (no session: see SESS-CREATE-2)`);
          continue;
        }
        await useLiveSession(
          client,
          ctx,
          created.session,
          `the first call in a session created with ${form.label}`,
          'register the session before answering sessions/create, whatever params the create carried, so the very next request can use it',
        );
      }
    });
    const note = skipped.length > 0 ? `; not tried: ${skipped.join(', ')}` : '';
    return { message: `the first call succeeded in sessions created with each create form${note}` };
  },
});

/** Key-order-independent JSON equality (the copy may list fields in another order). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

function differingFields(session: SessionMetadata, b: unknown): string[] {
  if (!isObject(b)) return ['(the copy is not an object)'];
  const a = session as unknown as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys
    .filter((k) => canonical(a[k]) !== canonical(b[k]))
    .map((k) => {
      const x = a[k];
      const y = b[k];
      return typeof x === 'string' && typeof y === 'string' ? `${k}: ${showDifference(x, y)}` : `${k}: ${quote(x)} vs ${quote(y)}`;
    });
}

export const SESS_CREATE_6 = defineCheck({
  id: 'SESS-CREATE-6',
  title: 'if the create result also carries result._meta[key], it equals result.session',
  how: 'when a create result also carries result._meta[key], compares it with result.session',
  section: 'create',
  spec: 'draft §Create; decision D4',
  needs: ['sessions'],
  async run(ctx) {
    const client = await ctx.client();
    const { outcome, session } = await client.create();
    if (!session || outcome.kind !== 'result') untestable(`sessions/create did not return a session (${describeOutcome(outcome)}); see SESS-CREATE-1`);
    const key = ctx.profile.metaKey;
    const meta = outcome.result._meta;
    if (!isObject(meta) || !(key in meta)) {
      skip(`not applicable: the create result carries no result._meta[${JSON.stringify(key)}] copy, so there is nothing to compare with result.session (D4)`);
    }
    const copy = meta[key];
    if (canonical(copy) === canonical(outcome.result.session)) return { message: 'the _meta copy equals result.session' };
    fail({
      message: `result._meta[${JSON.stringify(key)}] differs from result.session`,
      expected: `the copy equals result.session = ${quote(outcome.result.session)}`,
      actual: `copy = ${quote(copy)}; differing: ${differingFields(session, copy).join('; ')}`,
      fix: 'build both from the same SessionMetadata object, or drop the _meta copy (result.session is the normative place, D4)',
    });
  },
});

export const createChecks: CheckDef[] = [SESS_CREATE_1, SESS_CREATE_2, SESS_CREATE_3, SESS_CREATE_4, SESS_CREATE_5, SESS_CREATE_6];
