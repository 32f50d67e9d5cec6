// `/dags/{dag_id}`: the DAG's facts and file, its graph coloured by the selected run, and the
// grid of its runs (columns, newest first) by its tasks (rows, file order). Clicking a cell
// opens that task instance; clicking a run's square selects the run for the graph.
import { useState } from 'preact/hooks';
import { paths, post } from '../api.js';
import { ActionButton, DagErrorList, Legend, LoadError, StateBadge, StateSquare } from '../components.jsx';
import { duration, formatTime, relativeTime } from '../format.js';
import { useLive } from '../live.js';
import { Link, links } from '../router.jsx';
import { BackfillButton } from './BackfillDialog.jsx';
import { PauseButton } from './DagList.jsx';
import { DagGraph } from './DagGraph.jsx';
import { DagSource } from './DagSource.jsx';
import { TaskInstance } from './TaskInstance.jsx';
import { TriggerWithParamsButton } from './TriggerParams.jsx';

const GRID_RUNS = 25;

function DagHeader({ dag }) {
  const state = !dag.valid ? 'broken' : dag.paused ? 'paused' : 'valid';
  return (
    <div class="dag-header">
      <dl class="facts">
        <div>
          <dt>State</dt>
          <dd>
            <span class={`badge dag-${state}`} data-testid="dag-state">
              {state}
            </span>
          </dd>
        </div>
        <div>
          <dt>File</dt>
          <dd>
            <code>{dag.file}</code>
          </dd>
        </div>
        <div>
          <dt>Schedule</dt>
          <dd>
            {dag.schedule ? <code>{dag.schedule}</code> : 'manual'} {dag.schedule && dag.timezone ? `(${dag.timezone})` : ''}
          </dd>
        </div>
        <div>
          <dt>Next run</dt>
          <dd title={formatTime(dag.next_run)}>
            {dag.next_run ? `${relativeTime(dag.next_run)} (${formatTime(dag.next_run)})` : '—'}
          </dd>
        </div>
        <div>
          <dt>Tasks</dt>
          <dd>{dag.task_count}</dd>
        </div>
      </dl>
      {!dag.valid && (
        <div class="dag-errors" role="alert" data-testid="dag-errors">
          <p>This file does not load; it runs nothing until these are fixed:</p>
          <DagErrorList errors={dag.errors} />
        </div>
      )}
    </div>
  );
}

function Grid({ grid, selectedRun, onSelectRun, cell, onSelectCell }) {
  if (!grid.runs.length) return <p class="muted">No runs yet. Trigger one.</p>;
  return (
    <div class="grid-scroll">
      <table class="grid" data-testid="run-grid" aria-label="Runs by tasks, newest run first">
        <thead>
          <tr>
            <th scope="col" class="task-col">
              Task \ run
            </th>
            {grid.runs.map((r) => (
              <th scope="col" key={r.run_id} data-testid={`grid-run-${r.run_id}`} data-state={r.state}>
                <StateSquare
                  state={r.state}
                  label={`select run ${r.run_id} (${r.trigger}, ${formatTime(r.logical_date)})`}
                  onClick={() => onSelectRun(r.run_id)}
                  selected={r.run_id === selectedRun}
                  testid={`select-run-${r.run_id}`}
                />
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {grid.tasks.map((taskId) => (
            <tr key={taskId}>
              <th scope="row" class="task-col">
                <code>{taskId}</code>
              </th>
              {grid.runs.map((r) => {
                const ti = r.tasks?.[taskId];
                const selected = cell && cell.runId === r.run_id && cell.taskId === taskId;
                return (
                  <td key={r.run_id}>
                    <StateSquare
                      state={ti?.state}
                      label={`${taskId} in run ${r.run_id}${ti?.attempts > 1 ? `, ${ti.attempts} attempts` : ''}`}
                      onClick={() => onSelectCell({ runId: r.run_id, taskId })}
                      selected={selected}
                      testid={`cell-${r.run_id}-${taskId}`}
                    />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RunSummary({ run }) {
  return (
    <p class="run-summary" data-testid="selected-run">
      Run <Link href={links.run(run.run_id)}>{run.run_id}</Link> <StateBadge state={run.state} testid="selected-run-state" />{' '}
      <span class="muted">
        {run.trigger} · logical date {formatTime(run.logical_date)}
        {run.started_at && ` · took ${duration(run.started_at, run.ended_at)}`}
      </span>
    </p>
  );
}

export function DagView({ dagId }) {
  const dag = useLive(paths.dag(dagId));
  const grid = useLive(paths.grid(dagId, GRID_RUNS));
  const [pickedRun, setPickedRun] = useState(null);
  const [cell, setCell] = useState(null);

  const runs = grid.data?.runs || [];
  // Until a run is picked, the graph follows the newest run, so a trigger shows at once.
  const run = runs.find((r) => r.run_id === pickedRun) || runs[0] || null;
  const states = {};
  if (run) for (const [t, ti] of Object.entries(run.tasks || {})) states[t] = ti.state;

  return (
    <section aria-labelledby="dag-title">
      <div class="head">
        <h1 id="dag-title">
          <Link href={links.dags()} class="crumb">
            DAGs
          </Link>{' '}
          / {dagId}
        </h1>
        {dag.data?.description && <p class="desc">{dag.data.description}</p>}
        <div class="actions">
          {dag.data && (
            <>
              <ActionButton
                testid="trigger"
                what={`trigger ${dagId}`}
                action={() => post(paths.trigger(dagId), {})}
                done={(r) => {
                  setPickedRun(null);
                  return `Triggered ${dagId}: run ${r.run_id} is ${r.state}.`;
                }}
                disabled={!dag.data.valid}
                class="btn primary"
              >
                Trigger
              </ActionButton>
              <TriggerWithParamsButton dag={dag.data} onTriggered={() => setPickedRun(null)} />
              <BackfillButton dag={dag.data} />
              <PauseButton dag={dag.data} />
              <ActionButton
                testid="retry-run"
                what={`retry run ${run?.run_id}`}
                action={() => post(paths.retry(run.run_id))}
                done={(r) =>
                  r.cleared.length
                    ? `Retrying ${r.cleared.join(', ')} of run ${r.run_id}.`
                    : `Run ${r.run_id} has no failed task to retry.`
                }
                disabled={!run}
                title="Run the failed and upstream-failed tasks of the selected run again"
              >
                Retry run
              </ActionButton>
            </>
          )}
        </div>
      </div>
      <LoadError error={dag.error} what={`DAG ${dagId}`} />
      {dag.data && <DagHeader dag={dag.data} />}
      {dag.data && <DagSource dag={dag.data} />}

      {dag.data && dag.data.tasks?.length > 0 && (
        <>
          <h2>Graph</h2>
          {run ? <RunSummary run={run} /> : <p class="muted">No run yet: tasks are uncoloured.</p>}
          <DagGraph
            tasks={dag.data.tasks}
            states={states}
            selected={cell && run && cell.runId === run.run_id ? cell.taskId : null}
            onSelect={run ? (taskId) => setCell({ runId: run.run_id, taskId }) : null}
            caption={`Tasks of ${dagId}${run ? `, coloured by run ${run.run_id}` : ''}`}
          />
        </>
      )}

      {cell && <TaskInstance runId={cell.runId} taskId={cell.taskId} onClose={() => setCell(null)} />}

      <h2>Runs</h2>
      <LoadError error={grid.error} what="the runs" />
      {grid.data && (
        <Grid grid={grid.data} selectedRun={run?.run_id} onSelectRun={setPickedRun} cell={cell} onSelectCell={setCell} />
      )}
      <Legend states={['queued', 'pending', 'running', 'success', 'failed', 'up_for_retry', 'upstream_failed', 'skipped', 'cancelled']} />
    </section>
  );
}
