// "Trigger with params…": a dialog listing the DAG's declared params, filled with their
// defaults; the run gets the values changed here (as `sluice dags trigger --param`).
import { useRef, useState } from 'preact/hooks';
import { describeError, paths, post } from '../api.js';
import { notify } from '../components.jsx';
import { refreshSoon } from '../live.js';

export function TriggerWithParamsButton({ dag, onTriggered }) {
  const dialog = useRef(null);
  const [values, setValues] = useState({});
  const [busy, setBusy] = useState(false);
  const params = dag.params || [];
  if (!dag.valid || params.length === 0) return null;

  const open = () => {
    setValues(Object.fromEntries(params.map((p) => [p.name, p.default])));
    dialog.current?.showModal();
  };
  const submit = async (e) => {
    e.preventDefault();
    // Only what differs from the defaults: the run records its overrides.
    const changed = Object.fromEntries(params.filter((p) => values[p.name] !== p.default).map((p) => [p.name, values[p.name]]));
    setBusy(true);
    try {
      const r = await post(paths.trigger(dag.dag_id), { params: changed });
      dialog.current?.close();
      const what = Object.keys(changed).length ? ` with ${Object.keys(changed).join(', ')} set` : '';
      notify(`Triggered ${dag.dag_id}${what}: run ${r.run_id} is ${r.state}.`, 'ok');
      onTriggered?.(r);
      refreshSoon();
    } catch (err) {
      notify(describeError(`trigger ${dag.dag_id}`, err), 'error');
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" class="btn" onClick={open} data-testid="trigger-with-params" title={`Start a run of ${dag.dag_id} with other param values`}>
        Trigger with params…
      </button>
      <dialog ref={dialog} class="params-dialog" aria-labelledby="params-title" data-testid="params-dialog">
        <form onSubmit={submit}>
          <h2 id="params-title">Trigger {dag.dag_id}</h2>
          <p class="muted">The DAG's params, filled with their defaults. Change what this run needs.</p>
          {params.map((p) => (
            <label key={p.name}>
              <code>{p.name}</code>
              <input
                type="text"
                value={values[p.name] ?? ''}
                onInput={(e) => setValues({ ...values, [p.name]: e.currentTarget.value })}
                data-testid={`param-${p.name}`}
                spellcheck={false}
              />
            </label>
          ))}
          <div class="row">
            <button type="submit" class="btn primary" disabled={busy} aria-busy={busy ? 'true' : undefined} data-testid="params-trigger">
              Trigger
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
