// The --replay string round-trips exactly what fast-check needs (seed, path, replayPath).
import { describe, expect, it } from 'vitest';
import { formatReplay, parseReplay, ReplayFormatError } from '../../suites/properties/replay.js';

describe('replay strings', () => {
  it('round-trips a case whose replayPath holds a colon of its own', () => {
    const c = { checkId: 'SESS-ID-4', seed: -968098967, path: '5:3:7:7', replayPath: 'BABCABFM:qC' };
    expect(formatReplay(c)).toBe('SESS-ID-4@-968098967:5:3:7:7:BABCABFM:qC');
    expect(parseReplay(formatReplay(c))).toEqual(c);
  });

  it('accepts a bare <seed>:<path>:<replayPath> and an empty replay half', () => {
    expect(parseReplay('12:0:AK:')).toEqual({ checkId: undefined, seed: 12, path: '0', replayPath: 'AK:' });
  });

  it('rejects strings fast-check never writes, saying what is wrong', () => {
    expect(() => parseReplay('SESS-ID-4@12:3')).toThrow(ReplayFormatError);
    expect(() => parseReplay('x:3:AB:C')).toThrow(/seed/);
    expect(() => parseReplay('1:a:AB:C')).toThrow(/path/);
    expect(() => parseReplay('1:2:A-B:C')).toThrow(/replayPath/);
  });
});
