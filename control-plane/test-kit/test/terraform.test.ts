// The Terraform driver's own rules, without running terraform (the provider's and the
// modules' tests run it through this driver): the platform folder, the package it
// installs, and the environment it leaves to terraform.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { providerPackage, TerraformWorkspace, terraformPlatform } from "../src/terraform.ts";

const scratch = mkdtempSync(join(tmpdir(), "meshplane-test-kit-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function fakePackage(name: string, files: Record<string, string>): string {
  const dir = mkdtempSync(join(scratch, `${name}-`));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

describe("terraformPlatform", () => {
  it.each([
    ["linux", "x64", "linux_amd64"],
    ["linux", "arm64", "linux_arm64"],
    ["darwin", "arm64", "darwin_arm64"],
    ["darwin", "x64", "darwin_amd64"],
    ["win32", "ia32", "windows_386"],
    ["freebsd", "arm", "freebsd_arm"],
  ])("%s/%s → %s", (platform, arch, expected) => {
    expect(terraformPlatform(platform, arch)).toBe(expected);
  });

  it("defaults to this machine", () => {
    expect(terraformPlatform()).toBe(terraformPlatform(process.platform, process.arch));
  });
});

describe("providerPackage", () => {
  it("reads type and version from the plugin binary's name", () => {
    const dir = fakePackage("pkg", { "terraform-provider-meshplane_v1.2.3-rc.1": "#!/bin/sh\n", "provider.cjs": "" });
    expect(providerPackage(dir)).toEqual({ dir, type: "meshplane", version: "1.2.3-rc.1" });
  });

  it("refuses a folder without a plugin binary, naming the folder, what it holds and the fix", () => {
    const dir = fakePackage("empty", { "provider.cjs": "" });
    expect(() => providerPackage(dir)).toThrow(`${dir} holds no terraform-provider-<type>_v<version> binary (found: provider.cjs): build the provider package first`);
  });
});

describe("TerraformWorkspace", () => {
  it("installs the package for this platform and keeps the machine's TF_* and MESHPLANE_* out", () => {
    const pkg = fakePackage("pkg", { "terraform-provider-meshplane_v0.9.0": "#!/bin/sh\n" });
    const saved = { ...process.env };
    process.env["TF_CLI_CONFIG_FILE"] = "/nonexistent/terraform.rc";
    process.env["TF_LOG"] = "TRACE";
    process.env["MESHPLANE_API_KEY"] = "mp_machine_key";
    try {
      const ws = new TerraformWorkspace({ provider: pkg, env: { MESHPLANE_ENDPOINT: "http://127.0.0.1:1" } });
      const installed = join(ws.pluginDir, "registry.terraform.io", "meshplane", "meshplane", "0.9.0", terraformPlatform(), "terraform-provider-meshplane_v0.9.0");
      expect(existsSync(installed)).toBe(true);
      expect(ws.env["TF_CLI_CONFIG_FILE"]).toBe(join(ws.root, "terraform.rc"));
      expect(readFileSync(ws.env["TF_CLI_CONFIG_FILE"]!, "utf8")).toMatch(/^#/);
      expect(ws.env["TF_LOG"]).toBeUndefined();
      expect(ws.env["MESHPLANE_API_KEY"]).toBeUndefined();
      expect(ws.env["MESHPLANE_ENDPOINT"]).toBe("http://127.0.0.1:1");
      ws.cleanup();
      expect(existsSync(ws.root)).toBe(false);
    } finally {
      process.env = saved;
    }
  });
});
