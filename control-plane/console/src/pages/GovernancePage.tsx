import { useEffect, useState } from "react";
import { all, api, type AuditEvent, type Namespace, type NamespaceAccess, type RoleBinding as Binding, type TriggerGrant } from "../api.ts";
import { navigate } from "../router.tsx";


/** Namespaces with owners, who can do what, trigger grants and the audit log (filters in the URL). All read-only: they are managed as code. */
export function GovernancePage({ url }: { url: URL }) {
  const [namespaces, setNamespaces] = useState<Namespace[]>([]);
  const [bindings, setBindings] = useState<Binding[]>([]);
  const [grants, setGrants] = useState<TriggerGrant[]>([]);
  const [audit, setAudit] = useState<AuditEvent[] | string>([]);
  const [access, setAccess] = useState<NamespaceAccess | string | null>(null);
  const accessOf = url.searchParams.get("access") ?? namespaces[0]?.name ?? "";
  const filter = ["namespace", "resourceType", "subject"].flatMap((f) => (url.searchParams.get(f) ? [`${f}=${encodeURIComponent(url.searchParams.get(f)!)}`] : [])).join("&");
  useEffect(() => {
    all<Namespace>("/namespaces").then(setNamespaces, () => undefined);
    all<Binding>("/role-bindings").then(setBindings, () => undefined);
    all<TriggerGrant>("/trigger-grants").then(setGrants, () => undefined);
  }, []);
  useEffect(() => { api<{ items: AuditEvent[] }>(`/audit?limit=100${filter ? `&${filter}` : ""}`).then((p) => setAudit(p.items), (e: Error) => setAudit(e.message)); }, [filter]);
  useEffect(() => { if (accessOf) api<NamespaceAccess>(`/namespaces/${accessOf}/access`).then(setAccess, (e: Error) => setAccess(e.message)); }, [accessOf]);
  const set = (name: string, value: string) => { const u = new URL(location.href); if (value) u.searchParams.set(name, value); else u.searchParams.delete(name); navigate(`${u.pathname}${u.search}`); };
  return (
    <>
      <h1>Governance</h1>
      <p className="managed">Managed as code (the platform repository's Terraform): read-only here</p>
      <h2>Namespaces</h2>
      <table><thead><tr><th>Namespace</th><th>Owner team</th><th>Role bindings</th></tr></thead>
        <tbody>{namespaces.map((n) => (
          <tr key={n.name}><td>{n.name}</td><td>{n.ownerTeam} (maintainer of its subtree)</td>
            <td>{bindings.filter((b) => b.namespace === n.name).map((b) => `${b.role}: ${b.team ? `team ${b.team}` : `service account ${b.serviceAccount}`}`).join("; ") || "–"}</td></tr>
        ))}</tbody></table>
      <h2>Who can do what</h2>
      <p><label htmlFor="access-namespace">Namespace</label> <select id="access-namespace" value={accessOf} onChange={(e) => set("access", e.target.value)}>{namespaces.map((n) => <option key={n.name}>{n.name}</option>)}</select></p>
      {typeof access === "string" ? <p role="alert" className="error">{access}</p> : access && (
        <table className="access"><thead><tr><th>Who</th><th>Effective role</th><th>May</th><th>Because</th></tr></thead>
          <tbody>{access.entries.map((e) => (
            <tr key={`${e.subject.kind}:${e.subject.name}`}><td>{e.subject.kind === "team" ? `team ${e.subject.name}` : `service account ${e.subject.name}`}</td><td>{e.role}</td><td>{e.permissions.join(", ")}</td>
              <td>{e.sources.map((s) => `${s.role}: ${s.kind === "ownership" ? `owns ${s.namespace}` : s.namespace ? `bound on ${s.namespace}` : "bound organisation-wide"}`).join("; ")}</td></tr>
          ))}</tbody></table>
      )}
      <h2>Trigger grants</h2>
      <table className="grants"><thead><tr><th>Upstream</th><th>Downstream</th><th>Kinds</th><th>By</th></tr></thead>
        <tbody>{grants.map((g) => <tr key={g.id}><td>{g.upstreamNamespace}{g.upstreamFlow ? `/${g.upstreamFlow}` : " (every flow)"}</td><td>{g.downstreamNamespace}</td><td>{g.kinds.join(", ")}</td><td>{g.createdBy}</td></tr>)}</tbody></table>
      <h2>Audit log</h2>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        {(["namespace", "resourceType", "subject"] as const).map((f) => <label key={f}>{f} <input defaultValue={url.searchParams.get(f) ?? ""} onBlur={(e) => set(f, e.target.value)} /></label>)}
      </form>
      {typeof audit === "string" ? <p role="alert" className="error">{audit}</p> : (
        <table className="audit"><thead><tr><th>At</th><th>Who</th><th>Action</th><th>Resource</th><th>Before → after</th></tr></thead>
          <tbody>{audit.map((e) => (
            <tr key={e.id}><td>{e.at}</td><td>{e.subject}</td><td>{e.action}</td><td>{e.resourceType} {e.resourceId}</td>
              <td><details><summary>show</summary><pre>{JSON.stringify({ before: e.before, after: e.after }, null, 2)}</pre></details></td></tr>
          ))}</tbody></table>
      )}
    </>
  );
}
