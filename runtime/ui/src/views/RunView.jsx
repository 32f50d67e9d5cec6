// `/runs/{run_id}`: one run — its dates, parameters and tasks (graph and table), the alerts it
// sent, and Retry run. Clicking a task opens its attempts.
import { useState } from 'preact/hooks';
import { paths, post } from '../api.js';
import { ActionButton, LoadError, StateBadge } from '../components.jsx';
import { duration, formatTime } from '../format.js';
import { useLive } from '../live.js';
import { Link, links } from '../router.jsx';
import { DagGraph } from './DagGraph.jsx';
import { TaskInstance } from './TaskInstance.jsx';

function Facts({ run }) {
  const params = Object.entries(run.params || {});
  return (
    <dl class="facts">
      <div>
        <dt>State</dt>
        <dd>
          <StateBadge state={run.state} testid="run-state" />
        </dd>
      </div>
      <div>
        <dt>Trigger</dt>
        <dd>{run.trigger}</dd>
      </div>
      <div>
        <dt>Logical date</dt>
        <dd>{formatTime(run.logical_date)}</dd>
      </div>
      <div>
        <dt>Data interval</dt>
        <dd>
          {formatTime(run.data_interval_start)} → {formatTime(run.data_interval_end)}
        </dd>
      </div>
      <div>
        <dt>Created</dt>
        <dd>{formatTime(run.created_at)}</dd>
      </div>
      <div>
        <dt>Started</dt>
        <dd>{formatTime(run.started_at)}</dd>
      </div>
      <div>
        <dt>Ended</dt>
        <dd>{formatTime(run.ended_at)}</dd>
      </div>
      <div>
        <dt>Took</dt>
        <dd>{duration(run.started_at, run.ended_at) || '—'}</dd>
      </div>
      <div>
        <dt>File</dt>
        <dd>
          <code>{run.dag_file}</code>
        </dd>
      </div>
      {params.length > 0 && (
        <div class="params">
          <dt>Parameters</dt>
          <dd>
            {params.map(([k, v]) => (
              <div key={k}>
                <code>
                  {k} = {typeof v === 'string' ? v : JSON.stringify(v)}
                </code>
              </div>
            ))}
          </dd>
        </div>
      )}
    </dl>
  );
}

function Alerts({ runId }) {
  const { data } = useLive(paths.alerts(runId));
  const alerts = data?.alerts || [];
  if (!alerts.length) return null;
  return (
    <>
      <h2>Alerts</h2>
      <table class="alerts">
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Task</th>
            <th scope="col">Created</th>
            <th scope="col">Delivered</th>
            <th scope="col">Last outcome</th>
          </tr>
        </thead>
        <tbody>
          {alerts.map((a) => (
            <tr key={a.id}>
              <td>{a.kind}</td>
              <td>{a.task_id ? <code>{a.task_id}</code> : '—'}</td>
              <td>{formatTime(a.created_at)}</td>
              <td>{formatTime(a.delivered_at)}</td>
              <td>{a.last_error || a.last_status || ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function RunView({ runId }) {
  const { data: run, error } = useLive(paths.run(runId));
  const [taskId, setTaskId] = useState(null);
  const tasks = run?.tasks || [];
  const states = Object.fromEntries(tasks.map((t) => [t.task_id, t.state]));

  return (
    <section aria-labelledby="run-title">
      <div class="head">
        <h1 id="run-title">
          <Link href={links.dags()} class="crumb">
            DAGs
          </Link>{' '}
          / {run ? <Link href={links.dag(run.dag_id)}>{run.dag_id}</Link> : '…'} / run {runId}
        </h1>
        <div class="actions">
          <ActionButton
            testid="retry-run"
            what={`retry run ${runId}`}
            action={() => post(paths.retry(runId))}
            done={(r) =>
              r.cleared.length ? `Retrying ${r.cleared.join(', ')} of run ${r.run_id}.` : `Run ${r.run_id} has no failed task to retry.`
            }
            disabled={!run}
            title="Run the failed and upstream-failed tasks again"
          >
            Retry run
          </ActionButton>
        </div>
      </div>
      <LoadError error={error} what={`run ${runId}`} />
      {run && <Facts run={run} />}
      {run && tasks.length > 0 && (
        <>
          <h2>Tasks</h2>
          <DagGraph tasks={tasks} states={states} onSelect={setTaskId} selected={taskId} caption={`Tasks of run ${runId}`} />
          {taskId && <TaskInstance runId={runId} taskId={taskId} onClose={() => setTaskId(null)} />}
          <table class="tasks" data-testid="run-tasks">
            <thead>
              <tr>
                <th scope="col">Task</th>
                <th scope="col">State</th>
                <th scope="col">Attempts</th>
                <th scope="col">Started</th>
                <th scope="col">Took</th>
                <th scope="col">Depends on</th>
              </tr>
            </thead>
            <tbody>
              {tasks.map((t) => (
                <tr key={t.task_id} data-testid={`run-task-${t.task_id}`} class={taskId === t.task_id ? 'selected' : ''}>
                  <th scope="row">
                    <button type="button" class="link" onClick={() => setTaskId(t.task_id)} data-testid={`open-task-${t.task_id}`}>
                      {t.task_id}
                    </button>
                  </th>
                  <td>
                    <StateBadge state={t.state} testid={`run-task-state-${t.task_id}`} />
                  </td>
                  <td>{t.attempts}</td>
                  <td>{formatTime(t.started_at)}</td>
                  <td>{duration(t.started_at, t.ended_at)}</td>
                  <td>{(t.depends_on || []).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <Alerts runId={runId} />
    </section>
  );
}
