// Port of session_server.py: one tool, a per-session call count, and a state token that is
// base64 of {"callCount":n}. Incoming state is ignored (the server's own count wins).

import { isMain, runSessionServer, type ServerSpec } from './session-base.js';
import { encodeState } from './state-codec.js';

export const sessionServer: ServerSpec<null> = {
  name: 'mcp-data-layer-sessions',
  newData: () => null,
  issueState: (session) => encodeState({ callCount: session.calls }),
  tools: [
    {
      name: 'session_probe',
      description: '',
      properties: [{ name: 'note', kind: 'optional' }],
      session: 'required',
      run: ({ session, args }) => ({
        text: `session active id=${session!.sessionId}, calls=${session!.calls}, note=${args.note ?? 'none'}`,
      }),
    },
  ],
};

if (isMain(import.meta.url)) void runSessionServer(sessionServer);
