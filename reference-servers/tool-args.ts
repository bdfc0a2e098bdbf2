// Tool input schemas in the exact shape the Python originals advertise (pydantic-generated),
// and a check of call arguments against them.
//
// Only what those schemas use is supported: string properties, optional string-or-null
// properties with a null default, and `required`. Extra arguments are ignored, as pydantic
// ignored them (selective `session_counter_inc` with `{"text":123}` succeeds in the original).

export interface PropertySpec {
  name: string;
  /** `required`: a string that must be present; `optional`: string or null, default null. */
  kind: 'required' | 'optional';
}

export type InputSchema = Record<string, unknown> & { type: 'object' };

function title(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** `{"properties":{…},"required":[…],"title":"<tool>Arguments","type":"object"}` as the originals. */
export function inputSchema(toolName: string, properties: PropertySpec[] = []): InputSchema {
  const props: Record<string, unknown> = {};
  for (const p of properties) {
    props[p.name] =
      p.kind === 'required'
        ? { title: title(p.name), type: 'string' }
        : { anyOf: [{ type: 'string' }, { type: 'null' }], default: null, title: title(p.name) };
  }
  const required = properties.filter((p) => p.kind === 'required').map((p) => p.name);
  return {
    properties: props,
    ...(required.length > 0 && { required }),
    title: `${toolName}Arguments`,
    type: 'object',
  };
}

export type ToolArgs = Record<string, string | null>;

/** Checked arguments, or the list of problems (one line each, pydantic-like wording). */
export function checkArgs(
  properties: PropertySpec[],
  args: Record<string, unknown> | undefined,
): { ok: true; args: ToolArgs } | { ok: false; problems: string[] } {
  const given = args ?? {};
  const out: ToolArgs = {};
  const problems: string[] = [];
  for (const p of properties) {
    const value = given[p.name];
    if (value === undefined) {
      if (p.kind === 'required') problems.push(`${p.name}: Field required`);
      else out[p.name] = null;
    } else if (typeof value === 'string') {
      out[p.name] = value;
    } else if (value === null && p.kind === 'optional') {
      out[p.name] = null;
    } else {
      problems.push(`${p.name}: Input should be a valid string (got ${value === null ? 'null' : typeof value})`);
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, args: out };
}
