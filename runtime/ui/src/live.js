// Live updates. One EventSource on /api/v1/events for the whole page: every `change` event
// means the scheduler's state changed, and the views refetch what they show. Bursts of
// changes (a run's tasks ending one after another) are folded into one refetch every
// REFRESH_MS at most. When the stream fails (a proxy that buffers, a server without it), the
// page polls every POLL_MS instead until the stream is back.
import { useEffect, useRef, useState } from 'preact/hooks';
import { getJson } from './api.js';

const REFRESH_MS = 300;
const POLL_MS = 5000;

const subscribers = new Set();
let source = null;
let pollTimer = null;
let refreshTimer = null;
let lastRefresh = 0;
let connection = 'connecting';  // 'live' | 'polling' | 'connecting'
const connectionListeners = new Set();

function setConnection(state) {
  if (state === connection) return;
  connection = state;
  for (const l of connectionListeners) l(state);
}

function notifyNow() {
  refreshTimer = null;
  lastRefresh = Date.now();
  for (const s of subscribers) s();
}

/// Asks every view to refetch, at most once per REFRESH_MS.
export function refreshSoon() {
  if (refreshTimer !== null) return;
  const wait = Math.max(0, lastRefresh + REFRESH_MS - Date.now());
  refreshTimer = setTimeout(notifyNow, wait);
}

function startPolling() {
  if (pollTimer === null) pollTimer = setInterval(refreshSoon, POLL_MS);
  setConnection('polling');
}

function stopPolling() {
  if (pollTimer !== null) clearInterval(pollTimer);
  pollTimer = null;
}

function connect() {
  if (source || typeof EventSource === 'undefined') {
    if (!source) startPolling();
    return;
  }
  source = new EventSource('/api/v1/events');
  source.addEventListener('open', () => {
    stopPolling();
    // After a reconnection, fetch whatever changed while the stream was down; the first
    // open needs nothing (the views have just loaded).
    if (connection !== 'connecting') refreshSoon();
    setConnection('live');
  });
  source.addEventListener('change', refreshSoon);
  source.addEventListener('error', () => {
    // The browser reconnects by itself while readyState is CONNECTING; poll meanwhile.
    startPolling();
    if (source.readyState === EventSource.CLOSED) {
      source = null;
      setTimeout(connect, POLL_MS);
    }
  });
}

/// 'live' (the event stream is open), 'polling' or 'connecting'.
export function useConnection() {
  const [state, setState] = useState(connection);
  useEffect(() => {
    connectionListeners.add(setState);
    return () => connectionListeners.delete(setState);
  }, []);
  return state;
}

/// Calls `onChange` whenever the scheduler's state may have changed.
export function useLiveRefresh(onChange) {
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    connect();
    const s = () => latest.current();
    subscribers.add(s);
    return () => subscribers.delete(s);
  }, []);
}

/// The JSON at `path` (null: none), kept fresh by live updates. While a refetch is under way
/// the previous data stays on screen, so the page does not flicker. A change announced while
/// a fetch is in flight fetches again once it is done (never two at once, and a slow answer
/// is never abandoned for a newer request that would be slow too).
/// Returns { data, error, loading, reload }.
export function useLive(path) {
  const [state, setState] = useState({ data: null, error: null, loading: true, path });
  const inflight = useRef(null);  // { path, controller, again }

  const load = () => {
    if (!path) return;
    if (inflight.current && inflight.current.path === path) {
      inflight.current.again = true;
      return;
    }
    inflight.current?.controller.abort();  // an answer for another path: not wanted
    const mine = { path, controller: new AbortController(), again: false };
    inflight.current = mine;
    const done = () => {
      if (inflight.current !== mine) return;
      inflight.current = null;
      if (mine.again) load();
    };
    getJson(path, { signal: mine.controller.signal }).then(
      (data) => {
        if (inflight.current === mine) setState({ data, error: null, loading: false, path });
        done();
      },
      (error) => {
        if (error.name === 'AbortError' || inflight.current !== mine) return;
        setState((s) => ({ data: s.path === path ? s.data : null, error, loading: false, path }));
        done();
      },
    );
  };

  useEffect(() => {
    setState((s) => (s.path === path ? s : { data: null, error: null, loading: true, path }));
    load();
    return () => {
      inflight.current?.controller.abort();
      inflight.current = null;
    };
  }, [path]);
  useLiveRefresh(load);

  // A stale answer for the previous path is never shown for the new one.
  const current = state.path === path ? state : { data: null, error: null, loading: true };
  return { data: current.data, error: current.error, loading: current.loading, reload: load };
}
