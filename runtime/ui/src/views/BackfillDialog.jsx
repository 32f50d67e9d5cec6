// "Backfill…": one run per schedule fire between two dates in the DAG's time zone, queued all
// or none (as `sluice dags backfill --from --to`); they start max_active_runs at a time.
import { useState } from 'preact/hooks';
import { paths, post } from '../api.js';
import { ActionDialog } from '../components.jsx';

export function BackfillButton({ dag }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  if (!dag.valid || !dag.schedule) return null;
  return (
    <ActionDialog
      testid="backfill"
      label="Backfill…"
      buttonTitle={`Queue the runs of ${dag.dag_id}'s schedule between two dates`}
      title={`Backfill ${dag.dag_id}`}
      intro={`One run per fire of ${dag.schedule}${dag.timezone ? ` (${dag.timezone})` : ''} from the start of the first day to the end of the last.`}
      submitLabel="Queue runs"
      what={`backfill ${dag.dag_id}`}
      action={() => post(paths.backfill(dag.dag_id), { from, to })}
      done={(r) => `Queued ${r.run_ids.length} run(s) of ${dag.dag_id} from ${from} to ${to}.`}
    >
      <label>
        From (first day)
        <input type="date" required value={from} onInput={(e) => setFrom(e.currentTarget.value)} data-testid="backfill-from" />
      </label>
      <label>
        To (last day)
        <input type="date" required value={to} onInput={(e) => setTo(e.currentTarget.value)} data-testid="backfill-to" />
      </label>
    </ActionDialog>
  );
}
