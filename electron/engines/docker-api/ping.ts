// Does anything answer the Docker API's /_ping on this socket within the time given?
import Dockerode from 'dockerode';

export async function socketAnswers(socketPath: string, timeoutMs: number): Promise<boolean> {
  const docker = new Dockerode({ socketPath });
  const ping = docker.ping as unknown as (options: { abortSignal: AbortSignal }) => Promise<unknown>;
  try {
    await ping.call(docker, { abortSignal: AbortSignal.timeout(timeoutMs) });
    return true;
  } catch {
    return false;
  }
}
