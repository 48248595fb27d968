// YAML with light highlighting (keys, comments, strings), built as React elements: no HTML injection.
export function YamlView({ source }: { source: string }) {
  return (
    <pre className="yaml" tabIndex={0} aria-label="Flow source">
      {source.split("\n").map((line, i) => {
        const comment = line.match(/^(\s*)(#.*)$/);
        if (comment) return <div key={i}>{comment[1]}<span className="y-comment">{comment[2]}</span></div>;
        const kv = line.match(/^(\s*-?\s*)([A-Za-z_][\w.-]*)(:)(.*)$/);
        if (kv) return <div key={i}>{kv[1]}<span className="y-key">{kv[2]}</span>{kv[3]}<span className={/^\s*["']/.test(kv[4]!) ? "y-string" : undefined}>{kv[4]}</span></div>;
        return <div key={i}>{line || " "}</div>;
      })}
    </pre>
  );
}
