/**
 * CDKTF encodes its tokens inside strings as `${TfToken[TOKEN.n]}` and resolves every
 * such marker it finds at synth, in any string, including our SQL. Escaping `${` for
 * Terraform (`$${`) does not hide it: the marker is still a substring. A file holding the
 * marker would fail synth with "Unrecognized Token Key", or, worse, have a real token's
 * value substituted into the SQL. So it is refused up front, with its file and line.
 */
import { ModuleError, positionOf } from "../errors.ts";

const MARKER = "${TfToken[";

export function refuseTokenMarker(file: string, text: string): void {
  const at = text.indexOf(MARKER);
  if (at === -1) return;
  throw new ModuleError({
    file,
    ...positionOf(text, at),
    problem: "the text contains ${TfToken[, the marker CDKTF uses for its tokens: synth would replace or reject it",
    received: JSON.stringify(text.slice(at, at + 40)),
    expected: "any other text: split the literal, e.g. CONCAT('$', '{TfToken[…')",
  });
}
