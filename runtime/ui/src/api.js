// The scheduler's JSON API (docs/ui.md, docs/api): GETs for the views, POSTs for the buttons.
//
// Mutations carry `Authorization: Bearer TOKEN`. The token is kept in localStorage; when the
// server answers 401 or 403 the token dialog (TokenDialog.jsx) asks for one and the call is
// tried again with it. Every failure becomes an ApiError whose message is plain words.

const TOKEN_KEY = 'sluice.apiToken';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export function storedToken() {
  try {
    return localStorage.getItem(TOKEN_KEY) || '';
  } catch {
    return '';  // storage disabled: the token lasts as long as the page
  }
}

export function storeToken(token) {
  try {
    if (token) localStorage.setItem(TOKEN_KEY, token);
    else localStorage.removeItem(TOKEN_KEY);
  } catch {
    // storage disabled: nothing to keep
  }
}

// The token dialog registers itself here; requestToken() resolves with the token the user
// typed, or null when they cancelled.
let tokenPrompt = null;
export function setTokenPrompt(prompt) {
  tokenPrompt = prompt;
}

async function errorFrom(response) {
  let message = '';
  try {
    const body = await response.json();
    message = body?.error?.message || '';
  } catch {
    // not JSON: a proxy's page or a dropped connection
  }
  if (!message) message = response.statusText || 'the server gave no reason';
  return new ApiError(response.status, message);
}

async function send(method, path, body, token) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    return await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'the scheduler did not answer (is `sluice scheduler` running?)');
  }
}

// The answer index.html asked for before the scripts loaded, taken once.
function takePrefetched(path) {
  const prefetched = window.__sluicePrefetch?.[path];
  if (prefetched) delete window.__sluicePrefetch[path];
  return prefetched;
}

/// GET `path` and parse its JSON.
export async function getJson(path, { signal } = {}) {
  let response;
  try {
    response = await (takePrefetched(path) || fetch(path, { headers: { Accept: 'application/json' }, signal }));
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'the scheduler did not answer (is `sluice scheduler` running?)');
  }
  if (!response.ok) throw await errorFrom(response);
  return response.json();
}

/// POST `body` (JSON) to `path`; asks for the API token when the server refuses the one sent.
export async function post(path, body) {
  let token = storedToken();
  for (;;) {
    const response = await send('POST', path, body, token);
    if (response.ok) return response.json();
    if ((response.status === 401 || response.status === 403) && tokenPrompt) {
      const refused = await errorFrom(response);
      const typed = await tokenPrompt(token ? refused.message : '');
      if (typed === null) throw new ApiError(response.status, 'cancelled: no API token given');
      storeToken(typed);
      token = typed;
      continue;
    }
    throw await errorFrom(response);
  }
}

/// "Could not trigger x: <message>" for an action's failure, in words a user can act on.
export function describeError(what, error) {
  if (!(error instanceof ApiError)) return `Could not ${what}: ${error?.message || error}`;
  const status = error.status ? ` (HTTP ${error.status})` : '';
  return `Could not ${what}: ${error.message}${status}`;
}

const enc = encodeURIComponent;
export const paths = {
  health: () => '/api/v1/health',
  dags: () => '/api/v1/dags',
  dag: (dagId) => `/api/v1/dags/${enc(dagId)}`,
  source: (dagId) => `/api/v1/dags/${enc(dagId)}/source`,
  grid: (dagId, limit = 25) => `/api/v1/dags/${enc(dagId)}/grid?limit=${limit}`,
  run: (runId) => `/api/v1/runs/${enc(runId)}`,
  runs: (dagId, limit = 50) => `/api/v1/runs?dag_id=${enc(dagId)}&limit=${limit}`,
  taskInstance: (runId, taskId) => `/api/v1/runs/${enc(runId)}/tasks/${enc(taskId)}`,
  output: (runId, taskId) => `/api/v1/runs/${enc(runId)}/tasks/${enc(taskId)}/output`,
  log: (runId, taskId, attempt) =>
    `/api/v1/runs/${enc(runId)}/tasks/${enc(taskId)}/attempts/${enc(attempt)}/log`,
  alerts: (runId) => `/api/v1/alerts?run_id=${enc(runId)}&limit=50`,
  trigger: (dagId) => `/api/v1/dags/${enc(dagId)}/trigger`,
  backfill: (dagId) => `/api/v1/dags/${enc(dagId)}/backfill`,
  pause: (dagId, paused) => `/api/v1/dags/${enc(dagId)}/${paused ? 'pause' : 'unpause'}`,
  clear: (runId) => `/api/v1/runs/${enc(runId)}/clear`,
  retry: (runId) => `/api/v1/runs/${enc(runId)}/retry`,
  events: () => '/api/v1/events',
};
