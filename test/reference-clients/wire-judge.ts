// A small judge of what a client sent to the fixture's scripted servers (test/fixtures/client-mode/),
// used to test the reference and broken clients on their own, apart from the suite's client mode.
// It reads each server instance's log and names every CLI-* rule the client broke, with why.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const KEY = 'io.modelcontextprotocol/session';

interface Message {
  id?: string | number | null;
  method?: string;
  params?: { _meta?: Record<string, unknown> } & Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { code: number };
}
interface LogLine {
  dir: 'in' | 'out';
  msg?: Message;
}
export type Instance = LogLine[];

export function readInstances(logDir: string): Instance[] {
  return readdirSync(logDir)
    .filter((name) => name.endsWith('.jsonl'))
    .map((name) =>
      readFileSync(join(logDir, name), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as LogLine),
    );
}

/** What the judge saw, so a test can show it judged something (positive controls). */
export interface Judgement {
  violations: Map<string, string[]>;
  statesEchoed: number;
  deletes: number;
  notFound: number;
  creates: number;
}

function sessionOf(meta: unknown): { sessionId?: unknown; state?: unknown } | undefined {
  const value = (meta as Record<string, unknown> | undefined)?.[KEY];
  return typeof value === 'object' && value !== null ? (value as { sessionId?: unknown; state?: unknown }) : undefined;
}

/** Every session id each instance issued (for CLI-BIND-1: an id of one server sent to another). */
function issuedIds(instance: Instance): Set<string> {
  const ids = new Set<string>();
  for (const line of instance) {
    const created = line.dir === 'out' ? sessionOf({ [KEY]: line.msg?.result?.session }) : undefined;
    if (typeof created?.sessionId === 'string') ids.add(created.sessionId);
  }
  return ids;
}

export function judge(instances: Instance[]): Judgement {
  const out: Judgement = { violations: new Map(), statesEchoed: 0, deletes: 0, notFound: 0, creates: 0 };
  const flag = (id: string, why: string) => out.violations.set(id, [...(out.violations.get(id) ?? []), why]);
  const issuedBy = instances.map(issuedIds);
  instances.forEach((instance, self) => {
    const states = new Map<string, string[]>(); // sessionId → states issued, oldest first
    const revoked = new Set<string>();
    const deleted = new Set<string>();
    const requestIds = new Set<string>();
    const pending = new Map<string, Message>(); // request id → request, to pair answers
    for (const { dir, msg } of instance) {
      if (!msg) continue;
      if (dir === 'in' && msg.method !== undefined && msg.id !== undefined) {
        const key = JSON.stringify(msg.id);
        if (requestIds.has(key)) flag('CLI-ID-1', `request id ${key} used twice on one connection`);
        requestIds.add(key);
        pending.set(key, msg);
        const sent = sessionOf(msg.params?._meta);
        if (msg.method === 'sessions/create') {
          if (sent) flag('CLI-CREATE-1', `sessions/create carried session metadata ${JSON.stringify(sent)}`);
          continue;
        }
        if (!sent || typeof sent.sessionId !== 'string') continue;
        const sid = sent.sessionId;
        if (!issuedBy[self]!.has(sid)) {
          if (issuedBy.some((ids, other) => other !== self && ids.has(sid))) flag('CLI-BIND-1', `session ${sid} of another server sent here`);
          continue;
        }
        if (revoked.has(sid)) flag('CLI-ERR-1', `${msg.method} used session ${sid} after -32043`);
        const history = states.get(sid) ?? [];
        const latest = history.at(-1);
        if (sent.state === latest) out.statesEchoed += latest === undefined ? 0 : 1;
        else if (typeof sent.state === 'string' && !history.includes(sent.state)) flag('CLI-STATE-2', `state ${JSON.stringify(sent.state)} was never issued`);
        else flag('CLI-STATE-1', `state ${JSON.stringify(sent.state)} is not the newest ${JSON.stringify(latest)}`);
        if (msg.method === 'sessions/delete') (deleted.add(sid), out.deletes++);
      } else if (dir === 'out' && msg.id !== undefined) {
        const request = pending.get(JSON.stringify(msg.id));
        const sent = sessionOf(request?.params?._meta);
        const issued = sessionOf(msg.result?._meta) ?? sessionOf({ [KEY]: msg.result?.session });
        if (typeof issued?.sessionId === 'string' && typeof issued.state === 'string') {
          states.set(issued.sessionId, [...(states.get(issued.sessionId) ?? []), issued.state]);
        }
        if (request?.method === 'sessions/create' && issued) out.creates++;
        if (msg.error?.code === -32043) {
          out.notFound++;
          if (typeof sent?.sessionId === 'string') revoked.add(sent.sessionId);
        }
      }
    }
    for (const sid of issuedBy[self]!) {
      if (!deleted.has(sid) && !revoked.has(sid)) flag('CLI-DELETE-1', `session ${sid} was never deleted`);
    }
  });
  return out;
}
