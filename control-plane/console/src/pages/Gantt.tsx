import { StateMark } from "../state.tsx";

export interface GanttRun { id: string; path: string; attempt: number; state: string; value?: unknown; startedAt?: string; endedAt?: string }

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 0)} s`;

/**
 * One row per task run, its bar placed by startedAt/endedAt on the execution's time span.
 * Plain SVG: the state is written beside the bar (never colour alone), and each row is a
 * button so that the keyboard reaches it; choosing one shows that task run's logs.
 */
export function Gantt({ runs, t0, t1, selected, onSelect }: { runs: GanttRun[]; t0: number; t1: number; selected: string | null; onSelect: (id: string | null) => void }) {
  // A task run may be stamped a few ms before its execution's startedAt: the axis starts at the earliest.
  t0 = Math.min(t0, ...runs.map((r) => (r.startedAt ? Date.parse(r.startedAt) : t0)));
  const span = Math.max(t1 - t0, 1);
  const ordered = [...runs].sort((a, b) => Date.parse(a.startedAt ?? "9999") - Date.parse(b.startedAt ?? "9999") || a.path.localeCompare(b.path) || a.attempt - b.attempt);
  return (
    <div className="gantt" role="group" aria-label="Timeline of the task runs">
      <div className="gantt-axis" aria-hidden="true"><span>0 s</span><span>{seconds(span)}</span></div>
      <ol>
        {ordered.map((r) => {
          const s = r.startedAt ? Date.parse(r.startedAt) : null;
          const e = r.endedAt ? Date.parse(r.endedAt) : t1;
          const x = s === null ? 0 : ((s - t0) / span) * 100;
          const w = s === null ? 0 : Math.max(((e - s) / span) * 100, 0.6);
          const depth = r.path.split("/").filter((p) => !/^\d+$/.test(p)).length - 1;
          const value = r.value === undefined ? "" : ` [${typeof r.value === "string" ? r.value : JSON.stringify(r.value)}]`;
          const timing = s === null ? "not started" : `at +${seconds(s - t0)}, ${r.endedAt ? seconds(e - s) : "running"}`;
          return (
            <li key={r.id}>
              <button type="button" className="gantt-row" aria-pressed={selected === r.id} data-path={r.path} data-attempt={r.attempt}
                onClick={() => onSelect(selected === r.id ? null : r.id)} title="Show the logs of this task run">
                <span className="gantt-label" style={{ paddingLeft: `${depth * 14}px` }}>{r.path}{value} <span className="attempt">#{r.attempt}</span></span>
                <svg className="gantt-track" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                  <rect x="0" y="4.5" width="100" height="1" className="gantt-rail" />
                  {s !== null && <rect x={Math.min(x, 99.4)} y="1" width={Math.min(w, 100 - Math.min(x, 99.4))} height="8" rx="0.5" className={`gantt-bar ${r.state}`} />}
                </svg>
                <StateMark state={r.state} />
                <span className="gantt-time">{timing}</span>
              </button>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
