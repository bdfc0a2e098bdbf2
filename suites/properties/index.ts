// The property-based part of the suite. Importing this module registers the protocol model
// (suites/model-findings.ts) and gives the catalog SESS-ISO-1.
import type { CheckDef } from '../check.js';
import './protocol-model.js';
import { SESS_ISO_1 } from './isolation.js';

export const propertyChecks: CheckDef[] = [SESS_ISO_1];
