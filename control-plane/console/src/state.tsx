// Execution states are shown by an icon and a word, never by colour alone (WCAG 1.4.1);
// the marks' colours keep 3:1 against the white background (1.4.11).
const MARKS: Record<string, { icon: string; className: string }> = {
  SUCCESS: { icon: "✓", className: "ok" },
  FAILED: { icon: "✕", className: "bad" },
  KILLED: { icon: "■", className: "bad" },
  KILLING: { icon: "■", className: "warn" },
  WARNING: { icon: "!", className: "warn" },
  RUNNING: { icon: "▶", className: "run" },
  CREATED: { icon: "○", className: "idle" },
  QUEUED: { icon: "…", className: "idle" },
  RETRYING: { icon: "↻", className: "warn" },
};

export function StateMark({ state }: { state: string | undefined }) {
  if (!state) return <span className="state idle">– no run</span>;
  const mark = MARKS[state] ?? { icon: "?", className: "idle" };
  return <span className={`state ${mark.className}`} data-state={state}><span aria-hidden="true">{mark.icon}</span> {state}</span>;
}
