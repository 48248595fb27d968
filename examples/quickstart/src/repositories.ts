/** The example repositories, in the order their CI would first run, and the key each CI holds. */
import { join } from "node:path";
import { REPO_ROOT } from "./paths.ts";

export interface ExampleRepository {
  /** Also the name of its working dir under <data dir>/quickstart. */
  readonly name: string;
  readonly dir: string;
  /** Whose key its CI uses: the bootstrap platform-admin, or a team's CI service account (an output of the platform). */
  readonly key: { readonly kind: "admin" } | { readonly kind: "service-account"; readonly name: string; readonly team: string };
  readonly namespace?: string;
}

const examples = join(REPO_ROOT, "examples");

export const REPOSITORIES: readonly ExampleRepository[] = [
  { name: "platform", dir: join(examples, "platform"), key: { kind: "admin" } },
  { name: "sales", dir: join(examples, "domains", "sales"), key: { kind: "service-account", name: "sales-ci", team: "sales" }, namespace: "retail.sales" },
  { name: "supply", dir: join(examples, "domains", "supply"), key: { kind: "service-account", name: "supply-ci", team: "supply" }, namespace: "retail.supply" },
  { name: "finance", dir: join(examples, "domains", "finance"), key: { kind: "service-account", name: "finance-ci", team: "finance" }, namespace: "retail.finance" },
];
