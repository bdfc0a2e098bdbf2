// action.yml and its script agree: every input reaches the script as INPUT_<NAME>, every output
// is one the script sets, and the composite runs the built script with the inputs in the
// environment (never spliced into a shell line).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, test } from 'vitest';
import { ROOT } from '../conformance/run-cli.js';

const action = load(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as any;
const script = readFileSync(join(ROOT, 'cli/github-action.ts'), 'utf8');
const envName = (input: string) => `INPUT_${input.toUpperCase().replace(/-/g, '_')}`;

describe('action.yml', () => {
  test('is a composite action with the inputs and outputs the issue names', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs)).toEqual(['server', 'url', 'draft', 'only', 'skip', 'expected-failures', 'args', 'node-version']);
    expect(action.inputs['node-version'].default).toBe('20');
    expect(Object.keys(action.outputs)).toEqual(expect.arrayContaining(['verdict', 'passed', 'failed', 'warnings', 'skipped', 'json', 'junit', 'html']));
  });

  test('every input but node-version reaches the script as INPUT_<NAME>, which the script reads', () => {
    const step = action.runs.steps.find((s: any) => s.id === 'run');
    expect(step.run).toBe('node "$GITHUB_ACTION_PATH/dist/cli/github-action.js"');
    for (const name of Object.keys(action.inputs).filter((n) => n !== 'node-version')) {
      expect(step.env[envName(name)], name).toBe(`\${{ inputs.${name} }}`);
      expect(script, name).toContain(`'${envName(name).slice('INPUT_'.length)}'`);
    }
    // No step splices an input into its shell line.
    for (const s of action.runs.steps) expect(String(s.run ?? ''), s.name).not.toContain('inputs.');
  });

  test('node-version sets up Node; every output is read from the script’s step and set by it', () => {
    const setup = action.runs.steps.find((s: any) => String(s.uses).startsWith('actions/setup-node@'));
    expect(setup.with['node-version']).toBe('${{ inputs.node-version }}');
    for (const [name, output] of Object.entries<any>(action.outputs)) {
      expect(output.value, name).toBe(`\${{ steps.run.outputs.${name} }}`);
      expect(script, name).toMatch(new RegExp(`setOutput\\('${name}'|\\['${name}', paths\\.`));
    }
  });
});
