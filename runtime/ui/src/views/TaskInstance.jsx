// One task of one run: its attempts (state, times, exit, error, rows, memory) with links to
// their logs, the first rows of its output once it succeeded, and the buttons Clear and
// Clear with downstream.
import { Fragment } from 'preact';
import { paths, post } from '../api.js';
import { ActionButton, LoadError, StateBadge } from '../components.jsx';
import { bytes, count, duration, formatTime } from '../format.js';
import { useLive } from '../live.js';
import { Link, links } from '../router.jsx';
import { TaskOutput } from './TaskOutput.jsx';

function exitText(a) {
  if (a.signal !== null && a.signal !== undefined) return `signal ${a.signal}`;
  if (a.exit_code !== null && a.exit_code !== undefined) return `exit ${a.exit_code}`;
  return '';
}

function ClearButton({ runId, taskId, downstream }) {
  const label = downstream ? 'Clear with downstream' : 'Clear';
  return (
    <ActionButton
      testid={downstream ? 'clear-downstream' : 'clear'}
      what={`clear ${taskId}`}
      action={() => post(paths.clear(runId), { task_ids: [taskId], downstream, upstream: false })}
      done={(r) => `Cleared ${r.cleared.join(', ')}: the run is ${r.state} and the scheduler runs them again.`}
      title={downstream ? `Run ${taskId} and every task after it again` : `Run ${taskId} again`}
    >
      {label}
    </ActionButton>
  );
}

export function TaskInstance({ runId, taskId, onClose }) {
  const { data, error } = useLive(paths.taskInstance(runId, taskId));
  const attempts = data?.attempts || [];
  return (
    <section class="panel task-instance" aria-labelledby="ti-title" data-testid="task-instance">
      <div class="head">
        <h2 id="ti-title">
          Task <code>{taskId}</code> of run <Link href={links.run(runId)}>{runId}</Link>
        </h2>
        {data && <StateBadge state={data.state} testid="task-instance-state" />}
        <div class="actions">
          <ClearButton runId={runId} taskId={taskId} downstream={false} />
          <ClearButton runId={runId} taskId={taskId} downstream={true} />
          {onClose && (
            <button type="button" class="btn" onClick={onClose} aria-label="Close task details">
              Close
            </button>
          )}
        </div>
      </div>
      <LoadError error={error} what={`task ${taskId}`} />
      {data && attempts.length === 0 && <p class="muted">No attempt yet: the task has not started.</p>}
      {attempts.length > 0 && (
        <table class="attempts">
          <thead>
            <tr>
              <th scope="col">Attempt</th>
              <th scope="col">State</th>
              <th scope="col">Started</th>
              <th scope="col">Took</th>
              <th scope="col">Exit</th>
              <th scope="col">Rows in / out</th>
              <th scope="col">Output</th>
              <th scope="col">Peak memory</th>
              <th scope="col">Log</th>
            </tr>
          </thead>
          <tbody>
            {attempts.map((a) => (
              <Fragment key={a.attempt}>
                <tr data-testid={`attempt-${a.attempt}`}>
                  <td>{a.attempt}</td>
                  <td>
                    <StateBadge state={a.state} testid={`attempt-state-${a.attempt}`} />
                  </td>
                  <td title={formatTime(a.started_at)}>{formatTime(a.started_at)}</td>
                  <td>{duration(a.started_at, a.ended_at)}</td>
                  <td>{exitText(a)}</td>
                  <td>
                    {count(a.rows_in)} / {count(a.rows_out)}
                  </td>
                  <td>{bytes(a.bytes_out)}</td>
                  <td>{a.peak_rss_kb ? bytes(a.peak_rss_kb * 1024) : ''}</td>
                  <td>
                    <Link href={links.log(runId, taskId, a.attempt)} data-testid={`log-link-${a.attempt}`}>
                      log<span class="sr-only"> of attempt {a.attempt}</span>
                    </Link>
                  </td>
                </tr>
                {a.error && (
                  <tr class="attempt-error">
                    <td colspan="9">
                      <pre data-testid={`attempt-error-${a.attempt}`}>{a.error}</pre>
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
      {data?.state === 'success' && <TaskOutput runId={runId} taskId={taskId} />}
    </section>
  );
}
