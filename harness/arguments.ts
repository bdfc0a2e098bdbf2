// Synthesizes tool arguments from a tool's inputSchema: the smallest valid object (required
// properties only, minimal lengths and counts), so probing a tool does as little as possible.
// Every result is checked with ajv against the whole schema before it is used. When the
// hand-built smallest value is not valid (a schema richer than the builder reads), a seeded
// JSON-Schema sampler (json-schema-faker) tries; when neither gives a valid value within the
// budget (harness/tool-schema.ts), the tool is not used, and the reason says why.
// Deterministic: the same schema gives the same arguments.
import { generateSync } from 'json-schema-faker';
import { ValueBuilder } from './value-builder.js';
import { BUDGET, compileToolSchema, OverBudget, sizeDemandBeyondBudget } from './tool-schema.js';
import { clip, isObject } from './values.js';

export type Synthesis =
  | { ok: true; args: Record<string, unknown>; /** how it was found */ how: 'smallest' | 'sampled' }
  | { ok: false; why: string };

const SAMPLER_SEEDS = [1, 2, 3, 4];

/** Arguments for a tool, or why the suite cannot build any within its budget. Never throws. */
export function synthesizeToolArguments(inputSchema: unknown): Synthesis {
  try {
    return synthesize(inputSchema);
  } catch (err) {
    // A schema that breaks something we did not foresee is still the tool's problem, not a crash.
    return { ok: false, why: `argument synthesis failed on its inputSchema (${clip(err instanceof Error ? err.message : String(err), 160)})` };
  }
}

/** The arguments only (an empty object when none can be built): for callers that need a value. */
export function synthesizeArguments(inputSchema: unknown): Record<string, unknown> {
  const found = synthesizeToolArguments(inputSchema);
  return found.ok ? found.args : {};
}

function synthesize(inputSchema: unknown): Synthesis {
  // An absent schema takes any object; MCP requires one, but a lenient target may omit it.
  if (inputSchema === undefined) return { ok: true, args: {}, how: 'smallest' };
  const over = sizeDemandBeyondBudget(inputSchema);
  if (over) return { ok: false, why: `its inputSchema asks for more than the synthesis budget allows: ${over}` };
  const compiledOrWhy = compileToolSchema(inputSchema);
  if (!compiledOrWhy.ok) return compiledOrWhy;
  const compiled = compiledOrWhy.compiled;
  const root = isObject(inputSchema) ? inputSchema : {};

  let smallest: unknown;
  try {
    smallest = new ValueBuilder(root, compiled).build();
  } catch (err) {
    if (err instanceof OverBudget) return { ok: false, why: `its inputSchema cannot be filled within the synthesis budget: ${err.message}` };
    throw err;
  }
  let problem: string;
  if (isObject(smallest) && compiled.valid(smallest)) {
    const size = sizeProblem(smallest);
    if (!size) return { ok: true, args: smallest, how: 'smallest' };
    problem = size;
  } else {
    problem = smallest === undefined ? 'no value satisfies it' : `${clip(safeJson(smallest), 120)} is invalid: ${compiled.lastErrors()}`;
  }
  for (const seed of SAMPLER_SEEDS) {
    let sampled: unknown;
    try {
      sampled = generateSync(root, {
        seed,
        optionalsProbability: 0,
        alwaysFakeOptionals: false,
        maxDepth: 8,
        maxDefaultItems: 2,
        useDefaultValue: true,
        validateSchemaVersion: false,
        failOnInvalidTypes: false,
      } as any);
    } catch {
      continue;
    }
    if (isObject(sampled) && compiled.valid(sampled) && !sizeProblem(sampled)) return { ok: true, args: sampled, how: 'sampled' };
  }
  return { ok: false, why: `the suite could not build arguments valid against its inputSchema (${problem})` };
}

function sizeProblem(value: unknown): string | undefined {
  const bytes = safeJson(value).length;
  return bytes > BUDGET.bytes ? `the smallest arguments are ${bytes} bytes, over the ${BUDGET.bytes}-byte budget` : undefined;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'undefined';
  } catch {
    return '(unprintable)';
  }
}
