// Reads what the client sent in one scenario against what the scripted servers issued, in the
// order it happened, and collects, per CLI id, how many things were judged and every violation
// (with the transcript seqs that show it). The judge turns this into results.
import type { Profile } from '../harness/types.js';
import { isObject } from '../harness/values.js';
import type { ConnRecord } from './endpoint.js';

export interface Violation {
  /** Which server (0: A, 1: B). */
  server: number;
  /** Transcript seqs that show the problem (the line at fault last). */
  seqs: number[];
  text: string;
  /** What the rule asked for and what the client did, in this case. */
  expected?: string;
  actual?: string;
}

export interface IdFindings {
  /** How many things this id judged (0: nothing to judge → skip). */
  judged: number;
  violations: Violation[];
}

export type Findings = Record<'CLI-WIRE-1' | 'CLI-STATE-1' | 'CLI-STATE-2' | 'CLI-CREATE-1' | 'CLI-ERR-1' | 'CLI-DELETE-1' | 'CLI-BIND-1' | 'CLI-ID-1', IdFindings>;

export interface ClientRequest {
  seq: number;
  method: string;
  id?: unknown;
  params: Record<string, any>;
  /** The session metadata it carried (undefined: none). */
  meta: unknown;
}

interface SessionTrack {
  latest?: string;
  latestSeq?: number;
  states: Set<string>;
  ended?: { how: string; seq: number };
  created: boolean;
}

export const label = (server: number): string => String.fromCharCode(65 + Math.min(server, 25));

/** The requests and notifications the client sent on a connection. */
export function requestsOf(conn: ConnRecord, profile: Profile): ClientRequest[] {
  const out: ClientRequest[] = [];
  for (const e of conn.events) {
    if (e.kind !== 'line' || !isObject(e.line.message) || typeof e.line.message.method !== 'string') continue;
    const m = e.line.message;
    const params = isObject(m.params) ? m.params : {};
    const meta = isObject(params._meta) ? params._meta[profile.metaKey] : undefined;
    out.push({ seq: e.line.seq, method: m.method, ...('id' in m ? { id: m.id } : {}), params, meta });
  }
  return out;
}

export function analyze(connections: readonly ConnRecord[], profile: Profile, finished: boolean): Findings {
  const f = (): IdFindings => ({ judged: 0, violations: [] });
  const out: Findings = {
    'CLI-WIRE-1': f(),
    'CLI-STATE-1': f(),
    'CLI-STATE-2': f(),
    'CLI-CREATE-1': f(),
    'CLI-ERR-1': f(),
    'CLI-DELETE-1': f(),
    'CLI-BIND-1': f(),
    'CLI-ID-1': f(),
  };
  // Who issued what, over the whole scenario (a session or state of A seen on B is a leak).
  const idOwner = new Map<string, number>();
  const stateOwner = new Map<string, number>();
  for (const c of connections) {
    for (const e of c.events) {
      if (e.kind !== 'reply') continue;
      for (const x of e.effects) {
        if (x.kind !== 'issued') continue;
        if (!idOwner.has(x.sessionId)) idOwner.set(x.sessionId, c.index);
        if (!stateOwner.has(x.state)) stateOwner.set(x.state, c.index);
      }
    }
  }
  let sessionRequests = 0;
  for (const c of connections) {
    const sessions = new Map<string, SessionTrack>();
    const statesHere = new Set<string>();
    const ids = new Map<string, number>();
    const v = (id: keyof Findings, seqs: number[], text: string, expected?: string, actual?: string) =>
      out[id].violations.push({ server: c.index, seqs, text, expected, actual });
    for (const e of c.events) {
      if (e.kind === 'reply') {
        for (const x of e.effects) {
          if (x.kind === 'issued') {
            const s = sessions.get(x.sessionId) ?? { states: new Set<string>(), created: false };
            sessions.set(x.sessionId, s);
            s.created ||= x.created;
            s.latest = x.state;
            s.latestSeq = e.seq;
            s.states.add(x.state);
            statesHere.add(x.state);
          } else {
            const s = sessions.get(x.sessionId);
            if (s && !s.ended) {
              s.ended = { how: x.how, seq: e.seq };
              out['CLI-ERR-1'].judged++;
            }
          }
        }
        continue;
      }
      const line = e.line;
      out['CLI-WIRE-1'].judged++;
      if (line.problems.length > 0) v('CLI-WIRE-1', [line.seq], line.problems.join('; '), 'one JSON-RPC message per line, valid against the schemas', clipText(line.raw, 160));
      const m = line.message;
      if (!isObject(m) || typeof m.method !== 'string') continue;
      if ('id' in m) {
        out['CLI-ID-1'].judged++;
        const key = `${typeof m.id}:${JSON.stringify(m.id)}`;
        const before = ids.get(key);
        if (before !== undefined) v('CLI-ID-1', [before, line.seq], `request id ${JSON.stringify(m.id)} was already used by the request at seq ${before} on server ${label(c.index)}`, 'a request id not used before on this connection', `id ${JSON.stringify(m.id)} twice`);
        else ids.set(key, line.seq);
      }
      const params = isObject(m.params) ? m.params : {};
      const meta = isObject(params._meta) ? params._meta[profile.metaKey] : undefined;
      if (m.method === profile.methods.create) {
        out['CLI-CREATE-1'].judged++;
        if (meta !== undefined) v('CLI-CREATE-1', [line.seq], `${profile.methods.create} carried session metadata ${JSON.stringify(meta)}`, `no params._meta["${profile.metaKey}"] on ${profile.methods.create}`, `params._meta["${profile.metaKey}"] = ${clipText(JSON.stringify(meta) ?? String(meta), 120)}`);
        continue;
      }
      if (!isObject(meta) || typeof meta.sessionId !== 'string') continue; // absent, or malformed (CLI-WIRE-1)
      sessionRequests++;
      const sid = meta.sessionId;
      const s = sessions.get(sid);
      if (!s) {
        const owner = idOwner.get(sid);
        if (owner !== undefined && owner !== c.index) {
          v('CLI-BIND-1', [line.seq], `server ${label(c.index)} got session ${sid}, which server ${label(owner)} issued`, `only sessions server ${label(c.index)} issued`, `session ${sid} of server ${label(owner)}`);
        } else if (owner === undefined) {
          out['CLI-STATE-2'].judged++;
          v('CLI-STATE-2', [line.seq], `session id ${JSON.stringify(sid)} was never issued by any server (a modified id?)`, 'a session id exactly as a server issued it', `session id ${JSON.stringify(sid)}`);
        }
        continue;
      }
      if (s.ended && line.seq > s.ended.seq) {
        const how = s.ended.how === 'deleted' ? 'the client deleted it' : 'the server answered -32043 for it';
        v('CLI-ERR-1', [s.ended.seq, line.seq], `${m.method} sent session ${sid} after ${how} (seq ${s.ended.seq})`, `session ${sid} never sent again after ${how}`, `${m.method} carried it`);
        continue;
      }
      const isDelete = m.method === profile.methods.delete;
      if (!('state' in meta)) {
        // The draft's own delete example names the session by id alone: no state needed there.
        if (!isDelete && s.latest !== undefined) {
          out['CLI-STATE-1'].judged++;
          v('CLI-STATE-1', [s.latestSeq!, line.seq], `${m.method} sent no state; the latest state issued for the session was ${JSON.stringify(clipText(s.latest))}`, `state ${JSON.stringify(clipText(s.latest))}`, 'no state');
        }
        continue;
      }
      if (typeof meta.state !== 'string') continue; // not a string: CLI-WIRE-1 (the schema)
      const state = meta.state;
      out['CLI-STATE-1'].judged++;
      out['CLI-STATE-2'].judged++;
      if (state === s.latest) continue;
      if (statesHere.has(state)) {
        const whose = s.states.has(state) ? 'an older state of this session' : 'a state of another session';
        v('CLI-STATE-1', [s.latestSeq!, line.seq], `${m.method} sent ${whose}: ${JSON.stringify(clipText(state))} instead of the latest ${JSON.stringify(clipText(s.latest ?? ''))}`, `state ${JSON.stringify(clipText(s.latest ?? ''))} (the latest)`, `state ${JSON.stringify(clipText(state))} (${whose})`);
      } else if (stateOwner.has(state)) {
        v('CLI-BIND-1', [line.seq], `server ${label(c.index)} got a state that server ${label(stateOwner.get(state)!)} issued`, `only states server ${label(c.index)} issued`, `a state of server ${label(stateOwner.get(state)!)}`);
      } else {
        v('CLI-STATE-2', [s.latestSeq!, line.seq], `${m.method} sent a state the server never issued: ${describeChange(s.latest ?? '', state)}`, `state ${JSON.stringify(clipText(s.latest ?? ''))} byte for byte`, `state ${JSON.stringify(clipText(state))}`);
      }
    }
    // Sessions the client created and the server never ended are still open when the client is done.
    if (finished) {
      for (const [sid, s] of sessions) {
        if (!s.created) continue;
        out['CLI-DELETE-1'].judged++;
        if (!s.ended) v('CLI-DELETE-1', [s.latestSeq!], `session ${sid} on server ${label(c.index)} was never deleted`, `${profile.methods.delete} for session ${sid} before the client exits`, 'the client exited without deleting it');
      }
    }
  }
  out['CLI-BIND-1'].judged = connections.length >= 2 ? sessionRequests : 0;
  return out;
}

function clipText(text: string, max = 80): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…(${text.length} chars)`;
}

/** How a sent state differs from the latest issued one, in words (first difference, lengths). */
export function describeChange(latest: string, sent: string): string {
  let i = 0;
  while (i < latest.length && i < sent.length && latest[i] === sent[i]) i++;
  const at = (t: string) => JSON.stringify(t.slice(Math.max(0, i - 8), i + 12));
  return `${JSON.stringify(clipText(sent))} (${sent.length} chars) differs from the latest issued ${JSON.stringify(clipText(latest))} (${latest.length} chars) at character ${i}: ${at(sent)} instead of ${at(latest)}`;
}
