// Every react-query key in one place, so invalidation and reads cannot drift apart.
import type { EngineId } from '../../shared/model';

export const queryKeys = {
  appInfo: ['app-info'] as const,
  settings: ['settings'] as const,
  engines: ['engines'] as const,
  images: (engineId: EngineId) => ['images', engineId] as const,
  image: (engineId: EngineId, imageId: string) => ['image', engineId, imageId] as const,
  imagesOfEngine: (engineId: EngineId) => ['image', engineId] as const,
  runOptions: ['run-options'] as const,
  jobs: ['jobs'] as const,
  job: (jobId: string) => ['job', jobId] as const,
  recentRuns: (engineId: EngineId, imageId: string) => ['recent-runs', engineId, imageId] as const,
  /** Every image's recent runs: re-read once a job started. */
  allRecentRuns: ['recent-runs'] as const,
  comparisons: ['comparisons'] as const,
  comparison: (comparisonId: string) => ['comparison', comparisonId] as const,
  /** One attempt's stdout, for the diff view: it never changes once the attempt ended. */
  comparisonStdout: (comparisonId: string, target: number, round: number) => ['comparison-stdout', comparisonId, target, round] as const,
  comparisonStdoutOf: (comparisonId: string) => ['comparison-stdout', comparisonId] as const,
};
