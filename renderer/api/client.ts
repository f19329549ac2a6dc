// The typed API client: one `call` and one `subscribe`, both derived from shared/contract.ts.
// Everything the host answers is untrusted until it passed the contract's schemas here.
import {
  calls,
  streams,
  type CallName,
  type CallRequest,
  type CallResponse,
  type StreamEvent,
  type StreamName,
  type StreamRequest,
} from '../../shared/contract';
import { ApiError, describeIssues, envelopeSchema } from '../../shared/errors';
import { ServerStreamMessageSchema } from '../../shared/stream-protocol';
import { z } from 'zod';
import { CreditWindow } from './credit-window';
import { fastCheckOf } from './response-check';
import type { ConnectionState, Transport } from './transport';

/** Events a stream may have outstanding; the host stops pulling from its source beyond it. */
export const STREAM_CREDIT_WINDOW = 64;

export interface StreamHandlers<K extends StreamName> {
  /**
   * May answer a promise: the event's credit then goes back only once it settles, so a slow
   * consumer (a terminal still parsing) slows the host down instead of queueing without bound.
   */
  onEvent(event: StreamEvent<K>): void | Promise<unknown>;
  onError?(error: ApiError): void;
  onEnd?(): void;
}

export interface Subscription {
  dispose(): void;
}

export interface ApiClient {
  call<K extends CallName>(name: K, request: CallRequest<K>): Promise<CallResponse<K>>;
  subscribe<K extends StreamName>(name: K, request: StreamRequest<K>, handlers: StreamHandlers<K>): Subscription;
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
}

const anyEnvelope = envelopeSchema(z.unknown());

interface OpenStream {
  handle(message: z.infer<typeof ServerStreamMessageSchema>): void;
}

export function createApiClient(transport: Transport): ApiClient {
  const open = new Map<number, OpenStream>();
  let nextStreamId = 1;
  let stopListening: (() => void) | null = null;

  function route(raw: unknown): void {
    const parsed = ServerStreamMessageSchema.safeParse(raw);
    if (!parsed.success) return; // not ours to judge further: a stream we cannot name
    open.get(parsed.data.id)?.handle(parsed.data);
  }

  async function call<K extends CallName>(name: K, request: CallRequest<K>): Promise<CallResponse<K>> {
    const raw = await transport.call(name, request);
    const envelope = anyEnvelope.safeParse(raw);
    if (!envelope.success) {
      throw new ApiError('internal', `The host's answer to ${name} is not a Crossdock envelope.`, {
        issues: describeIssues(envelope.error),
      });
    }
    if (!envelope.data.ok) throw ApiError.fromBody(envelope.data.error);
    // Every answer is still checked against the contract before anyone reads it: the fast check
    // first (exactly zod's verdict on what it accepts, in a fraction of the time: see
    // response-check.ts), zod itself when that one is not sure, to decide and to say why.
    const schema = calls[name].response;
    if (fastCheckOf(schema)?.(envelope.data.result)) return envelope.data.result as CallResponse<K>;
    const result = schema.safeParse(envelope.data.result);
    if (!result.success) {
      const issues = describeIssues(result.error);
      throw new ApiError('internal', `The host's answer to ${name} does not match the contract: ${issues[0] ?? ''}`, {
        issues,
      });
    }
    return result.data as CallResponse<K>;
  }

  function subscribe<K extends StreamName>(
    name: K,
    request: StreamRequest<K>,
    handlers: StreamHandlers<K>,
  ): Subscription {
    stopListening ??= transport.onStreamMessage(route);
    const id = nextStreamId++;
    const credit = new CreditWindow(STREAM_CREDIT_WINDOW);
    const eventSchema = streams[name].event;

    const finish = () => open.delete(id);
    const fail = (error: ApiError) => {
      finish();
      handlers.onError?.(error);
    };

    open.set(id, {
      handle(message) {
        switch (message.t) {
          case 'event': {
            const event = eventSchema.safeParse(message.data);
            if (!event.success) {
              transport.cancelStream(id);
              const issues = describeIssues(event.error);
              fail(new ApiError('internal', `An event of ${name} does not match the contract: ${issues[0] ?? ''}`, { issues }));
              return;
            }
            // Credit follows handling, even a handler that threw or rejected, or the stream would stall.
            const settle = () => {
              const grant = credit.handled();
              if (grant > 0 && open.has(id)) transport.grantCredit(id, grant);
            };
            let handled: void | Promise<unknown>;
            try {
              handled = handlers.onEvent(event.data as StreamEvent<K>);
            } catch (error) {
              settle();
              throw error;
            }
            if (isPromiseLike(handled)) handled.then(settle, settle);
            else settle();
            return;
          }
          case 'end':
            finish();
            handlers.onEnd?.();
            return;
          case 'error':
            fail(ApiError.fromBody(message.error));
            return;
        }
      },
    });
    transport.openStream(id, name, request, credit.initial);

    return {
      dispose() {
        if (!open.has(id)) return;
        finish();
        transport.cancelStream(id);
      },
    };
  }

  return { call, subscribe, onConnectionChange: (listener) => transport.onConnectionChange(listener) };
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
