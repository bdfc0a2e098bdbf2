// The session side of the client, as the draft asks of it: create, carry the session in
// params._meta[key] of each request, send back exactly the newest `state` the server issued
// (never modified), delete. One per check; everything it sends is tagged with that check.

import type { Peer } from './peer.js';
import type { Outcome, Profile, RequestOptions, SessionMetadata } from './types.js';
import { isObject } from './values.js';

/**
 * SessionMetadata: send `{ sessionId, state }` with the newest known state for that id.
 * `{ raw: v }`: put `v` verbatim under the meta key (malformed on purpose).
 * null/undefined: no session metadata at all.
 */
export type SessionArg = SessionMetadata | { raw: unknown } | null | undefined;

export interface Echo {
  method: string;
  /** The sessionId the request carried (whatever it was, for raw metadata). */
  sentSessionId: unknown;
  /** `result._meta[key]` of the success response, exactly as received (undefined if absent). */
  echoed: unknown;
  /** Transcript seq of the response. */
  outcomeSeq: number;
}

/** A value the target issued that the client will not send back, and why (decision D19). */
export interface UnusableValue {
  /** Where the value came from: 'create' (result.session) or the method whose echo carried it. */
  from: string;
  field: 'sessionId' | 'state';
  value: unknown;
  why: string;
}

const MAX_ECHOES = 10_000;
const MAX_UNUSABLE = 100;

export class SessionClient {
  readonly echoes: Echo[] = [];
  /**
   * Values the target issued that break the SessionMetadata schema (a non-string state or
   * sessionId). They are never sent back — the harness's own messages stay valid — and the
   * checks that judge the target's values (SESS-CREATE-1, SESS-USE-2, BASE-WIRE-2) fail it.
   */
  readonly unusable: UnusableValue[] = [];
  private readonly states = new Map<string, string>();

  private sent = 0;

  /**
   * `idPrefix`, when given, names this client's requests `<idPrefix>-<n>`: a seeded prefix makes
   * the ids of a check the same from run to run, however the checks interleave.
   */
  constructor(
    readonly peer: Peer,
    readonly profile: Profile,
    readonly check?: string,
    private readonly idPrefix?: string,
  ) {}

  /** The state to send back for this session: exactly the latest value the server issued. */
  newestState(sessionId: string): string | undefined {
    return this.states.get(sessionId);
  }

  async create(params?: unknown, opts: RequestOptions = {}): Promise<{ outcome: Outcome; session?: SessionMetadata }> {
    const outcome = await this.peer.request(this.profile.methods.create, params, this.tag(opts));
    if (outcome.kind !== 'result') return { outcome };
    const session = outcome.result?.session;
    if (!isObject(session)) return { outcome };
    if (typeof session.sessionId !== 'string') {
      this.reject('create', 'sessionId', session.sessionId, 'the sessionId the server issued is not a string: no session to use');
      return { outcome };
    }
    if (typeof session.state === 'string') this.states.set(session.sessionId, session.state);
    else if (session.state !== undefined) {
      this.reject('create', 'state', session.state, 'the state the server issued is not a string: it is not sent back');
      const { state: _dropped, ...usable } = session;
      return { outcome, session: usable as SessionMetadata };
    }
    return { outcome, session: session as SessionMetadata };
  }

  async request(
    method: string,
    params: Record<string, unknown> | undefined,
    session: SessionArg,
    opts: RequestOptions = {},
  ): Promise<Outcome> {
    const meta = this.metadataFor(session);
    const raw = isRaw(session);
    const sent = meta === undefined ? params : withMeta(params, this.profile.metaKey, meta);
    const outcome = await this.peer.request(method, sent, this.tag(raw ? { ...opts, invalidOnPurpose: true } : opts));
    if (meta !== undefined) this.observe(method, isObject(meta) ? meta.sessionId : undefined, outcome);
    return outcome;
  }

  callTool(name: string, args: unknown, session: SessionArg, opts: RequestOptions = {}): Promise<Outcome> {
    return this.request('tools/call', { name, arguments: args }, session, opts);
  }

  delete(session: SessionArg, opts: RequestOptions = {}): Promise<Outcome> {
    // A delete without session metadata is invalid by the schema: only SESS-DELETE-4 sends it, on purpose.
    const onPurpose = session === null || session === undefined ? { ...opts, invalidOnPurpose: true } : opts;
    return this.request(this.profile.methods.delete, undefined, session, onPurpose);
  }

  private metadataFor(session: SessionArg): unknown {
    if (session === null || session === undefined) return undefined;
    if (isRaw(session)) return session.raw;
    // A check may hand over metadata it built from what the target sent: never send back a
    // value that breaks the schema (D19); the target is judged for it elsewhere.
    if (typeof session.sessionId !== 'string') {
      this.reject('a check', 'sessionId', session.sessionId, 'not a string: the request goes out without session metadata');
      return undefined;
    }
    let state: unknown = this.states.get(session.sessionId) ?? session.state;
    if (state !== undefined && typeof state !== 'string') {
      this.reject('a check', 'state', state, 'not a string: the request goes out without state');
      state = undefined;
    }
    // expiresAt is the server's hint to the client; it is never sent back.
    return state === undefined ? { sessionId: session.sessionId } : { sessionId: session.sessionId, state };
  }

  /** Records the echo and keeps the newest state of a matching success echo. */
  private observe(method: string, sentSessionId: unknown, outcome: Outcome): void {
    if (outcome.kind !== 'result') return;
    const echoed = isObject(outcome.result) && isObject(outcome.result._meta) ? outcome.result._meta[this.profile.metaKey] : undefined;
    this.echoes.push({ method, sentSessionId, echoed, outcomeSeq: this.peer.seqOf(outcome) ?? -1 });
    if (this.echoes.length > MAX_ECHOES) this.echoes.shift();
    if (!isObject(echoed) || typeof sentSessionId !== 'string' || echoed.sessionId !== sentSessionId) return;
    if (typeof echoed.state === 'string') this.states.set(sentSessionId, echoed.state);
    else if (echoed.state !== undefined) {
      // Keep the last usable token (if any); the invalid one is never sent back.
      this.reject(method, 'state', echoed.state, 'the state the server echoed is not a string: it is not sent back');
    }
  }

  private reject(from: string, field: UnusableValue['field'], value: unknown, why: string): void {
    if (this.unusable.length < MAX_UNUSABLE) this.unusable.push({ from, field, value, why });
  }

  private tag(opts: RequestOptions): RequestOptions {
    const tagged = opts.check !== undefined || this.check === undefined ? opts : { ...opts, check: this.check };
    return this.idPrefix === undefined || tagged.id !== undefined ? tagged : { ...tagged, id: `${this.idPrefix}-${++this.sent}` };
  }
}

/** Params with the session attached, keeping any `_meta` keys already there. */
function withMeta(params: Record<string, unknown> | undefined, key: string, meta: unknown): Record<string, unknown> {
  const base = params ?? {};
  const existing = isObject(base._meta) ? base._meta : {};
  return { ...base, _meta: { ...existing, [key]: meta } };
}

function isRaw(session: SessionArg): session is { raw: unknown } {
  return isObject(session) && 'raw' in session;
}

