// A real Crossdock host (createAppHost) on isolated folders, driven through its router and stream
// handlers exactly as a window would, for tests of jobs across engines and restarts.
import type { CallName, CallRequest, CallResponse } from '../../shared/contract';
import { calls } from '../../shared/contract';
import { ApiError } from '../../shared/errors';
import type { JobOutputEvent, JobRecord, JobState } from '../../shared/jobs';
import { streams } from '../../shared/contract';
import { createAppHost, type AppHost } from '../../electron/host/app-host';
import type { EngineProvider } from '../../electron/engines/engine';

export interface JobHost {
  host: AppHost;
  call<K extends CallName>(name: K, request: CallRequest<K>): Promise<CallResponse<K>>;
  /** The job's output as a window would read it, until the stream ends (the job ended) or `until` holds. */
  output(jobId: string, until?: (text: Record<'stdout' | 'stderr' | 'tty' | 'notice', string>) => boolean): Promise<Record<'stdout' | 'stderr' | 'tty' | 'notice', string>>;
  waitForState(jobId: string, states: JobState[], timeoutMs?: number): Promise<JobRecord>;
  dispose(): Promise<void>;
}

export function startJobHost(dataDir: string, providers: EngineProvider[], env: NodeJS.ProcessEnv = process.env): JobHost {
  const host = createAppHost({
    // The cache folder is the test's own where it names one (SIF tests look into it).
    env: { CROSSDOCK_CACHE_DIR: `${dataDir}/cache`, ...env, CROSSDOCK_DATA_DIR: dataDir, CROSSDOCK_CONFIG_DIR: `${dataDir}/config`, CROSSDOCK_RUNTIME_DIR: `${dataDir}/run` },
    providers,
    detectOnStart: false,
    log: () => undefined,
  });
  const call = async <K extends CallName>(name: K, request: CallRequest<K>): Promise<CallResponse<K>> => {
    const envelope = await host.router.call(name, request, { transport: 'web', signal: new AbortController().signal });
    if (!envelope.ok) throw ApiError.fromBody(envelope.error);
    return calls[name].response.parse(envelope.result) as CallResponse<K>;
  };
  return {
    host,
    call,
    async output(jobId, until) {
      const text = { stdout: '', stderr: '', tty: '', notice: '' };
      const abort = new AbortController();
      const request = streams['jobs.output'].request.parse({ jobId });
      for await (const event of host.streamHandlers['jobs.output'](request, abort.signal) as AsyncIterable<JobOutputEvent>) {
        if (event.type === 'output') text[event.stream] += event.text;
        if (until?.(text)) {
          abort.abort();
          break;
        }
      }
      return text;
    },
    async waitForState(jobId, states, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const record = await call('jobs.get', { jobId });
        if (states.includes(record.state)) return record;
        if (Date.now() > deadline) throw new Error(`job ${jobId} is ${record.state}, not ${states.join('/')}, after ${timeoutMs} ms: ${record.message ?? ''}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    dispose: () => host.dispose(),
  };
}
