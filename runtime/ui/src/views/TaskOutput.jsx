// The dataset a task wrote (its run's workspace): row count, columns with their types, and
// the first rows, as `sluice data head` shows them. Only for a task that succeeded.
import { paths } from '../api.js';
import { LoadError } from '../components.jsx';
import { count } from '../format.js';
import { useLive } from '../live.js';

const NUMERIC = /^(int64|float64|decimal)/;

function cell(value) {
  if (value === null) return <span class="null">NULL</span>;
  return String(value);
}

export function TaskOutput({ runId, taskId }) {
  const output = useLive(paths.output(runId, taskId));
  if (output.error?.status === 404) {
    return <p class="muted" data-testid="task-output-none">No output dataset: {output.error.message}</p>;
  }
  if (output.error) return <LoadError error={output.error} what={`the output of ${taskId}`} />;
  if (!output.data) return null;
  const { rows, columns, head } = output.data;
  return (
    <div class="task-output" data-testid="task-output">
      <h3>
        Output <span class="muted">
          {count(rows)} rows · {columns.length} columns{rows > head.length ? ` · first ${head.length} shown` : ''}
        </span>
      </h3>
      <div class="table-scroll">
        <table class="output">
          <thead>
            <tr>
              {columns.map((c) => (
                <th scope="col" key={c.name} title={`${c.nulls} null(s)`}>
                  {c.name} <span class="muted">{c.type}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {head.map((values, r) => (
              <tr key={r} data-testid={`output-row-${r}`}>
                {values.map((v, c) => (
                  <td key={c} class={NUMERIC.test(columns[c].type) ? 'num' : ''}>
                    {cell(v)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
