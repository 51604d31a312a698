import type { Logger } from '../log/logger.js';
import { judgeAnalysis, perInterval, type AnalysisRules } from './judge.js';
import type { AnalysisVerdict, EvidenceSource, IntervalFigures, Measurements, WatchSignal } from './types.js';
import { percentile } from '../smoke/stats.js';

export interface WindowSettings {
  durationMs: number;
  intervalMs: number;
  maxDurationMs: number;
  extend: boolean;
  rules: AnalysisRules;
  /** Ends the window early (a cancelled run). */
  signal?: AbortSignal;
}

export interface WindowResult {
  verdict: AnalysisVerdict;
  measurements: Measurements;
  intervals: IntervalFigures[];
  /** ms from the first decisive signal to the end of the window, when one ended it. */
  signalToEndMs?: number;
  extendedMs: number;
  cancelled: boolean;
}

/**
 * Runs the window: starts every source, prints a progress line each interval, and ends at the window's
 * end, at the first decisive signal (a canary or stable pod in trouble), or when the run is cancelled.
 * With extend, an inconclusive verdict at the end grows the window by one interval at a time, up to
 * maxDuration. The verdict is judgeAnalysis of what the sources measured.
 */
export async function runWindow(sources: EvidenceSource[], settings: WindowSettings, logger: Logger): Promise<WindowResult> {
  const opened = Date.now();
  let decisive: { signal: WatchSignal; seenAt: number } | undefined;
  let wake: (() => void) | undefined;
  const onDecisive = (signal: WatchSignal): void => {
    decisive ??= { signal, seenAt: Date.now() };
    wake?.();
  };
  const onAbort = (): void => wake?.();
  settings.signal?.addEventListener('abort', onAbort);
  const measure = (): Measurements => {
    const m: Measurements = { pairs: [], signals: [], elapsedMs: Date.now() - opened, skipped: 0 };
    for (const s of sources) s.measure(m);
    return m;
  };
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(resolve, Math.max(0, ms));
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  try {
    for (const s of sources) await s.start(opened, onDecisive);
    let end = opened + settings.durationMs;
    const limit = opened + Math.max(settings.durationMs, settings.maxDurationMs);
    let nextTick = opened + settings.intervalMs;
    for (;;) {
      await sleep(Math.min(nextTick, end) - Date.now());
      if (decisive || settings.signal?.aborted) break;
      const now = Date.now();
      if (now >= nextTick) {
        logger.info(progressLine(measure(), settings, end - opened));
        nextTick += settings.intervalMs;
      }
      if (now < end) continue;
      if (!settings.extend) break;
      const interim = judgeAnalysis(measure(), settings.rules);
      if (interim.outcome !== 'inconclusive' || end >= limit) break;
      end = Math.min(limit, end + settings.intervalMs);
      logger.info(
        `analysis inconclusive after ${Math.round((now - opened) / 1000)}s (${interim.line}); extending the window to ${Math.round((end - opened) / 1000)}s (analysis.onInconclusive is extend, analysis.maxDuration ${Math.round(settings.maxDurationMs / 1000)}s)`,
      );
    }
  } finally {
    settings.signal?.removeEventListener('abort', onAbort);
    await Promise.all(sources.map((s) => s.stop()));
  }
  const measurements = measure();
  const verdict = judgeAnalysis(measurements, settings.rules);
  const result: WindowResult = {
    verdict,
    measurements,
    intervals: perInterval(measurements.pairs, settings.intervalMs, measurements.elapsedMs),
    extendedMs: Math.max(0, measurements.elapsedMs - settings.durationMs),
    cancelled: settings.signal?.aborted === true,
  };
  if (decisive) result.signalToEndMs = Date.now() - decisive.seenAt;
  return result;
}

function progressLine(m: Measurements, settings: WindowSettings, windowMs: number): string {
  const counted = m.pairs.filter((p) => !p.warmup);
  const p50 = (side: 'canary' | 'stable'): string => {
    const values = counted.filter((p) => p[side].ok).map((p) => p[side].latencyMs);
    return values.length > 0 ? `${percentile(values, 50).toFixed(1)} ms` : '-';
  };
  const errs = (side: 'canary' | 'stable'): number => counted.filter((p) => !p[side].ok).length;
  return `analysis ${Math.round(m.elapsedMs / 1000)}s/${Math.round(windowMs / 1000)}s: ${counted.length} paired request(s) counted (minimum ${settings.rules.minSamples}), p50 canary ${p50('canary')} vs stable ${p50('stable')}, errors canary ${errs('canary')} stable ${errs('stable')}${m.skipped ? `, ${m.skipped} not sent (servers slower than analysis.load.rps)` : ''}`;
}
