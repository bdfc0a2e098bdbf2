// The catalog: every check of the suite, sorted by id. A profile decides which of them run.
import type { CheckDef } from './check.js';
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
  // Ids are [A-Z0-9-]: code-unit order equals localeCompare's, without loading ICU at start-up.
].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
