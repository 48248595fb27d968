import { useEffect, useState } from "react";
import { parse } from "yaml";
import { all, api, type ApiError, type ExecutionSummary, type Flow, type FlowDependencies as Deps, type FlowRevisionSummary as Revision, type Namespace, type WhoAmI } from "../api.ts";
import { lineDiff } from "../diff.ts";
import { Link, navigate } from "../router.tsx";
import { StateMark } from "../state.tsx";
import { YamlView } from "../yaml-view.tsx";

interface Input { id: string; type: string; required?: boolean; defaults?: unknown; description?: string }
const within = (ns: string, scope: string) => ns === scope || ns.startsWith(`${scope}.`);

/** May the caller run flows of this namespace (execution.trigger: executor and above, the owner team, platform admins)? */
function mayRun(me: WhoAmI | null, namespaces: Namespace[], ns: string): boolean {
  if (!me) return false;
  if (me.platformAdmin || namespaces.some((n) => n.ownerTeam === me.team && within(ns, n.name))) return true;
  return me.bindings.some((b) => b.namespace !== null && b.role !== "viewer" && within(ns, b.namespace));
}

function RunForm({ flow }: { flow: Flow }) {
  const inputs = ((parse(flow.source) as { inputs?: Input[] })?.inputs ?? []).filter((i) => i && typeof i.id === "string");
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const typed = (i: Input, v: string): unknown => (i.type === "INT" || i.type === "FLOAT" ? Number(v) : i.type === "BOOLEAN" ? v === "true" : i.type === "JSON" ? JSON.parse(v) : v);
  const submit = () => {
    setError(null);
    try {
      const body = { inputs: Object.fromEntries(inputs.filter((i) => values[i.id] !== undefined && values[i.id] !== "").map((i) => [i.id, typed(i, values[i.id]!)])) };
      api<{ id: string }>(`/executions/${flow.namespace}/${flow.id}`, { method: "POST", body: JSON.stringify(body) }).then((e) => navigate(`/executions/${e.id}`), (e: ApiError) => setError(e.message));
    } catch (e) { setError((e as Error).message); }
  };
  return (
    <form className="run-form" onSubmit={(e) => { e.preventDefault(); submit(); }}>
      {inputs.map((i) => (
        <label key={i.id}>{i.id} <span className="hint">{i.type}{i.required === false || i.defaults !== undefined ? "" : ", required"}</span>
          {i.type === "BOOLEAN"
            ? <select value={values[i.id] ?? ""} onChange={(e) => setValues({ ...values, [i.id]: e.target.value })}><option value="">default</option><option>true</option><option>false</option></select>
            : <input type={i.type === "INT" || i.type === "FLOAT" ? "number" : i.type === "DATE" ? "date" : "text"} value={values[i.id] ?? ""} placeholder={i.defaults !== undefined ? String(i.defaults) : ""} onChange={(e) => setValues({ ...values, [i.id]: e.target.value })} />}
        </label>
      ))}
      <button type="submit">Run</button>
      {error && <p role="alert" className="error">{error}</p>}
    </form>
  );
}

export function FlowPage({ namespace, id, me }: { namespace: string; id: string; me: WhoAmI | null }) {
  const [flow, setFlow] = useState<Flow | null>(null);
  const [revisions, setRevisions] = useState<Revision[]>([]);
  const [diffOf, setDiffOf] = useState<{ revision: number; before: string; after: string } | null>(null);
  const [deps, setDeps] = useState<{ up: Deps; down: Deps } | null>(null);
  const [runs, setRuns] = useState<ExecutionSummary[]>([]);
  const [namespaces, setNamespaces] = useState<Namespace[]>([]);
  const [tables, setTables] = useState<{ dataset: string; table: string; version: string }[]>([]);
  const [error, setError] = useState<string | null>(null);
  const base = `/flows/${namespace}/${id}`;
  useEffect(() => {
    api<Flow>(base).then(setFlow, (e: Error) => setError(e.message));
    all<Revision>(`${base}/revisions`).then(setRevisions, () => undefined);
    Promise.all([api<Deps>(`${base}/dependencies?direction=up&recursive=true`), api<Deps>(`${base}/dependencies?direction=down&recursive=true`)]).then(([up, down]) => setDeps({ up, down }), () => undefined);
    api<{ items: ExecutionSummary[] }>(`/executions?namespace=${namespace}&flowId=${id}&limit=10`).then((p) => setRuns(p.items), () => undefined);
    all<Namespace>("/namespaces").then(setNamespaces, () => undefined);
    all<{ dataset: string; table: string; version: string }>(`/tables/${namespace}`).then(setTables, () => undefined);
  }, [base]);
  const showDiff = async (revision: number) => {
    const [before, after] = await Promise.all([api<Flow>(`${base}/revisions/${revision - 1}`), api<Flow>(`${base}/revisions/${revision}`)]);
    setDiffOf({ revision, before: before.source, after: after.source });
  };
  if (error) return <p role="alert" className="error">{error}</p>;
  if (!flow) return <p>Loading…</p>;
  const others = (d: Deps) => d.nodes.filter((n) => !(n.namespace === namespace && n.id === id));
  return (
    <>
      <h1>Flow {flow.namespace}/{flow.id}</h1>
      <p>Revision {flow.revision} · {flow.description || "no description"} · <span className="managed">Managed as code (its repository's Terraform): read-only here</span></p>
      {mayRun(me, namespaces, namespace) && (<><h2>Run now</h2><RunForm flow={flow} /></>)}
      <div className="two">
        <section><h2>Source</h2><YamlView source={flow.source} /></section>
        <section>
          <h2>Dependencies</h2>
          <h3>Upstream</h3>
          <ul>{deps && others(deps.up).map((n) => <li key={`${n.namespace}/${n.id}`}>{n.hidden ? `${n.namespace}/${n.id} (not readable)` : <Link to={`/flows/${n.namespace}/${n.id}`}>{n.namespace}/{n.id}</Link>}</li>)}</ul>
          {deps && others(deps.up).length === 0 && <p className="hint">none</p>}
          <h3>Downstream</h3>
          <ul>{deps && others(deps.down).map((n) => <li key={`${n.namespace}/${n.id}`}>{n.hidden ? `${n.namespace}/${n.id} (not readable)` : <Link to={`/flows/${n.namespace}/${n.id}`}>{n.namespace}/{n.id}</Link>}</li>)}</ul>
          {deps && others(deps.down).length === 0 && <p className="hint">none</p>}
          <h2>Table contracts of {namespace}</h2>
          <ul className="tables">{tables.map((t) => <li key={`${t.dataset}.${t.table}`}><Link to={`/tables/${namespace}/${t.dataset}.${t.table}`}>{t.dataset}.{t.table}</Link> ({t.version})</li>)}</ul>
          {tables.length === 0 && <p className="hint">none</p>}
          <h2>Recent executions</h2>
          <ul>{runs.map((r) => <li key={r.id}><Link to={`/executions/${r.id}`}><StateMark state={r.state} /> {r.createdAt}</Link></li>)}</ul>
          <h2>Revisions</h2>
          <table className="revisions">
            <thead><tr><th>Revision</th><th>By</th><th>At</th><th>Change</th></tr></thead>
            <tbody>{revisions.map((r) => (
              <tr key={r.revision}><td>{r.revision}{r.deleted ? " (deleted)" : ""}</td><td>{r.createdBy}</td><td>{r.createdAt}</td>
                <td>{r.revision > 1 && <button onClick={() => void showDiff(r.revision)}>Diff with {r.revision - 1}</button>}</td></tr>
            ))}</tbody>
          </table>
          {diffOf && (
            <>
              <h3>Revision {diffOf.revision - 1} → {diffOf.revision}</h3>
              <pre className="diff" tabIndex={0} aria-label="YAML diff">{lineDiff(diffOf.before, diffOf.after).map((l, i) => <div key={i} className={l.op === "+" ? "add" : l.op === "-" ? "del" : undefined}>{l.op} {l.text}</div>)}</pre>
            </>
          )}
        </section>
      </div>
    </>
  );
}
