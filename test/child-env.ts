// Node 20 reads the file NODE_EXTRA_CA_CERTS names at every process start, needed or not:
// measured on this project's machine, where the variable names the system's CA bundle, a bare
// `node -e 0` takes ~0.1 s of CPU with it and ~0.03 s without. A test run starts ~1 700 Node
// processes (CLI runs, targets, vitest's workers), and none of them opens a TLS connection: the
// broken servers' runs alone (138 CLI runs, one after another) took 127 s of CPU with it and 88 s
// without, every verdict and start count the same. So it is taken out here, before vitest starts
// its workers, and kept aside in MSC_TEST_NODE_EXTRA_CA_CERTS for the one test that reaches the
// npm registry (test/cli/pack.test.ts: `withRegistryCerts`). The CLI itself never drops it: a
// user's `--url https://…` target or a target of their own may need it.
export default function setup(): (() => void) | undefined {
  // Each vitest project runs its global setup: the first one moves the variable.
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  if (extra === undefined) return undefined;
  process.env.MSC_TEST_NODE_EXTRA_CA_CERTS = extra;
  delete process.env.NODE_EXTRA_CA_CERTS;
  return () => {
    process.env.NODE_EXTRA_CA_CERTS = extra;
    delete process.env.MSC_TEST_NODE_EXTRA_CA_CERTS;
  };
}

/** The environment for a child that reaches the network (npm): the CA certificates put back. */
export function withRegistryCerts(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const extra = process.env.MSC_TEST_NODE_EXTRA_CA_CERTS;
  return extra === undefined ? env : { ...env, NODE_EXTRA_CA_CERTS: extra };
}
