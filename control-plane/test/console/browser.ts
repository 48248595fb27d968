import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { CONSOLE_DIR } from "../../src/http/console.ts";

/** Debian's Chromium (`apt-get install -y chromium`; .ci/run installs it). A test tool's own browser download does not work offline. */
export const CHROMIUM = "/usr/bin/chromium";
// Without the background-networking flags Chromium keeps trying to reach Google's hosts; CI runs as root, hence --no-sandbox.
const FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
export const SCREENSHOTS = fileURLToPath(new URL("../../../.console-screenshots", import.meta.url));

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (.ci/run does), then run the console tests again`);
  if (!existsSync(`${CONSOLE_DIR}/index.html`)) throw new Error(`the console is not built (${CONSOLE_DIR}): run \`npm install\` or \`npm run build:console -w control-plane\``);
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}

/** Everything the page reports as an error: console errors (CSP violations among them) and uncaught exceptions. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(e.message));
  return errors;
}

export async function signInAs(page: Page, baseUrl: string, apiKey: string, path = "/"): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await page.getByLabel("API key").fill(apiKey);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
}

/** A page at 1280 × 800 with its errors watched. */
export async function newPage(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  return { page, errors: watchErrors(page) };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe-core run in the page through the DevTools protocol (not an inline script: the CSP would refuse it); its serious and critical violations. */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => (window as any).axe.run(document, { resultTypes: ["violations"] }));
  return (result.violations as { id: string; impact: string; nodes: unknown[] }[]).filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} (${v.nodes.length})`);
}
