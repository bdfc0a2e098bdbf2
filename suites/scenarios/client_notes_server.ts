// Demo script: add "buy milk", "review PR" → list → status → clear → list
import type { Scenario } from './types.js';

export const clientNotesScenario: Scenario = {
  app: 'client_notes_server',
  summary: 'add "buy milk", "review PR" → list → status → clear → list',
  steps: [
    { label: 'add "buy milk"', tool: 'client_notes_add', args: { text: 'buy milk' }, expect: { text: 'Added note #1: buy milk' } },
    { label: 'add "review PR"', tool: 'client_notes_add', args: { text: 'review PR' }, expect: { text: 'Added note #2: review PR' } },
    { label: 'list', tool: 'client_notes_list', expect: { text: 'Client notes (2 items):\n  1. buy milk\n  2. review PR' } },
    { label: 'status', tool: 'client_notes_status', expect: { text: 'Session {session}: 2 client notes, 4 calls' } },
    { label: 'clear', tool: 'client_notes_clear', expect: { text: 'Cleared 2 client notes.' } },
    { label: 'list', tool: 'client_notes_list', expect: { text: '(client notes are empty)' } },
  ],
};
