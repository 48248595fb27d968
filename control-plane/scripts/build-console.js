// Builds the web console (console/) into console/dist, run by `npm install` (postinstall) so the
// README's two commands still set everything up. The control plane serves the result at /.
import { fileURLToPath } from "node:url";
import { build } from "vite";

const configFile = fileURLToPath(new URL("../console/vite.config.ts", import.meta.url));
const started = Date.now();
await build({ configFile, logLevel: "warn" });
console.log(`meshplane console built in ${Date.now() - started} ms (console/dist)`);
