/**
 * Where a domain repository's files come from. The reader (read-domain.ts, read-object.ts)
 * only asks "which entries are in this folder" and "what does this file hold", so the same
 * rules run on a folder on disk (SqlDomain) and on a map of relative path → content (the
 * provider function `provider::meshplane::sql_domain`, which Terraform hands the result
 * of `fileset` + `file`: there is no disk access from a provider function).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ModuleError } from "../errors.ts";

export interface FolderEntry {
  readonly name: string;
  readonly isFile: boolean;
  readonly isDirectory: boolean;
}

export interface DomainFiles {
  /** `file` is relative to the root, `/`-separated. */
  exists(file: string): boolean;
  read(file: string): Uint8Array;
  /** Entries of a folder (`[]` is the root), in any order. */
  list(folder: readonly string[]): FolderEntry[];
}

export function diskFiles(root: string): DomainFiles {
  return {
    exists: (file) => existsSync(join(root, ...file.split("/"))),
    read: (file) => readFileSync(join(root, ...file.split("/"))),
    list: (folder) => readdirSync(join(root, ...folder), { withFileTypes: true }).map((e) => ({ name: e.name, isFile: e.isFile(), isDirectory: e.isDirectory() })),
  };
}

/** What a map key must look like: `fileset` output, relative and `/`-separated. */
const UNSAFE_SEGMENT = /^(|\.|\.\.)$/;

/**
 * Files given as relative path → text. Folders are implied by the paths. A path that is
 * absolute, has `..`, `.` or empty segments, or backslashes is refused naming it, since the
 * folder convention gives meaning to every folder level.
 */
export function memoryFiles(files: Readonly<Record<string, string>>, what = "files"): DomainFiles {
  const contents = new Map<string, Uint8Array>();
  const folders = new Map<string, Map<string, FolderEntry>>([["", new Map()]]);
  const encoder = new TextEncoder();
  for (const path of Object.keys(files).sort()) {
    const parts = path.split("/");
    if (path.includes("\\") || parts.some((p) => UNSAFE_SEGMENT.test(p))) {
      throw new ModuleError({ file: what, problem: `the key ${JSON.stringify(path)} is not a relative file path`, received: path, expected: 'paths relative to the domain folder, "/"-separated, without "." or ".." segments, as fileset(path, "**") gives them' });
    }
    for (let i = 0; i < parts.length; i++) {
      const folder = parts.slice(0, i).join("/");
      const entries = folders.get(folder) ?? new Map<string, FolderEntry>();
      folders.set(folder, entries);
      const isFile = i === parts.length - 1;
      const prior = entries.get(parts[i]!);
      if (prior && prior.isFile !== isFile) {
        throw new ModuleError({ file: what, problem: `${parts.slice(0, i + 1).join("/")} is given both as a file and as a folder`, received: path, expected: "each path either a file or a folder" });
      }
      entries.set(parts[i]!, { name: parts[i]!, isFile, isDirectory: !isFile });
    }
    contents.set(path, encoder.encode(files[path]!));
  }
  return {
    exists: (file) => contents.has(file),
    read: (file) => {
      const bytes = contents.get(file);
      if (!bytes) throw new ModuleError({ file, problem: "no such file", expected: `${file} in ${what}` });
      return bytes;
    },
    list: (folder) => [...(folders.get(folder.join("/"))?.values() ?? [])],
  };
}
