// Over stateless HTTP a reference server builds an SDK Server per request. Given none, the SDK
// builds a JSON Schema validator (an Ajv instance with formats) for every Server: most of a
// request's CPU, for elicitation answers these servers never ask for. Every Server of a process
// shares one validator instead.
import { describe, expect, test } from 'vitest';
import { buildServer, createRuntime } from '../../reference-servers/session-base.js';
import { sessionServer } from '../../reference-servers/session_server.js';

describe('reference servers and the SDK validator', () => {
  test('the Servers one process builds (one per HTTP request) share one JSON Schema validator', () => {
    const runtime = createRuntime(sessionServer);
    const validators = [buildServer(runtime), buildServer(runtime), buildServer(createRuntime(sessionServer))].map((s) => (s as any)._jsonSchemaValidator);
    expect(validators[0]).toBeDefined();
    expect(new Set(validators).size).toBe(1);
    // It still validates, with Ajv made on first use.
    const check = validators[0].getValidator({ type: 'object', properties: { n: { type: 'number' } }, required: ['n'] });
    expect(check({ n: 1 }).valid).toBe(true);
    expect(check({ n: 'one' }).valid).toBe(false);
  });
});
