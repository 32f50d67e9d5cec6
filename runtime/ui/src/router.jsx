// Client-side routes. The scheduler answers every path outside /api/ and /metrics with
// index.html, so a view's address can be bookmarked, reloaded and linked from an alert.
import { useEffect, useState } from 'preact/hooks';

const listeners = new Set();

export function navigate(to) {
  if (to === location.pathname + location.search) return;
  history.pushState(null, '', to);
  for (const l of listeners) l();
}

/// The current path; re-renders on navigation and the browser's back/forward.
export function usePath() {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    listeners.add(update);
    addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      removeEventListener('popstate', update);
    };
  }, []);
  return path;
}

const routes = [
  ['log', /^\/runs\/([^/]+)\/tasks\/([^/]+)\/attempts\/(\d+)\/log\/?$/, ['runId', 'taskId', 'attempt']],
  ['run', /^\/runs\/([^/]+)\/?$/, ['runId']],
  ['dag', /^\/dags\/([^/]+)\/?$/, ['dagId']],
  ['dags', /^\/(?:dags\/?)?$/, []],
];

/// { name, params } of `path`, or { name: 'missing' }.
export function match(path) {
  for (const [name, re, keys] of routes) {
    const m = re.exec(path);
    if (m) {
      const params = {};
      keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1])));
      return { name, params };
    }
  }
  return { name: 'missing', params: {} };
}

const enc = encodeURIComponent;
export const links = {
  dags: () => '/',
  dag: (dagId) => `/dags/${enc(dagId)}`,
  run: (runId) => `/runs/${enc(runId)}`,
  log: (runId, taskId, attempt) =>
    `/runs/${enc(runId)}/tasks/${enc(taskId)}/attempts/${enc(attempt)}/log`,
};

/// An <a> that navigates without reloading (a modified click still opens a new tab).
export function Link({ href, children, ...rest }) {
  const onClick = (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}
