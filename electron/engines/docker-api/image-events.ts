// Watches an engine's image events (GET /events?filters={"type":["image"]}) and tells the
// registry when images may have changed, or once when the stream dies (daemon stopped).
import type Dockerode from 'dockerode';
import type { Disposable } from '../engine';
import { NdjsonSplitter } from './ndjson';

export interface ImageEventHandlers {
  onChange: () => void;
  onLost: (reason: string) => void;
}

/** True for an event about an image (tag, untag, delete, import, load, pull, ...). */
export function isImageEvent(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as { Type?: unknown; type?: unknown };
  return record.Type === 'image' || record.type === 'image';
}

export function watchImageEvents(docker: Dockerode, handlers: ImageEventHandlers, log: (message: string) => void): Disposable {
  let disposed = false;
  let lost = false;
  let stream: NodeJS.ReadableStream | null = null;

  const loseOnce = (reason: string): void => {
    if (disposed || lost) return;
    lost = true;
    handlers.onLost(reason);
  };

  const splitter = new NdjsonSplitter(
    (event) => {
      if (!disposed && isImageEvent(event)) handlers.onChange();
    },
    (line) => log(`ignoring an event line that is not JSON: ${line.slice(0, 200)}`),
  );

  docker.getEvents({ filters: { type: ['image'] } }).then(
    (events) => {
      stream = events;
      if (disposed) return destroy(events);
      events.on('data', (chunk: Uint8Array | string) => splitter.push(chunk));
      events.on('error', (error: Error) => loseOnce(`event stream failed: ${error.message}`));
      events.on('end', () => {
        splitter.end();
        loseOnce('the engine closed its event stream');
      });
      events.on('close', () => loseOnce('the event stream was closed'));
    },
    (error: unknown) => loseOnce(`could not open the event stream: ${error instanceof Error ? error.message : String(error)}`),
  );

  return {
    dispose() {
      disposed = true;
      if (stream) destroy(stream);
    },
  };
}

function destroy(stream: NodeJS.ReadableStream): void {
  const destroyable = stream as NodeJS.ReadableStream & { destroy?: () => void };
  destroyable.destroy?.();
}
