// `/runs/{run_id}/tasks/{task_id}/attempts/{n}/log` (alerts link here): an attempt's log,
// followed while the attempt runs.
//
// It reads the bytes from the last offset (X-Sluice-Log-Complete says whether more may come)
// and, while the attempt runs, keeps one streamed request (&follow=true) open that the server
// ends with the attempt; then it asks once more from the new offset to be sure of the end. If
// streaming does not work (see streamLog), it asks again every second instead.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { paths } from '../api.js';
import { LoadError, StateBadge } from '../components.jsx';
import { duration, formatTime, isActive } from '../format.js';
import { useLive } from '../live.js';
import { Link, links } from '../router.jsx';

const MAX_SHOWN = 4 << 20;  // characters kept on screen; the raw link has the whole log
const POLL_MS = 1000;  // how often to ask when streaming does not work
const STUCK_MS = 3000;  // a stream silent this long while the log grew is held back

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class LogReadError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function readError(response) {
  let message = response.statusText;
  try {
    message = (await response.json())?.error?.message || message;
  } catch {
    // not JSON
  }
  return new LogReadError(response.status, message);
}

/// Follows the log at `url`; calls onText(chunk), onState({complete, error}).
async function followLog(url, signal, onText, onState) {
  const decoder = new TextDecoder();
  let offset = 0;
  let streaming = true;
  while (!signal.aborted) {
    let response;
    try {
      response = await fetch(`${url}?offset=${offset}`, { signal });
    } catch (e) {
      if (signal.aborted) return;
      onState({ complete: false, error: new LogReadError(0, 'the scheduler did not answer') });
      await sleep(2000);
      continue;
    }
    if (!response.ok) {
      onState({ complete: false, error: await readError(response) });
      if (response.status === 404 || response.status >= 500) {
        await sleep(2000);  // the attempt may not have written its log yet
        continue;
      }
      return;
    }
    const buffer = new Uint8Array(await response.arrayBuffer());
    offset += buffer.length;
    const next = Number(response.headers.get('X-Sluice-Log-Next-Offset'));
    if (Number.isFinite(next) && next > offset) offset = next;
    if (buffer.length) onText(decoder.decode(buffer, { stream: true }));
    const complete = response.headers.get('X-Sluice-Log-Complete') === 'true';
    onState({ complete, error: null });
    if (complete) {
      onText(decoder.decode());
      return;
    }
    if (streaming) {
      // Still running: stream until the server ends the response with the attempt.
      streaming = await streamLog(url, offset, signal, (bytes) => {
        offset += bytes.length;
        onText(decoder.decode(bytes, { stream: true }));
      });
      if (signal.aborted) return;
    } else {
      await sleep(POLL_MS);
    }
  }
}

/// Reads `url` from `offset` with &follow=true, handing each piece to onBytes, until the
/// server ends the stream. Returns false when streaming does not work here — the request
/// failed at once, the answer came compressed, or the log grew while the stream stayed
/// silent (a buffering proxy) — so the caller polls instead.
async function streamLog(url, offset, signal, onBytes) {
  const inner = new AbortController();
  const abort = () => inner.abort();
  signal.addEventListener('abort', abort);
  let lastBytes = Date.now();
  let stuck = false;
  let received = offset;
  const watchdog = setInterval(async () => {
    if (Date.now() - lastBytes < STUCK_MS) return;
    try {
      const probe = await fetch(`${url}?offset=${received}`, { signal: inner.signal });
      const grown = (await probe.arrayBuffer()).byteLength > 0;
      if (grown && Date.now() - lastBytes >= STUCK_MS) {
        stuck = true;
        inner.abort();
      }
    } catch {
      // aborted, or the server went away: the stream's own end tells
    }
  }, STUCK_MS);
  const started = Date.now();
  try {
    const stream = await fetch(`${url}?offset=${offset}&follow=true`, { signal: inner.signal });
    // A compressed stream arrives only when the compressor flushes, often at the end.
    if (!stream.ok || !stream.body || stream.headers.get('Content-Encoding')) {
      stream.body?.cancel();
      return false;
    }
    const reader = stream.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      lastBytes = Date.now();
      received += value.length;
      onBytes(value);
    }
  } catch {
    return !stuck && !signal.aborted && Date.now() - started > POLL_MS;
  } finally {
    clearInterval(watchdog);
    signal.removeEventListener('abort', abort);
  }
  // A stream that ends at once, again and again, would be a busy loop: poll instead.
  return Date.now() - started >= POLL_MS;
}

export function LogView({ runId, taskId, attempt }) {
  const url = paths.log(runId, taskId, attempt);
  const ti = useLive(paths.taskInstance(runId, taskId));
  const [text, setText] = useState('');
  const [dropped, setDropped] = useState(0);
  const [status, setStatus] = useState({ complete: false, error: null });
  const [follow, setFollow] = useState(true);
  const pre = useRef(null);

  useEffect(() => {
    setText('');
    setDropped(0);
    setStatus({ complete: false, error: null });
    const controller = new AbortController();
    let pending = '';
    let frame = 0;
    // Chunks arrive faster than the screen refreshes: append once per frame.
    const flush = () => {
      frame = 0;
      const chunk = pending;
      pending = '';
      setText((t) => {
        const all = t + chunk;
        if (all.length <= MAX_SHOWN) return all;
        setDropped((d) => d + all.length - MAX_SHOWN);
        return all.slice(all.length - MAX_SHOWN);
      });
    };
    const onText = (chunk) => {
      if (!chunk) return;
      pending += chunk;
      if (!frame) frame = requestAnimationFrame(flush);
    };
    followLog(url, controller.signal, onText, setStatus);
    return () => {
      controller.abort();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [url]);

  useLayoutEffect(() => {
    if (follow && pre.current) pre.current.scrollTop = pre.current.scrollHeight;
  }, [text, follow]);

  const attempts = ti.data?.attempts || [];
  const current = attempts.find((a) => String(a.attempt) === String(attempt));
  // A log asked for before its attempt started (a link followed early): not an error.
  const waiting = status.error?.status === 404 && ti.data && !current && isActive(ti.data.state);

  return (
    <section aria-labelledby="log-title">
      <div class="head">
        <h1 id="log-title">
          <Link href={links.run(runId)} class="crumb">
            run {runId}
          </Link>{' '}
          / <code>{taskId}</code> / attempt {attempt}
        </h1>
        {current && <StateBadge state={current.state} testid="log-attempt-state" />}
        <span class="muted" data-testid="log-status">
          {status.complete ? 'complete' : status.error ? '' : 'following…'}
        </span>
      </div>
      {current && (
        <p class="muted">
          started {formatTime(current.started_at)}
          {current.started_at && ` · ${duration(current.started_at, current.ended_at)}`}
          {current.exit_code !== null && current.exit_code !== undefined && ` · exit ${current.exit_code}`}
          {current.signal !== null && current.signal !== undefined && ` · signal ${current.signal}`}
        </p>
      )}
      {current?.error && (
        <pre class="attempt-error" data-testid="log-attempt-error">
          {current.error}
        </pre>
      )}
      {attempts.length > 1 && (
        <nav class="attempt-nav" aria-label="Attempts">
          Attempts:{' '}
          {attempts.map((a) => (
            <Link
              key={a.attempt}
              href={links.log(runId, taskId, a.attempt)}
              aria-current={String(a.attempt) === String(attempt) ? 'page' : undefined}
            >
              {a.attempt}
            </Link>
          ))}
        </nav>
      )}
      {waiting ? (
        <p class="muted" data-testid="log-waiting">
          Waiting for attempt {attempt} to start: the task is {ti.data.state.replace(/_/g, ' ')}.
        </p>
      ) : (
        <LoadError error={status.error} what="the log" />
      )}
      <div class="log-tools">
        <label>
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.currentTarget.checked)} /> Scroll with new lines
        </label>
        <a href={`${url}?offset=0`} target="_blank" rel="noopener">
          raw
        </a>
      </div>
      {dropped > 0 && <p class="muted">The first {dropped.toLocaleString('en-US')} characters are not shown; the raw log has them.</p>}
      <pre class="log" ref={pre} data-testid="log-text" tabindex="0" aria-label={`Log of ${taskId}, attempt ${attempt}`}>
        {text || (status.complete ? '(the log is empty)' : '')}
      </pre>
    </section>
  );
}
