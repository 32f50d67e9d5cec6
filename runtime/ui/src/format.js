// Times arrive as UTC ISO 8601 strings ("2026-12-07T23:00:00Z"; "" or null when unset).

/// "2026-12-07 23:00:05 UTC", or "—" when unset.
export function formatTime(iso) {
  if (!iso) return '—';
  return iso.replace('T', ' ').replace(/\.\d+/, '').replace(/Z$/, ' UTC');
}

/// "3 min ago" / "in 2 h", relative to `now` (ms), or "" when unset.
export function relativeTime(iso, now = Date.now()) {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const seconds = Math.round((t - now) / 1000);
  const text = formatSpan(Math.abs(seconds));
  if (Math.abs(seconds) < 5) return 'now';
  return seconds < 0 ? `${text} ago` : `in ${text}`;
}

/// How long from `start` to `end` (or to now while running): "1.2 s", "4 min 05 s".
export function duration(startIso, endIso, now = Date.now()) {
  if (!startIso) return '';
  const start = Date.parse(startIso);
  const end = endIso ? Date.parse(endIso) : now;
  if (Number.isNaN(start) || Number.isNaN(end)) return '';
  const ms = Math.max(0, end - start);
  if (ms < 10000) return `${(ms / 1000).toFixed(1)} s`;
  return formatSpan(Math.round(ms / 1000));
}

function formatSpan(s) {
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

/// "1,234" for counters; "" for null.
export function count(n) {
  return n === null || n === undefined ? '' : Number(n).toLocaleString('en-US');
}

/// "12.3 MB" for a byte count.
export function bytes(n) {
  if (n === null || n === undefined) return '';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = Number(n);
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(1)} ${units[i]}`;
}

/// The states of runs and task instances, in the words shown beside their colour.
export const stateLabels = {
  queued: 'queued',
  pending: 'pending',
  running: 'running',
  success: 'success',
  failed: 'failed',
  up_for_retry: 'up for retry',
  upstream_failed: 'upstream failed',
  skipped: 'skipped',
  cancelled: 'cancelled',
  timed_out: 'timed out',
  none: 'no run',
};

export function stateLabel(state) {
  return stateLabels[state] || state || 'no run';
}

/// Runs and task instances that may still change.
export function isActive(state) {
  return state === 'queued' || state === 'running' || state === 'pending' || state === 'up_for_retry';
}
