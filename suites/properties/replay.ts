// The replay string: what `--replay` carries back to rerun exactly one shrunk counterexample.
//
// Format:  <CHECK-ID>@<seed>:<path>:<replayPath>     e.g.  SESS-ID-4@-968098967:5:3:7:7:BABCABFM:qC
//   CHECK-ID   the check whose violation the case shows (which model, and which id to judge)
//   seed       fast-check's seed of the run that failed (an integer)
//   path       fast-check's counterexample path: colon-separated integers ("7:3:0:1")
//   replayPath the commands' replay hint as fast-check writes it: "<counts>:<changes>", two runs
//              of base64 letters around one colon ("BABCABFM:qC"; either side may be empty)
// So the string is split as: seed = first field, replayPath = last two fields, path = the rest.
// The check id may be left out (`<seed>:<path>:<replayPath>`): the case is then judged for the
// check that asks for the model run. fast-check needs all three of seed, path and replayPath
// to rebuild a command sequence exactly (seed and path alone throw "wrong path").

import type { CheckContext } from '../check.js';

export interface ReplayCase {
  checkId?: string;
  seed: number;
  path: string;
  replayPath: string;
}

export class ReplayFormatError extends Error {}

export function formatReplay(c: ReplayCase): string {
  return `${c.checkId ? `${c.checkId}@` : ''}${c.seed}:${c.path}:${c.replayPath}`;
}

export function parseReplay(text: string): ReplayCase {
  const at = text.indexOf('@');
  const checkId = at >= 0 ? text.slice(0, at).trim().toUpperCase() : undefined;
  const rest = at >= 0 ? text.slice(at + 1) : text;
  const fields = rest.split(':');
  if (fields.length < 4) {
    throw new ReplayFormatError(`--replay ${JSON.stringify(text)}: expected <CHECK-ID>@<seed>:<path>:<replayPath> (replayPath holds one colon itself)`);
  }
  const seedText = fields[0]!;
  const path = fields.slice(1, -2).join(':');
  const replayPath = fields.slice(-2).join(':');
  if (!/^-?\d+$/.test(seedText)) throw new ReplayFormatError(`--replay: seed ${JSON.stringify(seedText)} is not an integer`);
  if (!/^\d+(:\d+)*$/.test(path)) throw new ReplayFormatError(`--replay: path ${JSON.stringify(path)} is not colon-separated integers`);
  if (!/^[A-Za-z0-9+/]*:[A-Za-z0-9+/]*$/.test(replayPath)) throw new ReplayFormatError(`--replay: replayPath ${JSON.stringify(replayPath)} has characters fast-check never writes`);
  return { checkId: checkId || undefined, seed: Number(seedText), path, replayPath };
}

/** Single-quotes a word for a POSIX shell (the replay string never holds a quote, but be safe). */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9_\/.:=@%+,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The replay request, if it is meant for this model (another check's id is ignored). */
export function replayFor(ctx: CheckContext, accepts: (checkId: string) => boolean): ReplayCase | undefined {
  if (!ctx.replay) return undefined;
  const replay = parseReplay(ctx.replay);
  if (replay.checkId !== undefined && !accepts(replay.checkId)) return undefined;
  return replay;
}

/** Fast-check's seed for a model: the run seed, mixed with the model's name. */
export function modelSeed(runSeed: number, name: string): number {
  let hash = runSeed >>> 0;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return hash | 0;
}
