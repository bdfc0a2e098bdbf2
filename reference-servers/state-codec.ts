// base64 of compact UTF-8 JSON — the state encoding of session_server and client_notes_server.

export function encodeState(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64');
}

/** The decoded JSON value, or undefined when the token is not strict base64 of JSON. */
export function decodeState(token: unknown): unknown {
  if (typeof token !== 'string' || token === '') return undefined;
  // Node's decoder skips characters outside the alphabet; require strict base64 instead.
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(token) || token.length % 4 !== 0) return undefined;
  try {
    return JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
}
