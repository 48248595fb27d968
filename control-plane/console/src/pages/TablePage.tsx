import { useEffect, useState } from "react";
import { api, type TableConsumers as Consumers, type TableContract as Contract, type TableContractVersion as Version, type TableRows as Rows } from "../api.ts";
import { Link } from "../router.tsx";
import { columnDiff, type Field } from "./schema-diff.ts";


function SchemaTree({ fields }: { fields: Field[] }) {
  return (
    <ul className="schema-tree">
      {fields.map((f) => (
        <li key={f.name}>
          <code>{f.name}</code> <span className="type">{f.type}</span> <span className={`mode ${f.mode}`}>{f.mode}</span>
          {f.description && <span className="description"> — {f.description}</span>}
          {f.fields && <SchemaTree fields={f.fields} />}
        </li>
      ))}
    </ul>
  );
}

function cell(v: unknown): string {
  return v === null || v === undefined ? "NULL" : typeof v === "object" ? JSON.stringify(v) : String(v);
}

function VersionDiff({ versions }: { versions: Version[] }) {
  const [from, setFrom] = useState(Math.max(0, versions.length - 2));
  const [to, setTo] = useState(versions.length - 1);
  const a = versions[from];
  const b = versions[to];
  if (!a || !b) return null;
  const diff = columnDiff(a.schema.fields, b.schema.fields);
  // The verdict of the steps between the two versions, as the server judged each write.
  const steps = versions.slice(Math.min(from, to) + 1, Math.max(from, to) + 1);
  const breaking = steps.filter((s) => s.breaking);
  return (
    <section aria-labelledby="diff-title">
      <h3 id="diff-title">Column diff</h3>
      <div className="filters">
        <label>From <select value={from} onChange={(e) => setFrom(Number(e.target.value))}>{versions.map((v, i) => <option key={i} value={i}>{v.version}</option>)}</select></label>
        <label>To <select value={to} onChange={(e) => setTo(Number(e.target.value))}>{versions.map((v, i) => <option key={i} value={i}>{v.version}</option>)}</select></label>
      </div>
      <p className={`verdict ${breaking.length ? "breaking" : "compatible"}`} role="status">
        {from === to ? "The same version." : breaking.length
          ? `Breaking: ${breaking.flatMap((s) => s.changes.filter((c) => c.breaking).map((c) => `${c.path} (${c.change})`)).join("; ")}`
          : "Compatible: no breaking change between these versions."}
      </p>
      <table className="column-diff">
        <thead><tr><th>Column</th><th>Change</th><th>{a.version}</th><th>{b.version}</th></tr></thead>
        <tbody>{diff.length === 0 ? <tr><td colSpan={4}>No column differs.</td></tr> : diff.map((d) => (
          <tr key={d.path} data-kind={d.kind}><td><code>{d.path}</code></td><td>{d.kind === "added" ? "+ added" : d.kind === "removed" ? "− removed" : "~ changed"}</td><td>{d.before ?? "—"}</td><td>{d.after ?? "—"}</td></tr>
        ))}</tbody>
      </table>
    </section>
  );
}

export function TablePage({ namespace, name }: { namespace: string; name: string }) {
  const base = `/tables/${namespace}/${name}`;
  const [contract, setContract] = useState<Contract | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [versions, setVersions] = useState<Version[]>([]);
  const [rows, setRows] = useState<Rows | string | null>(null);
  const [consumers, setConsumers] = useState<Consumers | null>(null);
  useEffect(() => {
    api<Contract>(base).then(setContract, (e: Error) => setError(e.message));
    api<{ items: Version[] }>(`${base}/versions`).then((p) => setVersions(p.items), () => undefined);
    api<Rows>(`${base}/rows?limit=20`).then(setRows, (e: Error) => setRows(`No preview: ${e.message}`));
    api<Consumers>(`${base}/consumers`).then(setConsumers, () => undefined);
  }, [base]);
  if (!contract) return <p role={error ? "alert" : undefined}>{error ?? "Loading…"}</p>;
  return (
    <>
      <h1>Table {contract.dataset}.{contract.table}</h1>
      <p>Namespace {contract.namespace} · version {contract.version} · {contract.feedType}{contract.keys.length ? ` · keys ${contract.keys.join(", ")}` : ""}</p>
      {contract.description && <p>{contract.description}</p>}
      <h2>Schema</h2>
      <SchemaTree fields={contract.schema.fields} />
      <h2>Versions</h2>
      <ol className="versions">{versions.map((v, i) => (
        <li key={i}>{v.version} · {v.at} · by {v.subject} · {i === 0 ? "created" : v.breaking ? "breaking change" : `${v.changes.length} compatible change${v.changes.length === 1 ? "" : "s"}`}</li>
      ))}</ol>
      {versions.length > 1 && <VersionDiff versions={versions} />}
      <h2>Preview</h2>
      {rows === null ? <p>Loading…</p> : typeof rows === "string" ? <p>{rows}</p> : rows.rows.length === 0 ? <p>The table has no rows.</p> : (
        <div className="scroll" tabIndex={0} role="region" aria-label="Preview of rows">
          <table className="rows">
            <thead><tr>{rows.columns.map((c) => <th key={c.name}>{c.name}</th>)}</tr></thead>
            <tbody>{rows.rows.map((r, i) => <tr key={i}>{rows.columns.map((c) => <td key={c.name}>{cell(r[c.name])}</td>)}</tr>)}</tbody>
          </table>
        </div>
      )}
      <h2>Consumers</h2>
      {consumers === null ? <p>Loading…</p> : (
        <>
          {consumers.items.length === 0 && consumers.hidden === 0 && <p>No flow reads this table.</p>}
          <ul className="consumers">{consumers.items.map((c) => <li key={`${c.namespace}/${c.flowId}`}><Link to={`/flows/${c.namespace}/${c.flowId}`}>{c.namespace}/{c.flowId}</Link></li>)}</ul>
          {consumers.hidden > 0 && <p>and {consumers.hidden} flow{consumers.hidden === 1 ? "" : "s"} in namespaces you cannot read.</p>}
        </>
      )}
    </>
  );
}
