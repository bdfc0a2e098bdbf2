// The reference scenarios by application (Discovery.app).
import { clientNotesScenario } from './client_notes_server.js';
import { hashcheckScenario } from './hashcheck_server.js';
import { notebookScenario } from './notebook_server.js';
import { selectiveScenario } from './selective_session_server.js';
import { sessionRequiredScenario } from './session_required_server.js';
import { sessionServerScenario } from './session_server.js';
import type { Scenario } from './types.js';

export type { Expectation, Scenario, ScenarioStep } from './types.js';

export const SCENARIOS: Record<string, Scenario> = Object.fromEntries(
  [
    sessionServerScenario,
    sessionRequiredScenario,
    notebookScenario,
    hashcheckScenario,
    selectiveScenario,
    clientNotesScenario,
  ].map((s) => [s.app, s]),
);
