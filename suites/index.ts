// The catalog: every check of the suite, sorted by id. A profile decides which of them run.
import type { CheckDef } from './check.js';
import { byCodeUnits } from '../harness/values.js';
import { capabilityChecks } from './capability.js';
import { createChecks } from './create.js';
import { idChecks } from './ids.js';
import { useChecks } from './use.js';
import { stateChecks } from './state.js';
import { expiryChecks } from './expiry.js';
import { errorChecks } from './errors.js';
import { requiredChecks } from './required.js';
import { deleteChecks } from './delete.js';
import { isolationChecks } from './isolation.js';
import { baseChecks } from './base.js';
import { httpChecks } from './http/index.js';
import { propertyChecks } from './properties/index.js';

export const ALL_CHECKS: CheckDef[] = [
  ...capabilityChecks,
  ...createChecks,
  ...idChecks,
  ...useChecks,
  ...stateChecks,
  ...expiryChecks,
  ...errorChecks,
  ...requiredChecks,
  ...deleteChecks,
  ...isolationChecks,
  ...baseChecks,
  ...httpChecks,
  ...propertyChecks,
].sort((a, b) => byCodeUnits(a.id, b.id));
