// Base protocol checks (reported as their own group): lifecycle, wire format, ids,
// notifications, unknown methods, parse errors.
import type { CheckDef } from './check.js';
import { BASE_ID_1 } from './base-ids.js';
import { BASE_METHOD_1, BASE_NOTIF_1, BASE_PARSE_1 } from './base-rpc.js';
import { BASE_INIT_1, BASE_WIRE_1, BASE_WIRE_2 } from './base-wire.js';

export { BASE_ID_1, BASE_INIT_1, BASE_METHOD_1, BASE_NOTIF_1, BASE_PARSE_1, BASE_WIRE_1, BASE_WIRE_2 };

export const baseChecks: CheckDef[] = [BASE_INIT_1, BASE_WIRE_1, BASE_WIRE_2, BASE_ID_1, BASE_NOTIF_1, BASE_METHOD_1, BASE_PARSE_1];
