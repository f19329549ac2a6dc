// POST /api/call/<name>: the body is the contract request, the answer the Envelope.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_BODY_BYTES } from '../../shared/web-protocol';
import type { Router } from '../host/router';
import { sendApiError, sendEnvelope } from './web-responses';

export async function handleApiCall(
  request: IncomingMessage,
  response: ServerResponse,
  router: Router,
  name: string,
): Promise<void> {
  if (request.method !== 'POST') {
    response.setHeader('Allow', 'POST');
    sendApiError(response, 'invalid-request', 'Calls are made with POST.', 405);
    return;
  }
  // Requiring JSON's content type also turns away cross-site "simple" form posts, which can
  // only send text/plain, form-urlencoded or multipart bodies without a preflight.
  const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (contentType !== 'application/json') {
    sendApiError(response, 'invalid-request', 'The request body must be sent as application/json.', 415);
    return;
  }
  const declared = Number(request.headers['content-length'] ?? '0');
  if (declared > MAX_BODY_BYTES) {
    refuseTooLarge(request, response);
    return;
  }

  // The handler's signal follows the client: a closed tab stops a slow engine call.
  const abort = new AbortController();
  response.on('close', () => {
    if (!response.writableFinished) abort.abort();
  });

  const body = await readBody(request, MAX_BODY_BYTES);
  if (body === 'too-large') {
    refuseTooLarge(request, response);
    return;
  }
  if (body === 'aborted') return;
  let payload: unknown;
  try {
    payload = JSON.parse(body.toString('utf8'));
  } catch {
    sendApiError(response, 'invalid-request', 'The request body is not JSON.');
    return;
  }
  const envelope = await router.call(name, payload, { transport: 'web', signal: abort.signal });
  if (abort.signal.aborted || response.destroyed) return;
  sendEnvelope(response, envelope);
}

function refuseTooLarge(request: IncomingMessage, response: ServerResponse): void {
  response.setHeader('Connection', 'close');
  sendApiError(response, 'invalid-request', `The request body is larger than ${MAX_BODY_BYTES} bytes.`, 413);
  // Stop reading the rest of an oversized upload instead of swallowing it.
  response.on('finish', () => request.destroy());
}

function readBody(request: IncomingMessage, limit: number): Promise<Buffer | 'too-large' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (value: Buffer | 'too-large' | 'aborted') => {
      if (settled) return;
      settled = true;
      request.off('data', onData);
      resolve(value);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.pause();
        settle('too-large');
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.on('end', () => settle(Buffer.concat(chunks)));
    request.on('error', () => settle('aborted'));
    request.on('close', () => settle('aborted'));
  });
}
