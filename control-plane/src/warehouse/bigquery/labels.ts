/**
 * Job labels follow BigQuery's rules: keys and values of lowercase letters, digits, `_` and
 * `-`, at most 63 characters, keys starting with a letter. Execution ids and flow names
 * are lowercased and anything else becomes `_`, so a label never makes the job fail.
 */
export function jobLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels)) {
    let k = clean(key);
    if (!/^[a-z]/.test(k)) k = `l${k}`.slice(0, 63);
    out[k] = clean(value);
  }
  return out;
}

function clean(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9_-]/g, "_").slice(0, 63);
}
