// The bundled reference servers' applications (D15): each is named by its server and known by
// the tools it lists. Its own module, so that the CLI can check --app without loading discovery.
export const REFERENCE_APPS: Record<string, string[]> = {
  session_server: ['session_probe'],
  session_required_server: ['echo', 'whoami'],
  notebook_server: ['notebook_append', 'notebook_clear', 'notebook_read', 'notebook_status'],
  hashcheck_server: ['hashcheck_delete', 'hashcheck_list', 'hashcheck_store', 'hashcheck_verify'],
  selective_session_server: ['public_echo', 'session_counter_get', 'session_counter_inc', 'session_reset', 'session_start'],
  client_notes_server: ['client_notes_add', 'client_notes_clear', 'client_notes_list', 'client_notes_status'],
};
