import { useEffect, useMemo, useState } from "react";
import { all, api, ApiError, type Execution, type ExecutionLog as LogLine, type Namespace, type WhoAmI } from "../api.ts";
import { currentToken } from "../auth.ts";
import { mayKillOrRestart } from "../permissions.ts";
import { Link } from "../router.tsx";
import { StateMark } from "../state.tsx";
import { Gantt } from "./Gantt.tsx";

const LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"];
const ENDED = new Set(["SUCCESS", "WARNING", "FAILED", "KILLED"]);

/**
 * Follows GET /executions/{id}/follow (SSE) with fetch: EventSource cannot send the bearer
 * token. Every event triggers a re-read of the execution; a dropped stream shows a banner
 * and is retried.
 */
function useFollow(id: string, onEvent: () => void): boolean {
  const [connected, setConnected] = useState(true);
  useEffect(() => {
    if (!id) return;
    const abort = new AbortController();
    let stop = false;
    (async () => {
      while (!stop) {
        try {
          const res = await fetch(`/api/v1/executions/${id}/follow`, { headers: { authorization: `Bearer ${currentToken()}`, accept: "text/event-stream" }, signal: abort.signal });
          if (!res.ok || !res.body) throw new Error(String(res.status));
          setConnected(true);
          const reader = res.body.getReader();
          const decoder = new TextDecoder();
          let ended = false;
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            const text = decoder.decode(value, { stream: true });
            if (text.includes("event: end")) ended = true;
            onEvent();
          }
          if (ended) return;
        } catch {
          if (stop) return;
        }
        setConnected(false);
        await new Promise((r) => setTimeout(r, 2000));
      }
    })();
    return () => { stop = true; abort.abort(); };
  }, [id]);
  return connected;
}

export function ExecutionPage({ id, me }: { id: string; me: WhoAmI | null }) {
  const [execution, setExecution] = useState<Execution | null>(null);
  const [logs, setLogs] = useState<LogLine[]>([]);
  const [namespaces, setNamespaces] = useState<Namespace[]>([]);
  const [level, setLevel] = useState("TRACE");
  const [search, setSearch] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const [selectedRun, setSelectedRun] = useState<string | null>(null);
  const reload = () => {
    api<Execution>(`/executions/${id}`).then(setExecution, (e: Error) => setMessage(e.message));
    api<{ items: LogLine[] }>(`/executions/${id}/logs`).then((p) => setLogs(p.items), () => undefined);
  };
  useEffect(() => { reload(); all<Namespace>("/namespaces").then(setNamespaces, () => undefined); }, [id]);
  const live = execution !== null && !ENDED.has(execution.state);
  const connected = useFollow(live ? id : "", live ? reload : () => undefined);
  const shown = useMemo(() => logs.filter((l) => (selectedRun === null || l.taskRunId === selectedRun) && LEVELS.indexOf(l.level) >= LEVELS.indexOf(level) && l.message.toLowerCase().includes(search.toLowerCase())), [logs, level, search, selectedRun]);
  if (!execution) return <p>{message ?? "Loading…"}</p>;
  const act = (what: "kill" | "restart") =>
    api(`/executions/${id}/${what}`, { method: "POST", body: "{}" }).then(() => { setMessage(`${what} requested`); reload(); }, (e: ApiError) => setMessage(`${what} refused: ${e.message}`));
  const may = mayKillOrRestart(me, namespaces, execution.namespace);
  const t0 = Date.parse(execution.startedAt ?? execution.createdAt);
  const t1 = Math.max(Date.parse(execution.endedAt ?? new Date().toISOString()), ...execution.taskRuns.map((r) => Date.parse(r.endedAt ?? r.startedAt ?? execution.createdAt)), t0 + 1);
  return (
    <>
      {live && !connected && <p role="alert" className="banner">Disconnected from the live updates: retrying…</p>}
      <h1>Execution of {execution.namespace}/{execution.flowId} <StateMark state={execution.state} /></h1>
      <p>Revision {execution.flowRevision} · created {execution.createdAt} · trigger {execution.trigger.type}{execution.error ? ` · ${execution.error}` : ""}</p>
      {execution.trigger.upstream && execution.trigger.upstream.length > 0 && (
        <p>Upstream: {execution.trigger.upstream.map((u) => <Link key={u.executionId} to={`/executions/${u.executionId}`}>{u.namespace}/{u.flowId} ({u.state})</Link>)}</p>
      )}
      <div className="actions">
        {may && live && <button onClick={() => act("kill")}>Kill</button>}
        {may && (execution.state === "FAILED" || execution.state === "KILLED") && <button onClick={() => act("restart")}>Restart</button>}
        {message && <span role="status">{message}</span>}
      </div>
      <h2>Task runs</h2>
      <Gantt runs={execution.taskRuns} t0={t0} t1={t1} selected={selectedRun} onSelect={setSelectedRun} />
      <h2>Outputs</h2>
      <pre className="outputs" tabIndex={0} aria-label="Outputs of the task runs">{JSON.stringify(Object.fromEntries(execution.taskRuns.filter((r) => Object.keys(r.outputs).length).map((r) => [r.path, r.outputs])), null, 2)}</pre>
      <h2>Logs</h2>
      <div className="filters">
        <label>Level at least <select value={level} onChange={(e) => setLevel(e.target.value)}>{LEVELS.map((l) => <option key={l}>{l}</option>)}</select></label>
        <label>Search <input value={search} onChange={(e) => setSearch(e.target.value)} /></label>
        {selectedRun !== null && <span role="status">Logs of task run {execution.taskRuns.find((r) => r.id === selectedRun)?.path ?? selectedRun} <button onClick={() => setSelectedRun(null)}>Show all logs</button></span>}
      </div>
      <ol className="logs">{shown.map((l, i) => <li key={i} data-level={l.level}><span className="level">{l.level}</span> <time>{l.time}</time> {l.message}</li>)}</ol>
    </>
  );
}
