// Decision D24: the ids every target process of a run minted, compared across processes. The
// same id from two processes (a fixed seed, a counter that restarts) is guessable by anyone who
// starts the server once.
import type { Exchange } from '../harness/types.js';
import type { CheckContext } from './check.js';
import { isObject } from './expect.js';

const sessionIdIn = (holder: unknown): unknown => (isObject(holder) ? holder.sessionId : undefined);

/** Every sessionId a create result carried, by target process (transcript `conn`), in order. */
export function createdIdsByProcess(ctx: CheckContext): Map<number, { id: string; exchange: Exchange }[]> {
  const byConn = new Map<number, { id: string; exchange: Exchange }[]>();
  for (const exchange of ctx.transcript.exchanges) {
    if (exchange.method !== ctx.profile.methods.create) continue;
    const id = sessionIdIn(exchange.response?.result?.session);
    if (typeof id !== 'string') continue;
    const list = byConn.get(exchange.conn) ?? [];
    list.push({ id, exchange });
    byConn.set(exchange.conn, list);
  }
  return byConn;
}

/** Ids that two or more processes minted (decision D24), with the processes that minted each. */
export function idsMintedTwice(byConn: Map<number, { id: string; exchange: Exchange }[]>): { id: string; minted: { conn: number; exchange: Exchange }[] }[] {
  const where = new Map<string, Map<number, Exchange>>();
  for (const [conn, list] of byConn) {
    for (const { id, exchange } of list) {
      const conns = where.get(id) ?? new Map<number, Exchange>();
      if (!conns.has(conn)) conns.set(conn, exchange);
      where.set(id, conns);
    }
  }
  return [...where].filter(([, conns]) => conns.size > 1).map(([id, conns]) => ({ id, minted: [...conns].map(([conn, exchange]) => ({ conn, exchange })) }));
}
