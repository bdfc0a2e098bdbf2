// Broken on purpose (SESS-ID-4, SESS-ID-3): the selective_session_server reference, but its
// `session_start` tool, called inside session A, puts the new session B into the `_meta` echo
// instead of A — as the original Python demo server does. The probe tool (a counter) echoes
// correctly; only the tool survey, which calls every tool once inside a fresh session
// (decision D21), meets the defect — without --tool.

import { isMain, runSessionServer, type ServerSpec } from '../session-base.js';
import { selectiveSessionServer } from '../selective_session_server.js';

type Data = typeof selectiveSessionServer extends ServerSpec<infer D> ? D : never;

const swapping: ServerSpec<Data> = {
  ...selectiveSessionServer,
  tools: selectiveSessionServer.tools.map((tool) =>
    tool.name !== 'session_start'
      ? tool
      : {
          ...tool,
          run: (ctx) => {
            const b = ctx.runtime.behaviour;
            const fresh = b.createSession(ctx.runtime);
            fresh.data.label = (ctx.args.label as string | undefined) ?? null;
            // The defect: B in the echo slot even when the call was made inside session A.
            return { text: `new session started: ${fresh.sessionId}`, echo: { sessionId: fresh.sessionId, expiresAt: b.formatExpiry(fresh.expiresAt) } };
          },
        },
  ),
};

if (isMain(import.meta.url)) void runSessionServer(swapping);
