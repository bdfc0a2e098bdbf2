// Preloaded into the CLI by bench/run.mjs (node -r): writes the CLI process's own CPU seconds
// (user + system, its targets excluded) to $BENCH_CLI_CPU when it exits.
const file = process.env.BENCH_CLI_CPU;
if (file) {
  process.on('exit', () => {
    const { user, system } = process.cpuUsage();
    require('node:fs').writeFileSync(file, String((user + system) / 1e6));
  });
}
