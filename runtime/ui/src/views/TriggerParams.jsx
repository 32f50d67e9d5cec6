// "Trigger with params…": a dialog listing the DAG's declared params, filled with their
// defaults; the run gets the values changed here (as `sluice dags trigger --param`).
import { useRef, useState } from 'preact/hooks';
import { paths, post } from '../api.js';
import { useAction } from '../components.jsx';

export function TriggerWithParamsButton({ dag, onTriggered }) {
  const dialog = useRef(null);
  const [values, setValues] = useState({});
  const params = dag.params || [];
  // Only what differs from the defaults: the run records its overrides.
  const changed = Object.fromEntries(
    params.filter((p) => values[p.name] !== p.default).map((p) => [p.name, values[p.name]]),
  );
  const [trigger, busy] = useAction({
    what: `trigger ${dag.dag_id}`,
    action: () => post(paths.trigger(dag.dag_id), { params: changed }),
    done: (r) => {
      dialog.current?.close();
      onTriggered?.(r);
      const set = Object.keys(changed);
      return `Triggered ${dag.dag_id}${set.length ? ` with ${set.join(', ')} set` : ''}: run ${r.run_id} is ${r.state}.`;
    },
  });
  if (!dag.valid || params.length === 0) return null;

  const open = () => {
    setValues(Object.fromEntries(params.map((p) => [p.name, p.default])));
    dialog.current?.showModal();
  };
  const submit = (e) => {
    e.preventDefault();
    trigger();
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
