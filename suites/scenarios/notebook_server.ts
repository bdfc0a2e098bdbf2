// Demo script: append "Buy milk", "Write SEP draft", "Review PR #2293" → read → status → clear → read
import type { Scenario } from './types.js';

/** `[2026-11-21T20:46:21.376852+00:00]`: the time a note was added (Python isoformat, or a plain RFC 3339 time). */
const AT = String.raw`\[\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})\]`;

export const notebookScenario: Scenario = {
  app: 'notebook_server',
  summary: 'append "Buy milk", "Write SEP draft", "Review PR #2293" → read → status → clear → read',
  steps: [
    { label: 'append "Buy milk"', tool: 'notebook_append', args: { text: 'Buy milk' }, expect: { text: 'Note added (#1): Buy milk' } },
    { label: 'append "Write SEP draft"', tool: 'notebook_append', args: { text: 'Write SEP draft' }, expect: { text: 'Note added (#2): Write SEP draft' } },
    { label: 'append "Review PR #2293"', tool: 'notebook_append', args: { text: 'Review PR #2293' }, expect: { text: 'Note added (#3): Review PR #2293' } },
    {
      label: 'read',
      tool: 'notebook_read',
      expect: { pattern: `Notebook \\(3 notes\\):\\n  1\\. ${AT} Buy milk\\n  2\\. ${AT} Write SEP draft\\n  3\\. ${AT} Review PR #2293` },
    },
    { label: 'status', tool: 'notebook_status', expect: { text: 'Session {session}: 3 notes, 5 calls' } },
    { label: 'clear', tool: 'notebook_clear', expect: { text: 'Notebook cleared (3 notes removed).' } },
    { label: 'read', tool: 'notebook_read', expect: { text: '(notebook is empty)' } },
  ],
};
