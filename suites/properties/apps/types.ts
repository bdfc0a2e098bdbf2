// What an application model is: per-session data, the operations a run may call, and for each
// operation the exact text the reference server answers (reference-transcripts/*.txt).
import fc from 'fast-check';

/** What the model knows of a session when it predicts an answer. */
export interface SessionView {
  /** The id the server issued (status / whoami texts show it). */
  id: string;
  /** Successful session-bearing calls so far, this one included (the reference's `calls`). */
  calls: number;
}

export interface Prediction {
  /** The text the reference server answers, after `normalize` (if any) was applied to both sides. */
  text: string;
  /** What this operation wrote into the session (a note, a stored text), for leak diagnostics. */
  wrote?: string;
}

export interface AppOperation<D> {
  tool: string;
  args: Record<string, unknown>;
  /** Short form for the counterexample, e.g. `append "alpha"`. */
  label: string;
  /** Applies the operation to the session's model data and predicts the answer. */
  apply(data: D, session: SessionView): Prediction;
}

export interface AppModel<D> {
  /** The reference application name (harness/discovery.ts REFERENCE_APPS). */
  app: string;
  newData(): D;
  operation: fc.Arbitrary<AppOperation<D>>;
  /** Makes answers comparable where the reference varies run to run (e.g. timestamps). */
  normalize?(text: string): string;
}

/**
 * Texts the runs write. Few, so that two sessions often write the same one (a leak must not
 * hide behind distinct texts) and readable in a counterexample.
 */
export const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo-5', 'fox trot'] as const;
export const word = fc.constantFrom(...WORDS);

/** Builds an operation with a fixed tool and arguments (the common case). */
export function op<D>(tool: string, args: Record<string, unknown>, label: string, apply: AppOperation<D>['apply']): AppOperation<D> {
  return { tool, args, label, apply };
}
