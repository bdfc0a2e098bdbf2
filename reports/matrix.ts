// Several targets side by side (e.g. `--reference all`): one row per server, one column per
// section holding the worst outcome of that section, then the verdict.
import type { CheckResult, RunResult } from '../runner/types.js';
import { painter, visible, type Style } from './ansi.js';
import { isProblem, orderedSections, verdictLabel } from './model.js';

export type MatrixCell = 'pass' | 'warn' | 'fail' | 'incomplete' | 'skip' | '-';

const CELL_STYLE: Record<MatrixCell, Style> = { pass: 'green', warn: 'yellow', fail: 'red', incomplete: 'yellow', skip: 'dim', '-': 'dim' };

/**
 * Worst status of a section: any problem judged fails it, an unjudged check makes it
 * incomplete, any warning warns, all skipped is skip, none is "-".
 */
export function sectionCell(checks: readonly CheckResult[]): MatrixCell {
  if (checks.length === 0) return '-';
  if (checks.some((c) => isProblem(c.status) && c.status !== 'incomplete')) return 'fail';
  if (checks.some((c) => c.status === 'incomplete')) return 'incomplete';
  if (checks.some((c) => c.status === 'warn')) return 'warn';
  if (checks.every((c) => c.status === 'skip')) return 'skip';
  return 'pass';
}

export function formatMatrix(runs: { server: string; run: RunResult }[], opts: { color: boolean }): string {
  const paint = painter(opts.color);
  const sections = orderedSections(runs.flatMap((r) => r.run.checks));
  const header = ['server', ...sections, 'verdict'];
  const rows = runs.map(({ server, run }) => [
    visible(server),
    ...sections.map((s) => sectionCell(run.checks.filter((c) => c.section === s))),
    verdictLabel(run.verdict),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  // Pad before painting: escape codes have no width on screen but would count in padEnd.
  const line = (cells: string[], styleOf: (cell: string, i: number) => Style | undefined): string =>
    cells
      .map((cell, i) => {
        const padded = i === cells.length - 1 ? cell : cell.padEnd(widths[i]!);
        const style = styleOf(cell, i);
        return style ? paint(style, padded) : padded;
      })
      .join('  ')
      .trimEnd();
  const out = [line(header, () => 'bold')];
  for (const row of rows) {
    out.push(
      line(row, (cell, i) => {
        if (i === 0) return undefined;
        if (i === row.length - 1) return cell === 'conformant' ? 'green' : cell === 'ERROR' ? 'magenta' : cell === 'INCOMPLETE' ? 'yellow' : 'red';
        return CELL_STYLE[cell as MatrixCell];
      }),
    );
  }
  const count = (v: RunResult['verdict']) => runs.filter((r) => r.run.verdict === v).length;
  out.push(
    '',
    `total: ${runs.length} server${runs.length === 1 ? '' : 's'}, ${count('conformant')} conformant, ` +
      `${count('non-conformant')} not conformant${count('incomplete') > 0 ? `, ${count('incomplete')} incomplete` : ''}, ${count('error')} error`,
  );
  return `${out.join('\n')}\n`;
}
