// The command line's files are checked before the run: a report path that cannot be written, a
// malformed --expected-failures file or a --cwd that is no directory is a usage error (exit 2)
// with one clear line, and the target is never started.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT, runCli } from '../conformance/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'msc-files-'));
const aFile = join(dir, 'a-file');
writeFileSync(aFile, 'not a directory\n');
const aDir = join(dir, 'a-dir');
mkdirSync(aDir);
const badJson = join(dir, 'expected.json');
writeFileSync(badJson, '[{"id": "SESS-REQ-1",\n');
const notArray = join(dir, 'expected-object.json');
writeFileSync(notArray, '{"id": "SESS-REQ-1"}\n');
const noId = join(dir, 'expected-no-id.json');
writeFileSync(noId, '[{"reason": "known"}]\n');
const CONFORMANT = join(ROOT, 'test/fixtures/misbehaving/conformant.mjs');

/** A target that leaves a file behind when it is started: none of these runs may start it. */
function target(name: string): { server: string; started: string } {
  const started = join(dir, `started-${name}`);
  return { server: `touch '${started}' && exec "${process.execPath}" "${CONFORMANT}"`, started };
}

// /sys refuses new files even to root (EACCES), /proc cannot hold them (ENOENT): the realistic
// unwritable places on a machine where the tests run as root.
const CASES: { name: string; args: string[]; line: RegExp }[] = [
  { name: '--json under a file', args: ['--json', join(aFile, 'report.json')], line: /--json .*a-file\/report\.json: .*a-file is a file, not a directory/ },
  { name: '--json in an unwritable directory', args: ['--json', '/sys/report.json'], line: /--json \/sys\/report\.json: cannot create files in \/sys \(permission denied\)/ },
  { name: '--junit under /proc', args: ['--junit', '/proc/msc/report.xml'], line: /--junit \/proc\/msc\/report\.xml: cannot create files in \/proc/ },
  { name: '--markdown naming a directory', args: ['--markdown', aDir], line: /--markdown .*a-dir: is a directory; name a file/ },
  { name: '--html naming a directory', args: ['--html', aDir], line: /--html .*a-dir: is a directory; name a file/ },
  { name: '--transcripts naming a file', args: ['--transcripts', aFile], line: /--transcripts .*a-file: is a file, not a directory/ },
  { name: '--transcripts under /sys', args: ['--transcripts', '/sys/kernel/msc'], line: /--transcripts \/sys\/kernel\/msc: cannot create files in \/sys\/kernel \(permission denied\)/ },
  { name: 'malformed --expected-failures JSON', args: ['--expected-failures', badJson], line: /--expected-failures .*expected\.json: not valid JSON/ },
  { name: '--expected-failures JSON that is not a list', args: ['--expected-failures', notArray], line: /--expected-failures .*: expected a JSON array/ },
  { name: '--expected-failures entry without an id', args: ['--expected-failures', noId], line: /--expected-failures .*: entry 1 has no "id" string/ },
  { name: 'missing --expected-failures file', args: ['--expected-failures', join(dir, 'absent.txt')], line: /--expected-failures .*absent\.txt: cannot read it \(no such file or directory\)/ },
  { name: '--cwd that does not exist', args: ['--cwd', '/nonexistent/msc'], line: /--cwd \/nonexistent\/msc: no such file or directory/ },
  { name: '--cwd naming a file', args: ['--cwd', aFile], line: /--cwd .*a-file: is a file, not a directory/ },
];

describe.concurrent('file arguments are checked before the run', () => {
  test.each(CASES)('$name → exit 2 with one line, target never started', async (c) => {
    const { server, started } = target(c.name.replace(/\W+/g, '-'));
    const run = await runCli(['--server', server, '-q', ...c.args]);
    const context = `exit ${run.code}\nstderr: ${run.stderr}\nstdout: ${run.stdout.slice(-1000)}`;
    expect(run.code, context).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines[0], context).toMatch(c.line);
    expect(lines[0], context).toMatch(/^mcp-session-conformance: /);
    expect(run.stderr, context).not.toMatch(/\n\s+at |Error:|internal error/);
    expect(lines.length, context).toBe(1);
    expect(existsSync(started), 'the target was started').toBe(false);
    expect(run.json, 'no report of a run that did not happen').toBeUndefined();
  });

  test('a report path whose directories do not exist yet is fine: they are created', async () => {
    const nested = join(dir, 'new', 'deeper', 'report.json');
    const { server } = target('nested');
    const run = await runCli(['--server', server, '-q', '--json', nested, '--runs', '5']);
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(nested)).toBe(true);
  }, 60_000);
});
