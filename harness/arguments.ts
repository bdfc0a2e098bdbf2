// Synthesizes tool arguments from a tool's inputSchema: the smallest valid object
// (required properties only), so probing a tool does as little as possible.

type Schema = Record<string, any>;

const SAMPLE_STRING = 'conformance-probe';

export function synthesizeArguments(inputSchema: unknown): Record<string, unknown> {
  const value = synthesize(inputSchema as Schema, inputSchema as Schema, 0);
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function resolve(schema: Schema, root: Schema): Schema {
  let current = schema;
  for (let hops = 0; hops < 8 && current && typeof current.$ref === 'string'; hops++) {
    const ref: string = current.$ref;
    if (!ref.startsWith('#/')) return {};
    let target: any = root;
    for (const part of ref.slice(2).split('/')) target = target?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    current = target ?? {};
  }
  return current ?? {};
}

function synthesize(raw: Schema, root: Schema, depth: number): unknown {
  if (!raw || typeof raw !== 'object' || depth > 6) return undefined;
  const schema = resolve(raw, root);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (schema.default !== undefined && schema.default !== null) return schema.default;
  const branches = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(branches) && branches.length > 0) {
    const nonNull = branches.find((b: Schema) => resolve(b, root).type !== 'null') ?? branches[0];
    return synthesize(nonNull, root, depth + 1);
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
    return synthesize(Object.assign({}, ...schema.allOf.map((s: Schema) => resolve(s, root))), root, depth + 1);
  }
  const type = Array.isArray(schema.type) ? (schema.type.find((t: string) => t !== 'null') ?? schema.type[0]) : schema.type;
  switch (type) {
    case 'string':
      return sampleString(schema);
    case 'integer':
      return sampleNumber(schema, true);
    case 'number':
      return sampleNumber(schema, false);
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array': {
      const count = Math.max(0, Number(schema.minItems ?? 0));
      const items = Array.from({ length: count }, () => synthesize(schema.items ?? {}, root, depth + 1));
      return items;
    }
    case 'object':
    default: {
      if (type === undefined && !schema.properties) return type === undefined && depth > 0 ? SAMPLE_STRING : {};
      const out: Record<string, unknown> = {};
      const required: string[] = Array.isArray(schema.required) ? schema.required : [];
      for (const key of required) {
        const prop = schema.properties?.[key] ?? {};
        out[key] = synthesize(prop, root, depth + 1) ?? SAMPLE_STRING;
      }
      return out;
    }
  }
}

function sampleString(schema: Schema): string {
  const formats: Record<string, string> = {
    email: 'probe@example.com',
    uri: 'https://example.com/probe',
    url: 'https://example.com/probe',
    'date-time': '2026-01-01T00:00:00Z',
    date: '2026-01-01',
    time: '00:00:00Z',
    uuid: '00000000-0000-4000-8000-000000000000',
    hostname: 'example.com',
    ipv4: '127.0.0.1',
  };
  let value = (schema.format && formats[schema.format]) || SAMPLE_STRING;
  const min = Number(schema.minLength ?? 0);
  const max = schema.maxLength === undefined ? Infinity : Number(schema.maxLength);
  if (value.length < min) value = value.padEnd(min, 'x');
  if (value.length > max) value = value.slice(0, Math.max(max, 0));
  return value;
}

function sampleNumber(schema: Schema, integer: boolean): number {
  let low = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + (integer ? 1 : 0.5) : undefined);
  let high = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - (integer ? 1 : 0.5) : undefined);
  let value = 1;
  if (low !== undefined && value < low) value = low;
  if (high !== undefined && value > high) value = high;
  if (integer) value = Math.ceil(value);
  if (schema.multipleOf) value = Math.ceil(value / schema.multipleOf) * schema.multipleOf;
  return value;
}
