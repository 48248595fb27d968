// The map's layout off the main thread: dagre on a few hundred flows takes long enough to
// freeze typing in the search box. One request at a time matters only by its id (MeshMap
// drops answers to a selection that has changed since).
import { layoutMesh } from "./layout.ts";
import type { Mesh } from "./model.ts";

export interface LayoutRequest { id: number; mesh: Mesh; visible: string[] }

self.onmessage = (e: MessageEvent<LayoutRequest>) => {
  const { id, mesh, visible } = e.data;
  self.postMessage({ id, layout: layoutMesh(mesh, new Set(visible)) });
};
