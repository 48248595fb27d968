/**
 * `npm run quickstart [-- --once]`: see quickstart.ts for what it does. This file is the
 * command line: options, output, signals and the exit code.
 *
 * Ctrl-C (SIGINT), SIGTERM or SIGHUP: passed on once to whatever runs (terraform stops
 * cleanly, the control plane stops its PostgreSQL), then the quickstart exits once every
 * child has exited. Exit codes: 0 done, 1 failed, 130 interrupted before the end.
 */
import { childrenExited, signalChildren } from "./children.ts";
import { defaultDataDir } from "./paths.ts";
import { runQuickstart, type QuickstartRun } from "./quickstart.ts";
import { exploreLines, shown, summaryLines } from "./report.ts";

const USAGE = `usage: npm run quickstart [-- --once]

Starts the Meshplane control plane on an embedded PostgreSQL (data in ./.meshplane, or
MESHPLANE_DATA_DIR), applies the example platform and domain repositories with terraform,
prints what happened, and keeps serving until Ctrl-C.

  --once    stop after the summary (also when CI=true)
  --help    this text

Environment: MESHPLANE_DATA_DIR, MESHPLANE_PORT (default 8080, or any free port when 8080
is taken), MESHPLANE_HOST, MESHPLANE_DATABASE_URL (an external PostgreSQL instead of the
embedded one), MESHPLANE_ADMIN_API_KEY.`;

const say = (line = "") => process.stdout.write(`${line}\n`);

async function main(argv: string[]): Promise<number> {
  const unknown = argv.filter((a) => a !== "--once" && a !== "--help" && a !== "-h");
  if (argv.includes("--help") || argv.includes("-h")) {
    say(USAGE);
    return 0;
  }
  if (unknown.length > 0) {
    process.stderr.write(`quickstart: unknown argument ${unknown[0]}\n\n${USAGE}\n`);
    return 2;
  }
  const once = argv.includes("--once") || process.env["CI"] === "true";
  const port = process.env["MESHPLANE_PORT"];
  const dataDir = defaultDataDir();

  let interrupted = false;
  let wake: () => void = () => undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) {
      process.stderr.write("\nquickstart: still stopping (the control plane is stopping its PostgreSQL)…\n");
      return;
    }
    interrupted = true;
    process.stderr.write(`\nquickstart: ${signal}, stopping…\n`);
    signalChildren("SIGINT");
    wake();
  };
  for (const s of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(s, onSignal);

  say(`Meshplane quickstart (data: ${shown(dataDir)})`);
  say();
  let run: QuickstartRun | undefined;
  try {
    run = await runQuickstart({
      dataDir,
      ...(process.env["MESHPLANE_HOST"] ? { host: process.env["MESHPLANE_HOST"] } : {}),
      ...(port !== undefined ? { port: Number(port) } : {}),
      progress: (text, partial) => process.stdout.write(partial ? text : `${text}\n`),
    });
    for (const line of summaryLines(run)) say(line);
    for (const line of exploreLines(run, { once: once || interrupted })) say(line);
    if (!once && !interrupted) await new Promise<void>((resolve) => (wake = resolve));
    return interrupted && once ? 130 : 0;
  } catch (error) {
    if (interrupted) {
      process.stderr.write("quickstart: interrupted.\n");
      return 130;
    }
    process.stderr.write(`\nquickstart: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await run?.controlPlane.stop();
    await childrenExited();
  }
}

process.exitCode = await main(process.argv.slice(2));
