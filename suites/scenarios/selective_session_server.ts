// Demo script: public_echo → counter_get → session_reset → counter_get (rejected) →
// session_start "selective-demo" → counter_inc → counter_get
import type { Scenario } from './types.js';

export const selectiveScenario: Scenario = {
  app: 'selective_session_server',
  summary: 'public_echo → counter_get → session_reset → counter_get (rejected) → session_start "selective-demo" → counter_inc → counter_get',
  steps: [
    { label: 'public_echo', tool: 'public_echo', args: { text: 'hello' }, session: 'none', expect: { text: 'public tool ok: hello' } },
    { label: 'counter_get', tool: 'session_counter_get', expect: { text: 'session counter for {session}: 0' } },
    { label: 'session_reset', tool: 'session_reset', expect: { text: 'session reset: deleted {session}' } },
    // The session is gone: any rejection passes here (-32043 from the ports, an isError result
    // from the Python original); SESS-DELETE-2 judges its form (D15).
    { label: 'counter_get (rejected)', tool: 'session_counter_get', expect: { rejected: true } },
    {
      label: 'session_start "selective-demo"',
      tool: 'session_start',
      args: { label: 'selective-demo' },
      session: 'none',
      adoptsSession: true,
      expect: { text: 'new session started: {session}' },
    },
    { label: 'counter_inc', tool: 'session_counter_inc', expect: { text: 'session counter for {session}: 1' } },
    { label: 'counter_get', tool: 'session_counter_get', expect: { text: 'session counter for {session}: 1' } },
  ],
};
