// Small helpers on JSON values, shared by the harness and the checks (one home for each).

/** A JSON object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Shortens text to `max` characters, marking the cut with an ellipsis. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * How deep a target's value may nest before the harness cuts it. Every path that serializes,
 * validates (ajv), clips or prints a value recurses; JSON.stringify overflows the stack at a
 * few thousand levels. Real MCP messages nest a few dozen levels at most.
 */
export const MAX_DEPTH = 200;

/** What replaces a value nested deeper than MAX_DEPTH. */
export const TOO_DEEP = `[nested deeper than ${MAX_DEPTH} levels: cut by the harness]`;

/** Nesting depth of a JSON value (a scalar is 0, `[]` is 1), counted without recursion; stops at `limit + 1`. */
export function depthOf(value: unknown, limit = MAX_DEPTH): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    const here = d + 1;
    if (here > max) max = here;
    if (max > limit) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === 'object' && child !== null) stack.push([child, here]);
    }
  }
  return max;
}

/**
 * A copy of `value` in which everything deeper than `limit` levels is replaced by TOO_DEEP
 * (iterative, so it survives any depth). Values within the limit come back unchanged.
 */
export function pruneDepth(value: unknown, limit = MAX_DEPTH): unknown {
  if (depthOf(value, limit) <= limit) return value;
  const root: { v?: unknown } = {};
  const stack: { src: unknown; put: (v: unknown) => void; d: number }[] = [{ src: value, put: (v) => (root.v = v), d: 0 }];
  while (stack.length > 0) {
    const { src, put, d } = stack.pop()!;
    if (typeof src !== 'object' || src === null) {
      put(src);
      continue;
    }
    if (d >= limit) {
      put(TOO_DEEP);
      continue;
    }
    if (Array.isArray(src)) {
      const out: unknown[] = new Array(src.length);
      put(out);
      src.forEach((child, i) => stack.push({ src: child, put: (v) => (out[i] = v), d: d + 1 }));
    } else {
      const out: Record<string, unknown> = {};
      put(out);
      // defineProperty: a "__proto__" key parsed from JSON is data, not the prototype.
      for (const [k, child] of Object.entries(src)) {
        stack.push({ src: child, put: (v) => Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true }), d: d + 1 });
      }
    }
  }
  return root.v;
}

/**
 * JSON.stringify that never throws: values nested deeper than MAX_DEPTH are cut first, and a
 * value that still cannot be serialized (a cycle, a BigInt) becomes a short description.
 */
export function safeStringify(value: unknown, space?: number): string {
  try {
    return JSON.stringify(pruneDepth(value), null, space) ?? 'undefined';
  } catch (err) {
    return `[not serializable: ${(err as Error)?.message ?? err}]`;
  }
}

/**
 * Strings in code-unit order: the same on every machine (localeCompare follows the machine's
 * locale, so a rerun elsewhere could order tools differently), and no ICU collator to load (~20 ms
 * on the way to the first check). For check ids ([A-Z0-9-]) it is localeCompare's order too.
 */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
