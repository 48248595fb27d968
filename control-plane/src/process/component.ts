import type { Logger } from "../logger.ts";

/**
 * One part of a process (the database and its pools, the executor, the workers, the
 * scheduler, HTTP…). A process is a list of components started in order and stopped in
 * the reverse order, so that nothing is stopped while something started after it still
 * uses it: the workers drain before the pools they write through are closed.
 */
export interface Component {
  readonly name: string;
  /** Gets the part running. A start that fails must leave nothing of itself behind. */
  start(): Promise<void>;
  /** Undoes start; running work may take up to `graceMs` to finish (workers drain). */
  stop(graceMs: number): Promise<void>;
}

export interface RunningComponents {
  /** Stops every started component in reverse order; once, however often it is called. */
  stop(graceMs: number): Promise<void>;
}

/**
 * Starts `components` one after the other, logging each. If one fails, those already
 * started are stopped (in reverse, no grace: nothing ran yet) and the error is thrown.
 */
export async function startComponents(components: readonly Component[], logger: Logger): Promise<RunningComponents> {
  const started: Component[] = [];
  try {
    for (const component of components) {
      const begun = Date.now();
      await component.start();
      started.push(component);
      logger.info({ component: component.name, ms: Date.now() - begun }, "component started");
    }
  } catch (error) {
    await stopInReverse(started, 0, logger).catch(() => undefined);
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return { stop: (graceMs) => (stopping ??= stopInReverse(started, graceMs, logger)) };
}

/** Every component gets its stop even when an earlier one failed; the first failure is thrown after. */
async function stopInReverse(started: readonly Component[], graceMs: number, logger: Logger): Promise<void> {
  let failure: unknown;
  for (const component of [...started].reverse()) {
    const begun = Date.now();
    try {
      await component.stop(graceMs);
      logger.info({ component: component.name, ms: Date.now() - begun }, "component stopped");
    } catch (error) {
      failure ??= error;
      logger.error({ component: component.name, err: (error as Error)?.message ?? String(error) }, "component failed to stop");
    }
  }
  if (failure !== undefined) throw failure;
}

/** A component from two functions (for the small ones). */
export function component(name: string, start: () => Promise<void>, stop: (graceMs: number) => Promise<void> = async () => undefined): Component {
  return { name, start, stop };
}
