// The application models, by reference application name (harness/discovery.ts REFERENCE_APPS).
import { clientNotesModel } from './client-notes.js';
import { hashcheckModel } from './hashcheck.js';
import { notebookModel } from './notebook.js';
import { selectiveModel } from './selective.js';
import { sessionRequiredModel, sessionServerModel } from './call-counts.js';
import type { AppModel } from './types.js';

export const APP_MODELS: Record<string, AppModel<any>> = Object.fromEntries(
  [notebookModel, hashcheckModel, selectiveModel, clientNotesModel, sessionRequiredModel, sessionServerModel].map((m) => [m.app, m]),
);

export type { AppModel, AppOperation } from './types.js';
