import "@xyflow/react/dist/style.css";
import "./styles.css";
import { StrictMode, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { api, type WhoAmI } from "./api.ts";
import { currentToken, signIn, signOut } from "./auth.ts";
import { MeshMap } from "./mesh/MeshMap.tsx";
import { ExecutionPage } from "./pages/ExecutionPage.tsx";
import { ExecutionsPage } from "./pages/ExecutionsPage.tsx";
import { FlowPage } from "./pages/FlowPage.tsx";
import { GovernancePage } from "./pages/GovernancePage.tsx";
import { TablePage } from "./pages/TablePage.tsx";
import { Link, navigate, useLocation } from "./router.tsx";

function SignIn({ onDone }: { onDone: () => void }) {
  const [key, setKey] = useState("");
  const [error, setError] = useState<string | null>(null);
  return (
    <main className="signin">
      <h1>Meshplane</h1>
      <form onSubmit={(e) => { e.preventDefault(); signIn(key).then(() => { setKey(""); onDone(); }, (err: Error) => setError(err.message)); }}>
        <label>API key <input type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} required /></label>
        <button type="submit">Sign in</button>
        {error && <p role="alert" className="error">{error}</p>}
        <p className="hint">The key is exchanged for a short-lived token kept in this tab only; the key itself is not stored.</p>
      </form>
    </main>
  );
}

function App() {
  const [signedIn, setSignedIn] = useState(() => currentToken() !== null);
  const [me, setMe] = useState<WhoAmI | null>(null);
  const url = useLocation();
  useEffect(() => {
    const out = () => { setSignedIn(false); setMe(null); };
    window.addEventListener("meshplane:signed-out", out);
    return () => window.removeEventListener("meshplane:signed-out", out);
  }, []);
  useEffect(() => { if (signedIn) api<WhoAmI>("/whoami").then(setMe, () => undefined); }, [signedIn]);
  if (!signedIn) return <SignIn onDone={() => setSignedIn(true)} />;
  const path = url.pathname;
  const setQuery = (q: string) => { const u = new URL(location.href); if (q) u.searchParams.set("select", q); else u.searchParams.delete("select"); history.replaceState(null, "", u); window.dispatchEvent(new Event("meshplane:navigate")); };
  let page: React.ReactNode;
  if (path === "/") page = <MeshMap query={url.searchParams.get("select") ?? ""} setQuery={setQuery} />;
  else if (path === "/executions") page = <ExecutionsPage url={url} />;
  else if (path.startsWith("/executions/")) page = <ExecutionPage id={decodeURIComponent(path.slice("/executions/".length))} me={me} />;
  else if (path.startsWith("/flows/")) {
    const [ns = "", id = ""] = path.slice("/flows/".length).split("/").map(decodeURIComponent);
    page = <FlowPage key={`${ns}/${id}`} namespace={ns} id={id} me={me} />;
  } else if (path.startsWith("/tables/")) {
    const [ns = "", name = ""] = path.slice("/tables/".length).split("/").map(decodeURIComponent);
    page = <TablePage key={`${ns}/${name}`} namespace={ns} name={name} />;
  } else if (path === "/governance") page = <GovernancePage url={url} />;
  else page = <p>No such page. <Link to="/">Back to the mesh map</Link></p>;
  return (
    <>
      <header className="top">
        <strong className="brand">Meshplane</strong>
        <nav aria-label="Main"><Link to="/">Mesh map</Link><Link to="/executions">Executions</Link><Link to="/governance">Governance</Link></nav>
        <span className="who">{me ? `${me.subject} (team ${me.team})` : ""}</span>
        <button onClick={() => { signOut(); navigate("/"); }}>Sign out</button>
      </header>
      <main className="page">{page}</main>
    </>
  );
}

createRoot(document.getElementById("root")!).render(<StrictMode><App /></StrictMode>);
