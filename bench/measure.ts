/** How long each micro case warms up and runs. */
export const MICRO_WARMUP_MS = 300;
export const MICRO_DURATION_MS = 1000;

/**
 * Operations per second of `operation`, after a warm-up, over at least `durationMs`.
 * Synchronous operations run in batches so the clock is read rarely.
 */
export async function opsPerSecond(operation: () => unknown, durationMs = MICRO_DURATION_MS): Promise<number> {
  await runFor(operation, MICRO_WARMUP_MS);
  const { count, elapsedMs } = await runFor(operation, durationMs);
  return (count / elapsedMs) * 1000;
}

async function runFor(operation: () => unknown, durationMs: number): Promise<{ count: number; elapsedMs: number }> {
  const started = performance.now();
  let count = 0;
  const first = operation();
  count++;
  const isAsync = first instanceof Promise;
  if (isAsync) await first;
  while (performance.now() - started < durationMs) {
    if (isAsync) {
      await operation();
      count++;
    } else {
      for (let i = 0; i < 256; i++) operation();
      count += 256;
    }
  }
  return { count, elapsedMs: performance.now() - started };
}

/** The value at quantile `q` (0..1) of a list of numbers. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}
