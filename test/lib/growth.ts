/**
 * Linear time, checked without a clock bound: how the CPU time this process spends on `run(n)`
 * grows when the input grows `factor` times. CPU time (process.cpuUsage) does not count the time
 * the process waits for a core, so a loaded machine does not change the ratio much; a linear
 * algorithm gives about `factor`, a quadratic one about `factor` squared. Each size is measured
 * three times and the fastest kept, after one warm-up run.
 */
export function cpuGrowth(run: (n: number) => void, n: number, factor = 8): number {
  // The best of five samples of `reps` runs each. The small size runs `factor` times per sample,
  // so both sides measure about the same amount of work and a collection or a preemption in one
  // short run does not decide the ratio.
  const cpu = (size: number, reps: number) => {
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 5; i++) {
      const before = process.cpuUsage();
      for (let r = 0; r < reps; r++) run(size);
      const used = process.cpuUsage(before);
      best = Math.min(best, used.user + used.system);
    }
    // cpuUsage counts in microseconds; a run shorter than that would divide by nothing.
    return Math.max(best, 1);
  };
  run(n);
  run(n * factor);
  return cpu(n * factor, 1) / (cpu(n, factor) / factor);
}

/**
 * True when growing the input `factor` times made the work grow clearly less than `factor`
 * squared (what a quadratic algorithm shows): below `factor` × 4 (half of the quadratic 64 for
 * the default 8), room for the noise of a shared machine.
 */
export function linear(ratio: number, factor = 8): boolean {
  return ratio < factor * 4;
}
