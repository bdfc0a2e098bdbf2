// Port of notebook_server.py: a per-session list of timestamped notes; no state token.

import { isMain, runSessionServer, type ServerSpec } from './session-base.js';

interface Note {
  at: string;
  text: string;
}

/** Python's `datetime.now(UTC).isoformat()`: microseconds and `+00:00`. */
function pythonIsoNow(): string {
  const micros = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));
  const date = new Date(Number(micros / 1000n));
  const fraction = String(micros % 1_000_000n).padStart(6, '0');
  return `${date.toISOString().slice(0, 19)}.${fraction}+00:00`;
}

export const notebookServer: ServerSpec<{ notes: Note[] }> = {
  name: 'notebook',
  newData: () => ({ notes: [] }),
  tools: [
    {
      name: 'notebook_append',
      description: '',
      properties: [{ name: 'text', kind: 'required' }],
      session: 'required',
      run: ({ session, args }) => {
        session!.data.notes.push({ at: pythonIsoNow(), text: args.text! });
        return { text: `Note added (#${session!.data.notes.length}): ${args.text}` };
      },
    },
    {
      name: 'notebook_read',
      description: '',
      session: 'required',
      run: ({ session }) => {
        const notes = session!.data.notes;
        if (notes.length === 0) return { text: '(notebook is empty)' };
        const lines = notes.map((n, i) => `  ${i + 1}. [${n.at}] ${n.text}`);
        return { text: `Notebook (${notes.length} notes):\n${lines.join('\n')}` };
      },
    },
    {
      name: 'notebook_clear',
      description: '',
      session: 'required',
      run: ({ session }) => {
        const removed = session!.data.notes.length;
        session!.data.notes = [];
        return { text: `Notebook cleared (${removed} notes removed).` };
      },
    },
    {
      name: 'notebook_status',
      description: '',
      session: 'required',
      run: ({ session }) => ({
        text: `Session ${session!.sessionId}: ${session!.data.notes.length} notes, ${session!.calls} calls`,
      }),
    },
  ],
};

if (isMain(import.meta.url)) void runSessionServer(notebookServer);
