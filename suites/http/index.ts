// Checks of the Streamable HTTP transport (skipped on stdio runs).
import type { CheckDef } from '../check.js';
import { HTTP_CONN_1 } from './connections.js';
import { HTTP_NOTIF_1, HTTP_RESP_1 } from './response.js';
import { HTTP_MIRROR_1, HTTP_SESSION_1 } from './session.js';

export { HTTP_CONN_1, HTTP_MIRROR_1, HTTP_NOTIF_1, HTTP_RESP_1, HTTP_SESSION_1 };

export const httpChecks: CheckDef[] = [HTTP_RESP_1, HTTP_NOTIF_1, HTTP_SESSION_1, HTTP_MIRROR_1, HTTP_CONN_1];
