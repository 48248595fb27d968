import { Liquid } from "liquidjs";
import type { Task } from "../tasks/registry.ts";
import { TaskFailure } from "../tasks/task-definition.ts";

/**
 * Templates in task properties (SPEC §9): `{{ inputs.x }}`, `{{ execution.id }}`,
 * `{{ outputs.<task>.<name> }}`, `{{ taskrun.value }}`, `{{ trigger.type }}`, `{{ trigger.date }}`. Liquid
 * is a sandbox by design (no code execution, no access to JavaScript objects beyond the
 * scope's own properties: ownPropertyOnly); strictVariables makes an unknown variable
 * an error that names it, and the task fails with it.
 */
const liquid = new Liquid({ strictVariables: true, strictFilters: true, ownPropertyOnly: true, cache: 1000 });

export interface TemplateScope {
  readonly inputs: Record<string, unknown>;
  readonly execution: { id: string; namespace: string; flowId: string; flowRevision: number; labels: Record<string, string> };
  readonly outputs: Record<string, Record<string, unknown>>;
  readonly trigger: Record<string, unknown>;
  readonly taskrun?: { id?: string; value: unknown; attempt?: number };
}

/**
 * `{{ trigger.* }}`: what the execution records of its trigger, and `trigger.date`, the
 * slot a scheduled execution runs for (ISO 8601, UTC), as Kestra names it.
 */
export function triggerVariables(trigger: { readonly scheduledFor?: string | undefined }): Record<string, unknown> {
  return trigger.scheduledFor ? { ...trigger, date: trigger.scheduledFor } : { ...trigger };
}

const WHOLE_VARIABLE = /^\{\{\s*([A-Za-z_][\w]*(?:\.[\w]+|\[\d+\])*)\s*\}\}$/;

export function renderString(template: string, scope: TemplateScope, where: string): string {
  // The common case (no template at all) skips the engine.
  if (!template.includes("{{") && !template.includes("{%")) return template;
  try {
    // A whole-template `{{ outputs.q.rows }}` holding a list or an object passes through as
    // JSON (Liquid would print "[object Object]"), so that core.foreach can iterate it.
    const whole = WHOLE_VARIABLE.exec(template);
    if (whole) {
      const value: unknown = liquid.evalValueSync(whole[1]!, scope);
      if (value !== null && typeof value === "object") return JSON.stringify(value);
    }
    return liquid.parseAndRenderSync(template, scope as unknown as Record<string, unknown>);
  } catch (error) {
    throw new TaskFailure(`template error in ${where}: ${(error as Error).message}`);
  }
}

/** Every string property of a task rendered (ids, types and held tasks are left alone). */
export function renderTask<T extends Task>(task: T, scope: TemplateScope): T {
  const render = (value: unknown, where: string): unknown => {
    if (typeof value === "string") return renderString(value, scope, where);
    if (Array.isArray(value)) return value.map((v, i) => render(v, `${where}[${i}]`));
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, render(v, `${where}.${k}`)]));
    return value;
  };
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(task)) {
    out[key] = key === "id" || key === "type" || key === "tasks" ? value : render(value, `${task.id}.${key}`);
  }
  return out as T;
}
