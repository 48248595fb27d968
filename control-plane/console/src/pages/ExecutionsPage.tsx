import { useEffect, useState } from "react";
import { api, type ExecutionSummary, type Page } from "../api.ts";
import { Link, navigate } from "../router.tsx";
import { StateMark } from "../state.tsx";

const STATES = ["", "CREATED", "QUEUED", "RUNNING", "SUCCESS", "WARNING", "FAILED", "KILLING", "KILLED", "RETRYING"];
const FILTERS = ["namespace", "flowId", "state", "label", "since", "until"] as const;

/** The list of executions; its filters live in the URL (a view can be shared and survives a reload). */
export function ExecutionsPage({ url }: { url: URL }) {
  const params = url.searchParams;
  const [page, setPage] = useState<Page<ExecutionSummary> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const query = FILTERS.flatMap((f) => params.getAll(f).filter(Boolean).map((v) => `${f}=${encodeURIComponent(v)}`)).join("&");
  useEffect(() => {
    setError(null);
    api<Page<ExecutionSummary>>(`/executions?limit=100${query ? `&${query}` : ""}`).then(setPage, (e: Error) => setError(e.message));
  }, [query]);
  const set = (name: string, value: string) => {
    const u = new URL(location.href);
    if (value) u.searchParams.set(name, value); else u.searchParams.delete(name);
    navigate(`${u.pathname}${u.search}`);
  };
  return (
    <>
      <h1>Executions</h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>Namespace (and subtree) <input defaultValue={params.get("namespace") ?? ""} onBlur={(e) => set("namespace", e.target.value)} /></label>
        <label>Flow <input defaultValue={params.get("flowId") ?? ""} onBlur={(e) => set("flowId", e.target.value)} /></label>
        <label>State <select value={params.get("state") ?? ""} onChange={(e) => set("state", e.target.value)}>{STATES.map((s) => <option key={s} value={s}>{s || "any"}</option>)}</select></label>
        <label>Label (key:value) <input defaultValue={params.get("label") ?? ""} onBlur={(e) => set("label", e.target.value)} /></label>
        <label>Since <input defaultValue={params.get("since") ?? ""} placeholder="2026-12-03T00:00:00Z" onBlur={(e) => set("since", e.target.value)} /></label>
      </form>
      {error && <p role="alert" className="error">{error}</p>}
      {page && (
        <table className="executions">
          <thead><tr><th>State</th><th>Flow</th><th>Created</th><th>Id</th></tr></thead>
          <tbody>{page.items.map((e) => (
            <tr key={e.id}><td><StateMark state={e.state} /></td><td>{e.namespace}/{e.flowId}</td><td>{e.createdAt}</td><td><Link to={`/executions/${e.id}`}>{e.id.slice(0, 8)}</Link></td></tr>
          ))}</tbody>
        </table>
      )}
      {page?.items.length === 0 && <p>No execution matches these filters.</p>}
    </>
  );
}
