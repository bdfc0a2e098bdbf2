// A reference scenario is data: the steps of the demo script of one reference application and
// the result each step must give (the demo script of the set the reference servers come from).

/** What a step must give back. `{session}` stands for the id of the scenario's current session. */
export type Expectation =
  /** The result text, exactly. */
  | { text: string }
  /** A regular expression (source) the whole result text must match; `{session}` is escaped. */
  | { pattern: string }
  /** A rejection of any form (a JSON-RPC error of any code, or an isError result): D15. */
  | { rejected: true };

export interface ScenarioStep {
  /** The step as the demo script names it, e.g. `counter_get (rejected)`. */
  label: string;
  tool: string;
  args?: Record<string, unknown>;
  /** `current` (default): inside the scenario's session; `none`: without session metadata. */
  session?: 'current' | 'none';
  /**
   * The result names a new session in `result._meta[key]` (selective `session_start` called
   * without a session): the scenario continues in that session, and `{session}` in this step's
   * expectation already means the new one.
   */
  adoptsSession?: boolean;
  expect: Expectation;
}

export interface Scenario {
  /** The reference application (Discovery.app), e.g. `notebook_server`. */
  app: string;
  /** The demo script line, for the report. */
  summary: string;
  steps: ScenarioStep[];
}
