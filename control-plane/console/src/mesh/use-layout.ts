import { useEffect, useRef, useState } from "react";
import type { Layout } from "./layout.ts";
import type { LayoutRequest } from "./layout.worker.ts";
import type { Mesh } from "./model.ts";

interface Laid { mesh: Mesh; visible: Set<string>; layout: Layout }

/**
 * The layout of the selected flows, computed in a Web Worker (layout.worker.ts); null
 * while the current selection is being laid out. An answer counts only for the selection
 * it was asked for, so typing in the search box never shows a stale map.
 */
export function useLayout(mesh: Mesh | null, visible: Set<string>, drawn: boolean): Layout | null {
  const worker = useRef<Worker | null>(null);
  const pending = useRef<{ id: number; mesh: Mesh; visible: Set<string> } | null>(null);
  const [laid, setLaid] = useState<Laid | null>(null);
  useEffect(() => {
    const w = new Worker(new URL("./layout.worker.ts", import.meta.url), { type: "module" });
    w.onmessage = (e: MessageEvent<{ id: number; layout: Layout }>) => {
      const asked = pending.current;
      if (asked && asked.id === e.data.id) setLaid({ mesh: asked.mesh, visible: asked.visible, layout: e.data.layout });
    };
    worker.current = w;
    return () => { w.terminate(); worker.current = null; };
  }, []);
  useEffect(() => {
    if (!mesh || !drawn || !worker.current) return;
    const id = (pending.current?.id ?? 0) + 1;
    pending.current = { id, mesh, visible };
    const request: LayoutRequest = { id, mesh, visible: [...visible] };
    worker.current.postMessage(request);
  }, [mesh, visible, drawn]);
  return laid !== null && laid.mesh === mesh && laid.visible === visible ? laid.layout : null;
}
