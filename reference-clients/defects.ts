// The one switch that turns the reference client into a broken client: each broken client in
// broken/ is the reference client with exactly one of these defects (shared code, not copies).

export type Defect =
  | 'none'
  | 'stale-state' //       CLI-STATE-1: keeps the state of sessions/create and never takes a newer one
  | 'mutated-state' //     CLI-STATE-2: percent-encodes the state before sending it back
  | 'create-with-meta' //  CLI-CREATE-1: puts session metadata of its own choosing on sessions/create
  | 'keeps-revoked' //     CLI-ERR-1: ignores -32043 and goes on using the session
  | 'never-deletes' //     CLI-DELETE-1: forgets sessions locally without sessions/delete
  | 'leaks-across-servers' // CLI-BIND-1: the second server's after-recreate probe carries the first server's session
  | 'reuses-request-ids'; // CLI-ID-1: every request goes out with JSON-RPC id 1
