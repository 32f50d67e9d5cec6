// Small pieces every view uses: state badges and squares (colour plus words, never colour
// alone), action buttons that report their outcome, notices, and the API token dialog.
import { useEffect, useRef, useState } from 'preact/hooks';
import { describeError, setTokenPrompt } from './api.js';
import { refreshSoon } from './live.js';
import { stateLabel, stateLabels } from './format.js';

export function StateBadge({ state, testid }) {
  const s = state || 'none';
  return (
    <span class={`badge st-${s}`} data-testid={testid} data-state={s}>
      {stateLabel(s)}
    </span>
  );
}

/// A square coloured by `state`; its accessible name says the state in words.
export function StateSquare({ state, label, href, onClick, testid, selected }) {
  const s = state || 'none';
  const name = `${label ? label + ': ' : ''}${stateLabel(s)}`;
  const cls = `sq st-${s}${selected ? ' selected' : ''}`;
  if (href) {
    // The title is the link's accessible name too (no aria-label: the DAG list has thousands).
    return <a class={cls} href={href} onClick={onClick} title={name} data-testid={testid} data-state={s} />;
  }
  if (onClick) {
    return (
      <button type="button" class={cls} onClick={onClick} title={name} aria-label={name} aria-pressed={selected ? 'true' : undefined} data-testid={testid} data-state={s} />
    );
  }
  return <span class={cls} title={name} role="img" aria-label={name} data-testid={testid} data-state={s} />;
}

export function Legend({ states }) {
  return (
    <ul class="legend" aria-label="State colours">
      {(states || Object.keys(stateLabels)).map((s) => (
        <li key={s}>
          <span class={`sq st-${s}`} aria-hidden="true" /> {stateLabel(s)}
        </li>
      ))}
    </ul>
  );
}

// ---- notices: the outcome of an action, shown until dismissed or replaced ----

let noticeId = 0;
const noticeListeners = new Set();
let notices = [];

function publish(next) {
  notices = next;
  for (const l of noticeListeners) l(notices);
}

/// Shows `text`; kind 'error' stays until dismissed, 'ok' goes after a few seconds.
export function notify(text, kind = 'ok') {
  const id = ++noticeId;
  publish([...notices.slice(-3), { id, text, kind }]);
  if (kind === 'ok') setTimeout(() => dismiss(id), 6000);
}

function dismiss(id) {
  publish(notices.filter((n) => n.id !== id));
}

export function Notices() {
  const [list, setList] = useState(notices);
  useEffect(() => {
    noticeListeners.add(setList);
    return () => noticeListeners.delete(setList);
  }, []);
  return (
    <div class="notices" aria-live="polite">
      {list.map((n) => (
        <div key={n.id} class={`notice ${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'} data-testid={`notice-${n.kind}`}>
          <span>{n.text}</span>
          <button type="button" class="link" onClick={() => dismiss(n.id)} aria-label="Dismiss">
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

/// Runs `action` (a promise) and reports the outcome: `done(result)` gives the success notice,
/// failures are described in words ("Could not WHAT: ..."). Returns [run, busy].
export function useAction({ action, what, done }) {
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const result = await action();
      const text = done ? done(result) : '';
      if (text) notify(text, 'ok');
      refreshSoon();
    } catch (e) {
      notify(describeError(what, e), 'error');
    } finally {
      setBusy(false);
    }
  };
  return [run, busy];
}

/// A button that runs `action` (useAction) and disables itself meanwhile.
export function ActionButton({ action, what, done, children, testid, class: cls, disabled, title }) {
  const [onClick, busy] = useAction({ action, what, done });
  return (
    <button type="button" class={cls || 'btn'} onClick={onClick} disabled={busy || disabled} aria-busy={busy ? 'true' : undefined} data-testid={testid} title={title}>
      {children}
    </button>
  );
}

/// A button that opens a modal form; submitting it runs `action` (useAction) and closes the
/// form when it succeeds. Test ids: TESTID (the button), TESTID-dialog, TESTID-submit.
export function ActionDialog({ label, title, intro, submitLabel, testid, buttonTitle, action, what, done, onOpen, children }) {
  const dialog = useRef(null);
  const [run, busy] = useAction({
    action,
    what,
    done: (result) => {
      dialog.current?.close();
      return done(result);
    },
  });
  const open = () => {
    onOpen?.();
    dialog.current?.showModal();
  };
  const submit = (e) => {
    e.preventDefault();
    run();
  };
  return (
    <>
      <button type="button" class="btn" onClick={open} data-testid={testid} title={buttonTitle}>
        {label}
      </button>
      <dialog ref={dialog} class="form-dialog" aria-labelledby={`${testid}-title`} data-testid={`${testid}-dialog`}>
        <form onSubmit={submit}>
          <h2 id={`${testid}-title`}>{title}</h2>
          {intro && <p class="muted">{intro}</p>}
          {children}
          <div class="row">
            <button type="submit" class="btn primary" disabled={busy} aria-busy={busy ? 'true' : undefined} data-testid={`${testid}-submit`}>
              {submitLabel}
            </button>
            <button type="button" class="btn" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}

// ---- the API token dialog ----

/// Mounted once; api.js calls it when a mutation is refused (401/403).
export function TokenDialog() {
  const dialog = useRef(null);
  const input = useRef(null);
  const pending = useRef(null);
  const [reason, setReason] = useState('');

  useEffect(() => {
    setTokenPrompt(
      (refusal) =>
        new Promise((resolve) => {
          pending.current?.(null);
          pending.current = resolve;
          setReason(refusal);
          if (input.current) input.current.value = '';
          dialog.current?.showModal();
          input.current?.focus();
        }),
    );
    return () => setTokenPrompt(null);
  }, []);

  const finish = (value) => {
    const resolve = pending.current;
    pending.current = null;
    if (dialog.current?.open) dialog.current.close();
    resolve?.(value);
  };
  const submit = (e) => {
    e.preventDefault();
    const token = input.current.value.trim();
    if (token) finish(token);
  };

  return (
    <dialog ref={dialog} class="token-dialog" aria-labelledby="token-title" onCancel={() => finish(null)} data-testid="token-dialog">
      <form onSubmit={submit}>
        <h2 id="token-title">API token needed</h2>
        <p>
          Triggering, pausing and clearing need the scheduler's API token: the value of{' '}
          <code>SLUICE_API_TOKEN</code> in the scheduler's environment, or the contents of the file{' '}
          <code>HOME/api-token</code> (HOME being the scheduler's <code>--home</code>, by default{' '}
          <code>./.sluice</code>), or of the file given with <code>--api-token-file</code>. This
          browser keeps it until you clear its site data.
        </p>
        {reason && <p class="refusal">The server said: {reason}</p>}
        <label>
          API token
          <input ref={input} type="password" name="token" autocomplete="off" required data-testid="token-input" />
        </label>
        <div class="row">
          <button type="submit" class="btn primary" data-testid="token-save">
            Save and retry
          </button>
          <button type="button" class="btn" onClick={() => finish(null)}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}

/// A broken DAG file's errors (FILE:LINE:COL: error: WHAT — HOW TO FIX), one per item.
export function DagErrorList({ errors }) {
  return (
    <ul>
      {(errors || []).map((e, i) => (
        <li key={i}>
          <code>{e}</code>
        </li>
      ))}
    </ul>
  );
}

/// The message of a failed load, in words, with what it tried.
export function LoadError({ error, what }) {
  if (!error) return null;
  return (
    <p class="load-error" role="alert" data-testid="load-error">
      {describeError(`load ${what}`, error)}
    </p>
  );
}
