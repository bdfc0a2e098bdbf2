// Not a defect: sessions survive a restart. Every create and delete is appended to a journal
// file, and an id missing from memory is looked up there, so SESS-ERR-5 (informational)
// reports "still works after restart" where the in-memory reference servers report "unknown".
// Usage: node err-durable-sessions.js [--store <journal file>] [--draft <revision>]

import { appendFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMain, runSessionServer, type BehaviourOverrides } from '../session-base.js';
import { expiryFrom } from '../session-store.js';
import { sessionServer } from '../session_server.js';

interface JournalLine {
  op: 'add' | 'del';
  sessionId: string;
}

/** The journal path from `--store`, and the remaining arguments for the usual parser. */
function splitArgs(argv: string[]): { store: string; rest: string[] } {
  let store = join(tmpdir(), 'mcp-session-conformance-durable-sessions.jsonl');
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--store') store = argv[++i] ?? store;
    else rest.push(argv[i]!);
  }
  return { store, rest };
}

/** Whether the journal's last word on this id is "added" (appends are whole lines, so concurrent runs interleave safely). */
function journaled(store: string, sessionId: string): boolean {
  let text: string;
  try {
    text = readFileSync(store, 'utf8');
  } catch {
    return false;
  }
  let live = false;
  for (const line of text.split('\n')) {
    if (!line.includes(sessionId)) continue;
    try {
      const entry = JSON.parse(line) as JournalLine;
      if (entry.sessionId === sessionId) live = entry.op === 'add';
    } catch {
      // a torn line from a killed writer: ignore it
    }
  }
  return live;
}

function overridesFor(store: string): BehaviourOverrides<null> {
  const append = (entry: JournalLine) => appendFileSync(store, JSON.stringify(entry) + '\n');
  return (base) => ({
    createSession(runtime) {
      const session = base.createSession(runtime);
      append({ op: 'add', sessionId: session.sessionId });
      return session;
    },
    findSession(sessionId, runtime) {
      const known = base.findSession(sessionId, runtime);
      if (known || !journaled(store, sessionId)) return known;
      const now = runtime.behaviour.now();
      const restored = { sessionId, createdAt: now, expiresAt: expiryFrom(now), calls: 0, data: runtime.spec.newData() };
      runtime.store.add(restored);
      return restored;
    },
    deleteSession(read, runtime) {
      const result = base.deleteSession(read, runtime);
      if (read.kind === 'present') append({ op: 'del', sessionId: read.meta.sessionId });
      return result;
    },
  });
}

if (isMain(import.meta.url)) {
  const { store, rest } = splitArgs(process.argv.slice(2));
  void runSessionServer(sessionServer, overridesFor(store), rest);
}
