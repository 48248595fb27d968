// Column diff between two versions of a table contract, by dotted path (customer.address.zip).
export interface Field { name: string; type: string; mode: string; description?: string; fields?: Field[] }
export interface ColumnDiff { path: string; kind: "added" | "removed" | "changed"; before?: string; after?: string }

function flatten(fields: Field[], prefix = "", into = new Map<string, string>()): Map<string, string> {
  for (const f of fields) {
    const path = prefix ? `${prefix}.${f.name}` : f.name;
    into.set(path, `${f.type} ${f.mode}`);
    if (f.fields) flatten(f.fields, path, into);
  }
  return into;
}

export function columnDiff(before: Field[], after: Field[]): ColumnDiff[] {
  const a = flatten(before);
  const b = flatten(after);
  const out: ColumnDiff[] = [];
  for (const [path, was] of a) {
    const now = b.get(path);
    if (now === undefined) out.push({ path, kind: "removed", before: was });
    else if (now !== was) out.push({ path, kind: "changed", before: was, after: now });
  }
  for (const [path, now] of b) if (!a.has(path)) out.push({ path, kind: "added", after: now });
  return out;
}
