// Contract call -> handler, for both transports. Everything a request carries is untrusted until
// it has passed the contract's schema here; everything a handler throws leaves as an ApiErrorBody.
import {
  calls,
  isCallName,
  type CallName,
  type CallParsed,
  type CallResponse,
} from '../../shared/contract';
import { ApiError, describeIssues, type Envelope } from '../../shared/errors';
import { toApiError } from './to-api-error';

export interface CallContext {
  /** Which transport the request came by; for app.info only. */
  transport: 'ipc' | 'web';
  signal: AbortSignal;
}

export type CallHandlers = {
  [K in CallName]: (request: CallParsed<K>, context: CallContext) => Promise<CallResponse<K>>;
};

export interface Router {
  call(name: unknown, payload: unknown, context: CallContext): Promise<Envelope<unknown>>;
}

export function createRouter(handlers: CallHandlers, log: (message: string) => void = () => {}): Router {
  return {
    async call(name, payload, context) {
      if (!isCallName(name)) {
        return fail(new ApiError('unknown-method', `There is no call named ${JSON.stringify(String(name)).slice(0, 140)}.`));
      }
      const parsed = calls[name].request.safeParse(payload ?? {});
      if (!parsed.success) {
        const issues = describeIssues(parsed.error);
        return fail(new ApiError('invalid-request', `Invalid request for ${name}: ${issues.join('; ')}`, { issues }));
      }
      try {
        const handler = handlers[name] as (request: unknown, context: CallContext) => Promise<unknown>;
        const result = await handler(parsed.data, context);
        // The response schema is checked too: a handler bug must not reach the window as data
        // the window trusts.
        const checked = calls[name].response.safeParse(result);
        if (!checked.success) {
          log(`${name} answered outside its schema: ${describeIssues(checked.error).join('; ')}`);
          return fail(new ApiError('internal', `${name} produced an answer Crossdock could not check; see the host log.`));
        }
        return { ok: true, result: checked.data };
      } catch (error) {
        const apiError = toApiError(error);
        if (apiError.kind === 'internal') log(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        return fail(apiError);
      }
    },
  };
}

function fail(error: ApiError): Envelope<never> {
  return { ok: false, error: error.toBody() };
}
