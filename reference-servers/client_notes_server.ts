// Port of client_notes_server.py: the notes live in the state token, base64 of UTF-8
// {"notes":[…]}. The incoming state wins over the server's copy; a request without state uses
// the last token the server issued; an undecodable token counts as no notes. `expiresAt` is
// set at create and not refreshed by use.

import { isMain, runSessionServer, type ServerSpec } from './session-base.js';
import { decodeState, encodeState } from './state-codec.js';

function notesOf(token: unknown): string[] {
  const decoded = decodeState(token) as { notes?: unknown } | undefined;
  const notes = decoded && typeof decoded === 'object' ? decoded.notes : undefined;
  return Array.isArray(notes) ? notes.map((n) => (typeof n === 'string' ? n : JSON.stringify(n))) : [];
}

export const clientNotesServer: ServerSpec<{ notes: string[] }> = {
  name: 'client-notes',
  newData: () => ({ notes: [] }),
  slideExpiry: false,
  createOrder: ['sessionId', 'expiresAt', 'state'],
  issueState: (session) => encodeState({ notes: session.data.notes }),
  acceptState: (session, incoming) => {
    if ('state' in incoming) session.data.notes = notesOf(incoming.state);
  },
  tools: [
    {
      name: 'client_notes_add',
      description: 'Append a note in client-managed session state.',
      properties: [{ name: 'text', kind: 'required' }],
      session: 'required',
      run: ({ session, args }) => {
        session!.data.notes.push(args.text!);
        return { text: `Added note #${session!.data.notes.length}: ${args.text}` };
      },
    },
    {
      name: 'client_notes_list',
      description: 'List notes from client-managed session state.',
      session: 'required',
      run: ({ session }) => {
        const notes = session!.data.notes;
        if (notes.length === 0) return { text: '(client notes are empty)' };
        const lines = notes.map((n, i) => `  ${i + 1}. ${n}`);
        return { text: `Client notes (${notes.length} items):\n${lines.join('\n')}` };
      },
    },
    {
      name: 'client_notes_clear',
      description: 'Clear notes stored in client-managed session state.',
      session: 'required',
      run: ({ session }) => {
        const removed = session!.data.notes.length;
        session!.data.notes = [];
        return { text: `Cleared ${removed} client notes.` };
      },
    },
    {
      name: 'client_notes_status',
      description: 'Show session status and decoded client note count.',
      session: 'required',
      run: ({ session }) => ({
        text: `Session ${session!.sessionId}: ${session!.data.notes.length} client notes, ${session!.calls} calls`,
      }),
    },
  ],
};

if (isMain(import.meta.url)) void runSessionServer(clientNotesServer);
