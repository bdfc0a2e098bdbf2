// D18: property runs are bounded by count. A cut (the run stopped, or a safety-net budget) never
// lets untried runs pass: the engine reports how many runs of how many were done, and the check
// becomes incomplete. Without a cut, every one of --runs runs, however slow each one is.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { findViolations, type ModelDriver } from '../../suites/properties/engine.js';

function countingDriver(): { driver: ModelDriver<number>; runs: () => number } {
  let runs = 0;
  return {
    runs: () => runs,
    driver: {
      name: 'test',
      arbitrary: () => fc.nat(),
      run: async () => {
        runs++;
      },
    },
  };
}

const base = { seed: 1, runSeed: 1, wanted: ['X-1'], shrinkMs: 100, maxRounds: 1, freshShrinks: false };

describe('the model engine bounds runs by count', () => {
  test('no cut: exactly --runs runs, nothing incomplete', async () => {
    const { driver, runs } = countingDriver();
    const report = await findViolations(driver, { ...base, runs: 7 });
    expect(runs()).toBe(7);
    expect(report.explored).toBe(7);
    expect(report.incomplete).toBeUndefined();
  });

  test('the run stops after 3 runs: the rest are not tried, and the report says 3 of 10', async () => {
    const { driver, runs } = countingDriver();
    const report = await findViolations(driver, { ...base, runs: 10, stopped: () => (runs() >= 3 ? 'the run was interrupted' : undefined) });
    expect(runs()).toBe(3);
    expect(report.incomplete).toBe('test model: 3 of 10 runs done before the run was interrupted');
    expect(report.findings.size).toBe(0);
  });

  test('a spent safety-net budget makes the report incomplete, never a pass', async () => {
    const { driver } = countingDriver();
    const report = await findViolations(driver, { ...base, runs: 5, budgetMs: -1 });
    expect(report.incomplete).toMatch(/^test model: 0 of 5 runs done before the model's safety-net time budget of -1 ms ran out/);
  });
});
