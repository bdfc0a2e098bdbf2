// Broken on purpose (SESS-DELETE-2): sessions/delete only drops the session from the in-memory
// map; a lookup that misses falls back to a "backing store" that still holds it, and from the
// second lookup of a deleted id on, the session is loaded back and works again. The first use
// after a delete is answered correctly, so only a run that keeps using a deleted id sees it.
// Deleting it again is answered from the in-memory map (-32043), as the reference does.

import { isMain, runSessionServer, type BehaviourOverrides } from '../session-base.js';
import type { SessionRecord } from '../session-store.js';
import { sessionServer } from '../session_server.js';

/** Lookups of a deleted id that still miss before the backing store answers. */
const MISSES_BEFORE_RELOAD = 1;

const backing = new Map<string, { record: SessionRecord<null>; misses: number }>();

const overrides: BehaviourOverrides<null> = (base) => ({
  deleteSession(read, runtime) {
    if (read.kind === 'present' && !runtime.store.has(read.meta.sessionId)) {
      throw runtime.behaviour.onUnknownSession(read.meta.sessionId, 'delete');
    }
    const record = read.kind === 'present' ? runtime.store.get(read.meta.sessionId) : undefined;
    const result = base.deleteSession(read, runtime);
    if (record) backing.set(record.sessionId, { record, misses: 0 });
    return result;
  },
  findSession(sessionId, runtime) {
    const live = base.findSession(sessionId, runtime);
    if (live) return live;
    const kept = backing.get(sessionId);
    if (!kept) return undefined;
    if (kept.misses < MISSES_BEFORE_RELOAD) {
      kept.misses++;
      return undefined;
    }
    backing.delete(sessionId);
    runtime.store.add(kept.record);
    return kept.record;
  },
});

if (isMain(import.meta.url)) void runSessionServer(sessionServer, overrides);
