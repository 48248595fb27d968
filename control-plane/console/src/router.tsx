import { useEffect, useState } from "react";

// A history router of a few lines: the console has five kinds of page.
export function navigate(to: string): void {
  history.pushState(null, "", to);
  window.dispatchEvent(new Event("meshplane:navigate"));
}

export function useLocation(): URL {
  const [url, setUrl] = useState(() => new URL(location.href));
  useEffect(() => {
    const update = () => setUrl(new URL(location.href));
    window.addEventListener("popstate", update);
    window.addEventListener("meshplane:navigate", update);
    return () => { window.removeEventListener("popstate", update); window.removeEventListener("meshplane:navigate", update); };
  }, []);
  return url;
}

export function Link(props: { to: string; children: React.ReactNode; className?: string }) {
  return (
    <a href={props.to} className={props.className} onClick={(e) => { if (e.metaKey || e.ctrlKey) return; e.preventDefault(); navigate(props.to); }}>
      {props.children}
    </a>
  );
}
