import { existsSync, mkdirSync } from "node:fs";
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
