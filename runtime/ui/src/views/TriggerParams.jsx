// "Trigger with params…": a dialog listing the DAG's declared params, filled with their
// defaults; the run gets the values changed here (as `sluice dags trigger --param`).
import { useState } from 'preact/hooks';
import { paths, post } from '../api.js';
import { ActionDialog } from '../components.jsx';

export function TriggerWithParamsButton({ dag, onTriggered }) {
  const [values, setValues] = useState({});
  const params = dag.params || [];
  if (!dag.valid || params.length === 0) return null;
  // Only what differs from the defaults: the run records its overrides.
  const changed = Object.fromEntries(
    params.filter((p) => values[p.name] !== p.default).map((p) => [p.name, values[p.name]]),
  );
  return (
    <ActionDialog
      testid="trigger-with-params"
      label="Trigger with params…"
      buttonTitle={`Start a run of ${dag.dag_id} with other param values`}
      title={`Trigger ${dag.dag_id}`}
      intro="The DAG's params, filled with their defaults. Change what this run needs."
      submitLabel="Trigger"
      onOpen={() => setValues(Object.fromEntries(params.map((p) => [p.name, p.default])))}
      what={`trigger ${dag.dag_id}`}
      action={() => post(paths.trigger(dag.dag_id), { params: changed })}
      done={(r) => {
        onTriggered?.(r);
        const set = Object.keys(changed);
        return `Triggered ${dag.dag_id}${set.length ? ` with ${set.join(', ')} set` : ''}: run ${r.run_id} is ${r.state}.`;
      }}
    >
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
    </ActionDialog>
  );
}
