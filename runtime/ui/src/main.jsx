// The sluice web UI: one page, four views chosen by the path (router.jsx), kept up to date by
// the scheduler's event stream (live.js). See docs/ui.md.
import { render } from 'preact';
import { useEffect } from 'preact/hooks';
import { Notices, TokenDialog } from './components.jsx';
import { useConnection } from './live.js';
import { Link, match, usePath } from './router.jsx';
import { DagList } from './views/DagList.jsx';
import { DagView } from './views/DagView.jsx';
import { LogView } from './views/LogView.jsx';
import { RunView } from './views/RunView.jsx';
import './styles.css';

function ConnectionState() {
  const state = useConnection();
  const text = { live: 'live', polling: 'polling every 5 s', connecting: 'connecting…' }[state];
  return (
    <span class={`connection ${state}`} data-testid="connection" data-connection={state} title="How this page learns of changes">
      {text}
    </span>
  );
}

function View({ route }) {
  const p = route.params;
  switch (route.name) {
    case 'dags':
      return <DagList />;
    case 'dag':
      return <DagView key={p.dagId} dagId={p.dagId} />;
    case 'run':
      return <RunView key={p.runId} runId={p.runId} />;
    case 'log':
      return <LogView runId={p.runId} taskId={p.taskId} attempt={p.attempt} />;
    default:
      return (
        <section>
          <h1>Not found</h1>
          <p>
            Nothing here. <Link href="/">See every DAG.</Link>
          </p>
        </section>
      );
  }
}

function App() {
  const path = usePath();
  const route = match(path);
  useEffect(() => {
    const what = { dags: 'DAGs', dag: route.params.dagId, run: `run ${route.params.runId}`, log: `log of ${route.params.taskId}` }[route.name];
    document.title = what ? `${what} · sluice` : 'sluice';
    window.scrollTo(0, 0);
  }, [path]);
  return (
    <>
      <header class="top">
        <Link href="/" class="brand">
          sluice
        </Link>
        <nav aria-label="Main">
          <Link href="/" aria-current={route.name === 'dags' ? 'page' : undefined}>
            DAGs
          </Link>
        </nav>
        <ConnectionState />
      </header>
      <main>
        <View route={route} />
      </main>
      <Notices />
      <TokenDialog />
    </>
  );
}

render(<App />, document.getElementById('app'));
