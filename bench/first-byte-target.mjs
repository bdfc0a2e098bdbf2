// A stand-in target for the bench: writes when its process started (epoch ms, high resolution)
// to the file named by BENCH_MARK, then exits at its first input line. The CLI's own start is
// the time from the CLI's spawn to this process's start: the CLI writes initialize right after.
import { writeFileSync } from 'node:fs';

writeFileSync(process.env.BENCH_MARK, String(performance.timeOrigin));
process.stdin.once('data', () => process.exit(1));
