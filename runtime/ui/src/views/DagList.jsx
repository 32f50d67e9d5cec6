// `/`: every DAG file of the folder — its state (valid, broken with its errors, paused), its
// schedule and next run, its last runs as squares — with Trigger and Pause/Unpause. Built to
// stay quick with thousands of rows: one request, rows of CSS grid (an ARIA table) that the
// browser neither styles nor lays out while they are off screen (content-visibility: auto;
// a <table> cannot skip them: its columns depend on every row), and one click handler for
// all the run squares instead of one per square.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { paths, post } from '../api.js';
import { ActionButton, DagErrorList, LoadError, StateSquare } from '../components.jsx';
import { formatTime, relativeTime, stateLabel } from '../format.js';
import { useLive } from '../live.js';
import { Link, links, navigate } from '../router.jsx';

function dagState(dag) {
  if (!dag.valid) return 'broken';
  return dag.paused ? 'paused' : 'valid';
}

function fileName(path) {
  return path.slice(path.lastIndexOf('/') + 1);
}

// What the filter box matches: ids, file, description, and the state words shown.
function haystack(dag) {
  const last = dag.last_runs?.[0]?.state || '';
  return `${dag.dag_id} ${dag.file} ${dag.description || ''} ${dagState(dag)} ${last} ${stateLabel(last)}`.toLowerCase();
}

function TriggerButton({ dag }) {
  return (
    <ActionButton
      testid={`trigger-${dag.dag_id}`}
      what={`trigger ${dag.dag_id}`}
      action={() => post(paths.trigger(dag.dag_id), {})}
      done={(r) => `Triggered ${dag.dag_id}: run ${r.run_id} is ${r.state}.`}
      disabled={!dag.valid}
      title={dag.valid ? `Start a run of ${dag.dag_id} now` : 'A broken DAG cannot run'}
    >
      Trigger<span class="sr-only"> {dag.dag_id}</span>
    </ActionButton>
  );
}

export function PauseButton({ dag }) {
  const next = !dag.paused;
  return (
    <ActionButton
      testid={`pause-${dag.dag_id}`}
      what={`${next ? 'pause' : 'unpause'} ${dag.dag_id}`}
      action={() => post(paths.pause(dag.dag_id, next))}
      done={(r) => `${dag.dag_id} is ${r.paused ? 'paused: its schedule fires no runs' : 'unpaused'}.`}
      title={next ? 'Stop scheduling runs (triggers still work)' : 'Schedule runs again'}
    >
      {next ? 'Pause' : 'Unpause'}
      <span class="sr-only"> {dag.dag_id}</span>
    </ActionButton>
  );
}

function LastRuns({ runs }) {
  if (!runs?.length) return <span class="muted">no runs yet</span>;
  // Oldest on the left, so the newest sits next to the buttons, as on a timeline.
  const ordered = [...runs].reverse();
  return (
    <span class="squares">
      {ordered.map((r) => (
        <StateSquare
          key={r.run_id}
          state={r.state}
          label={`run ${r.run_id} (${r.trigger}, ${formatTime(r.logical_date)})`}
          href={links.run(r.run_id)}
          testid={`last-run-${r.run_id}`}
        />
      ))}
    </span>
  );
}

function DagRow({ dag, now }) {
  const state = dagState(dag);
  const id = dag.dag_id;
  const key = id || dag.file;
  return (
    <div role="row" class={`dag-row ${state}`} data-testid={`dag-row-${key}`} data-dag-state={state}>
      <div role="cell" class="dag-id">
        {id ? (
          <Link href={links.dag(id)} data-testid={`dag-link-${id}`}>
            {id}
          </Link>
        ) : (
          <span class="muted">{fileName(dag.file)}</span>
        )}
        {dag.description && <div class="desc">{dag.description}</div>}
      </div>
      <div role="cell" class="file" title={dag.file}>
        {fileName(dag.file)}
      </div>
      <div role="cell">
        <span class={`badge dag-${state}`} data-testid={`dag-state-${key}`}>
          {state}
        </span>
      </div>
      <div role="cell" class="schedule">
        {dag.schedule ? (
          <>
            <code>{dag.schedule}</code>
            {dag.timezone && dag.timezone !== 'UTC' && <div class="muted">{dag.timezone}</div>}
          </>
        ) : (
          <span class="muted">manual</span>
        )}
      </div>
      <div role="cell" class="next-run" title={dag.next_run ? formatTime(dag.next_run) : ''}>
        {dag.next_run ? relativeTime(dag.next_run, now) : <span class="muted">—</span>}
      </div>
      <div role="cell" class="last-runs">
        <LastRuns runs={dag.last_runs} />
      </div>
      <div role="cell" class="actions">
        {id && (
          <>
            <TriggerButton dag={dag} />
            <PauseButton dag={dag} />
          </>
        )}
      </div>
      {!dag.valid && dag.errors?.length > 0 && (
        <div role="cell" class="dag-errors" data-testid={`dag-errors-${key}`}>
          <DagErrorList errors={dag.errors} />
        </div>
      )}
    </div>
  );
}

// One handler for every internal link of the list (1,000 rows hold 10,000 run squares).
function followInternalLink(e) {
  const a = e.target.closest?.('a[href^="/"]');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(a.getAttribute('href'));
}

// Rows in the first paint; the rest follow one frame later, so a list of thousands shows
// its top at once instead of after every row is built.
const FIRST_ROWS = 80;

export function DagList() {
  const { data, error } = useLive(paths.dags());
  const [filter, setFilter] = useState('');
  const [limit, setLimit] = useState(FIRST_ROWS);
  const dags = data?.dags || [];
  useEffect(() => {
    if (!data || limit === Infinity) return undefined;
    let timer = 0;
    const frame = requestAnimationFrame(() => (timer = setTimeout(() => setLimit(Infinity), 0)));
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [data, limit]);

  const sorted = useMemo(() => {
    // Broken files first: they need someone. Then by id.
    const list = dags.map((d) => ({ dag: d, text: haystack(d) }));
    list.sort((a, b) => (a.dag.valid - b.dag.valid) || (a.dag.dag_id || a.dag.file).localeCompare(b.dag.dag_id || b.dag.file));
    return list;
  }, [data]);

  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const shown = words.length ? sorted.filter(({ text }) => words.every((w) => text.includes(w))) : sorted;
  const broken = dags.filter((d) => !d.valid).length;
  const paused = dags.filter((d) => d.valid && d.paused).length;
  const now = Date.now();

  return (
    <section aria-labelledby="dags-title">
      <div class="head">
        <h1 id="dags-title">DAGs</h1>
        {data && (
          <p class="summary" data-testid="dag-summary">
            {dags.length.toLocaleString('en-US')} DAG files · {broken} broken · {paused} paused
          </p>
        )}
        <input
          type="search"
          class="filter"
          placeholder="Filter: id, file, broken, paused, failed…"
          aria-label="Filter DAGs"
          value={filter}
          onInput={(e) => setFilter(e.currentTarget.value)}
          data-testid="dag-filter"
        />
      </div>
      <LoadError error={error} what="the DAGs" />
      {!data && !error && <p class="muted">Loading…</p>}
      {data && dags.length === 0 && (
        <p class="empty">
          No DAG files yet. Drop a YAML file into the scheduler's DAG folder (<code>--dags</code>); it
          appears here within a second.
        </p>
      )}
      {data && dags.length > 0 && (
        <div role="table" class="dags" aria-label="DAGs" aria-rowcount={shown.length + 1} aria-busy={limit < shown.length ? 'true' : undefined} data-testid="dag-table" onClick={followInternalLink}>
          <div role="rowgroup" class="dags-head">
            <div role="row" class="dag-row">
              <div role="columnheader">DAG</div>
              <div role="columnheader">File</div>
              <div role="columnheader">State</div>
              <div role="columnheader">Schedule</div>
              <div role="columnheader">Next run</div>
              <div role="columnheader">Last runs</div>
              <div role="columnheader">
                <span class="sr-only">Actions</span>
              </div>
            </div>
          </div>
          <div role="rowgroup">
            {(limit < shown.length ? shown.slice(0, limit) : shown).map(({ dag }) => (
              <DagRow key={dag.dag_id || dag.file} dag={dag} now={now} />
            ))}
          </div>
        </div>
      )}
      {data && dags.length > 0 && shown.length === 0 && <p class="empty">No DAG matches “{filter}”.</p>}
    </section>
  );
}
