// The property checks hold on every reference server, under both drafts and several seeds:
// the protocol model finds nothing and SESS-ISO-1 passes, after actually running cases.
import { describe, expect, it } from 'vitest';
import { REFERENCE_SERVERS, runModel } from './run-model.js';

const cases = REFERENCE_SERVERS.flatMap((server) => [
  { server, draft: '2026-02-27', seed: 1 },
  { server, draft: '2026-02-27', seed: 2 },
  { server, draft: '2026-03-13', seed: 3 },
]);

describe.concurrent('property checks on the reference servers', () => {
  it.each(cases)('$server ($draft, seed $seed): no model violation, SESS-ISO-1 passes', async ({ server, draft, seed }) => {
    const result = await runModel(server, draft, seed);
    expect(result.findings).toEqual({});
    expect(result.cases).toBeGreaterThan(0);
    expect(result.iso.status, `${result.iso.message}\n${result.iso.actual ?? ''}`).toBe('pass');
    expect(result.iso.details?.method).toBe('application model');
    expect(result.iso.details?.cases).toBeGreaterThan(0);
    // Shown with --reporter verbose: how long the model phase took on this server.
    console.log(`${server} ${draft} seed ${seed}: protocol model ${result.cases} cases in ${result.modelMs} ms; SESS-ISO-1 ${result.iso.details?.cases} cases in ${result.iso.details?.ms} ms`);
  });
});
