/**
 * Benchmark (not a test): the compliance engine over a year of one driver's records.
 *
 *   npm run bench -w @civic/transport   (tsc into dist/bench, then node 24 runs it)
 *
 * Builds a realistic year with a seeded generator — five or six working days a week, each with
 * many short activity changes (traffic, loading, waiting) as a tachograph records them, breaks,
 * daily rests, a weekly rest that is sometimes reduced — about 20,000 periods, then times
 * validation and evaluation (median of several runs after warm-up) and prints periods per second.
 * A ten-year record is timed in the same run to show the cost grows linearly.
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { evaluateCompliance, validateComplianceRequest, type ActivityInput } from '../src/rules/index.js';
import { generate } from './records.js';

const NOW = '2040-01-01T00:00:00.000Z';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(label: string, activities: ActivityInput[], runs: number) {
  const validateMs: number[] = [];
  const evaluateMs: number[] = [];
  let findings = 0;
  for (let i = 0; i < runs + 3; i++) {
    const t0 = performance.now();
    const result = validateComplianceRequest({ activities }, { now: NOW });
    const t1 = performance.now();
    if (!result.ok) throw new Error(`bench: generated record is invalid: ${result.errors[0]!.message}`);
    const report = evaluateCompliance(result.value);
    const t2 = performance.now();
    findings = report.findings.length;
    if (i >= 3) {
      validateMs.push(t1 - t0);
      evaluateMs.push(t2 - t1);
    }
  }
  const v = median(validateMs);
  const e = median(evaluateMs);
  const total = v + e;
  console.log(
    `${label.padEnd(9)} ${String(activities.length).padStart(7)} periods  validate ${v.toFixed(1).padStart(6)} ms` +
      `  evaluate ${e.toFixed(1).padStart(6)} ms  total ${total.toFixed(1).padStart(6)} ms` +
      `  ${Math.round(activities.length / (total / 1000)).toLocaleString('en')} periods/s  (${findings} findings)`,
  );
  return total;
}

const year = generate(52, 561);
const decade = generate(520, 561);
console.log(
  `compliance engine, node ${process.version}, ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)}; median of runs after 3 warm-ups`,
);
const yearMs = time('1 year', year, 15);
const decadeMs = time('10 years', decade, 5);
console.log(
  `ms per year of records: ${yearMs.toFixed(1)}; 10 years / 1 year time ratio ${(decadeMs / yearMs).toFixed(2)} (10 = linear)`,
);
