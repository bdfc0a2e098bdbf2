// Port of selective_session_server.py: public tools next to session-only counter tools.
//
// Fixed deviation (SESS-ID-4): the original's `session_start` called inside session A put the
// new session B into the `_meta` session slot, rewriting A's id. Here a call inside A echoes A
// and names B only in the result text; without a session, B goes into `_meta` as before.

import { isMain, runSessionServer, type ServerSpec } from './session-base.js';

interface SelectiveData {
  counter: number;
  label: string | null;
}

export const selectiveSessionServer: ServerSpec<SelectiveData> = {
  name: 'selective-session',
  newData: () => ({ counter: 0, label: null }),
  tools: [
    {
      name: 'public_echo',
      description: 'Always works; session is optional.',
      properties: [{ name: 'text', kind: 'required' }],
      session: 'optional',
      run: ({ args }) => ({ text: `public tool ok: ${args.text}` }),
    },
    {
      name: 'session_start',
      description: 'Create a fresh session via tool call.',
      properties: [{ name: 'label', kind: 'optional' }],
      session: 'optional',
      run: ({ session, args, runtime }) => {
        const b = runtime.behaviour;
        const fresh = b.createSession(runtime);
        fresh.data.label = args.label ?? null;
        const text = `new session started: ${fresh.sessionId}`;
        // Inside a session the default echo (of that session) applies; outside, announce B.
        if (session) return { text };
        return { text, echo: { sessionId: fresh.sessionId, expiresAt: b.formatExpiry(fresh.expiresAt) } };
      },
    },
    {
      name: 'session_reset',
      description: 'Delete active session and reset per-session counter.',
      session: 'required',
      run: ({ session, runtime }) => {
        runtime.store.delete(session!.sessionId);
        // The session is gone: echo its id only, as the original does.
        return { text: `session reset: deleted ${session!.sessionId}`, echo: { sessionId: session!.sessionId } };
      },
    },
    {
      name: 'session_counter_inc',
      description: 'Requires an active session; increments per-session counter.',
      session: 'required',
      run: ({ session }) => {
        session!.data.counter += 1;
        return { text: `session counter for ${session!.sessionId}: ${session!.data.counter}` };
      },
    },
    {
      name: 'session_counter_get',
      description: 'Requires an active session; reads per-session counter.',
      session: 'required',
      run: ({ session }) => ({ text: `session counter for ${session!.sessionId}: ${session!.data.counter}` }),
    },
  ],
};

if (isMain(import.meta.url)) void runSessionServer(selectiveSessionServer);
