// The DAG's file as it is on disk, with line numbers; the lines its recorded errors point at
// are marked, with the error as the line's title. Fetched only while the section is open.
import { useState } from 'preact/hooks';
import { paths } from '../api.js';
import { LoadError } from '../components.jsx';
import { useLive } from '../live.js';

// Line number -> messages, from errors that read `FILE:LINE:COL: error: ...`.
function errorsByLine(file, errors) {
  const byLine = new Map();
  for (const error of errors || []) {
    if (!error.startsWith(`${file}:`)) continue;
    const line = Number.parseInt(error.slice(file.length + 1), 10);
    if (!Number.isFinite(line) || line < 1) continue;
    byLine.set(line, [...(byLine.get(line) || []), error.slice(file.length + 1)]);
  }
  return byLine;
}

function SourceText({ dagId }) {
  const source = useLive(paths.source(dagId));
  if (source.error) return <LoadError error={source.error} what={`the file of ${dagId}`} />;
  if (!source.data) return <p class="muted">Loading…</p>;
  const { file, errors, truncated } = source.data;
  const marks = errorsByLine(file, errors);
  const lines = source.data.source.replace(/\n$/, '').split('\n');
  return (
    <>
      <pre class="source" data-testid="dag-source" aria-label={`The file ${file}`}>
        {lines.map((text, i) => {
          const problems = marks.get(i + 1);
          return (
            <span
              key={i}
              class={problems ? 'source-line has-error' : 'source-line'}
              data-line={i + 1}
              data-testid={problems ? `source-error-line-${i + 1}` : undefined}
              title={problems ? problems.join('\n') : undefined}
            >
              <span class="line-number" aria-hidden="true">
                {i + 1}
              </span>
              {text}
              {'\n'}
            </span>
          );
        })}
      </pre>
      {truncated && <p class="muted">The file is longer than 1 MiB: only its beginning is shown.</p>}
    </>
  );
}

export function DagSource({ dag }) {
  // A broken file opens at once: its lines next to its errors are what its reader needs.
  const [open, setOpen] = useState(!dag.valid);
  return (
    <details class="dag-source" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary data-testid="dag-source-toggle">
        Source <code>{dag.file}</code>
      </summary>
      {open && <SourceText dagId={dag.dag_id} />}
    </details>
  );
}
