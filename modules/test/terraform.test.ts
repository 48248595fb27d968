import { describe, expect, it } from "vitest";
import { escapeTerraformTemplate } from "../src/terraform/escape.ts";
import { assignResourceNames, TERRAFORM_NAME, terraformName } from "../src/terraform/resource-names.ts";
import { moduleErrorOf } from "./fixtures.ts";

describe("escapeTerraformTemplate", () => {
  it.each([
    ["SELECT '${x}'", "SELECT '$${x}'"],
    ["SELECT '%{if x}'", "SELECT '%%{if x}'"],
    ["${a}${b}%{c}", "$${a}$${b}%%{c}"],
    ["$${already}", "$$${already}"],
    ["%%{already}", "%%%{already}"],
    ["price $ 5, 100% {x} $x %x {y}", "price $ 5, 100% {x} $x %x {y}"],
    ["$$", "$$"],
    ["", ""],
    ["${\n}", "$${\n}"],
  ])("%j → %j", (input, expected) => {
    expect(escapeTerraformTemplate(input)).toBe(expected);
  });

  it("is not fooled by replacement-string patterns ($$, $&, $1)", () => {
    expect(escapeTerraformTemplate("$&{ $1{ $${")).toBe("$&{ $1{ $$${");
  });
});

describe("terraformName", () => {
  it.each([
    ["sales.orders", "sales_orders"],
    ["raw.2024_orders", "raw_2024_orders"],
    ["2024.t", "_2024_t"],
    ["sales.order-lines", "sales_order-lines"],
    ["-x", "_-x"],
    ["a b.c/d", "a_b_c_d"],
    ["é.t", "__t"],
  ])("%s → %s", (id, name) => {
    expect(terraformName(id)).toBe(name);
    expect(name).toMatch(TERRAFORM_NAME);
  });
});

describe("assignResourceNames", () => {
  it("names every id", () => {
    expect([...assignResourceNames([{ id: "a.b", file: "a/b/query.sql" }, { id: "a.c", file: "a/c/query.sql" }])]).toEqual([
      ["a.b", "a_b"],
      ["a.c", "a_c"],
    ]);
  });

  it("refuses two ids that sanitize to one name, naming both files", () => {
    const e = moduleErrorOf(() => assignResourceNames([{ id: "a.b_c", file: "a/b_c/query.sql" }, { id: "a_b.c", file: "x/a_b/c/query.sql" }]));
    expect([e.file, e.related, e.problem]).toEqual([
      "x/a_b/c/query.sql",
      ["a/b_c/query.sql"],
      '"a_b.c" and "a.b_c" (a/b_c/query.sql) would both become the Terraform resource name "a_b_c": two files would become one resource',
    ]);
  });

  it("refuses the same id twice", () => {
    expect(moduleErrorOf(() => assignResourceNames([{ id: "a.b", file: "one/a/b/query.sql" }, { id: "a.b", file: "two/a/b/view.sql" }])).problem).toBe(
      '"a.b" is defined twice, here and in one/a/b/query.sql: two files would become one resource',
    );
  });
});
