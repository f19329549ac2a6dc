import { describe, expect, it } from 'vitest';
import { callNames, calls, isCallName, isStreamName, streamNames, streams } from '../../../shared/contract';
import { ImageRefSchema, ImageReferenceSchema, EngineIdSchema, ImageIdSchema } from '../../../shared/model';
import { HTTP_STATUS_BY_KIND } from '../../../shared/web-protocol';
import { ErrorKindSchema } from '../../../shared/errors';

describe('the contract', () => {
  it('names every call and stream once, with schemas and a summary', () => {
    expect(new Set(callNames).size).toBe(callNames.length);
    for (const name of callNames) {
      expect(calls[name].summary.length).toBeGreaterThan(10);
      expect(typeof calls[name].request.safeParse).toBe('function');
    }
    for (const name of streamNames) expect(streams[name].summary.length).toBeGreaterThan(10);
    expect(callNames).toContain('images.list');
    expect(streamNames).toContain('changes.watch');
  });

  it('recognises only its own names, not inherited object keys', () => {
    expect(isCallName('images.list')).toBe(true);
    expect(isCallName('toString')).toBe(false);
    expect(isCallName('__proto__')).toBe(false);
    expect(isStreamName('constructor')).toBe(false);
    expect(isCallName(42)).toBe(false);
  });

  it('fills defaults and rejects unknown fields', () => {
    expect(calls['engines.list'].request.parse({})).toEqual({ refresh: false, waitForProbes: false });
    expect(calls['engines.list'].request.safeParse({ refresh: true, extra: 1 }).success).toBe(false);
    expect(calls['images.remove'].request.parse({ engineId: 'docker', imageId: 'abcdef123456' })).toEqual({
      engineId: 'docker',
      imageId: 'abcdef123456',
      reference: null,
      force: false,
    });
  });

  it('maps every error kind to an HTTP status', () => {
    for (const kind of ErrorKindSchema.options) expect(HTTP_STATUS_BY_KIND[kind]).toBeGreaterThanOrEqual(400);
  });
});

describe('hostile strings never pass the request schemas', () => {
  const hostile = ['-rf', '--all', '$(reboot)', '`id`', 'a;rm -rf /', 'a b', '../../etc/passwd', 'x\u0000y', '', 'a'.repeat(600), 'img\nname'];

  it.each(hostile)('rejects %j as an image reference', (value) => {
    expect(ImageReferenceSchema.safeParse(value).success).toBe(false);
  });

  it.each(hostile)('rejects %j as an engine id', (value) => {
    expect(EngineIdSchema.safeParse(value).success).toBe(false);
  });

  it.each(hostile)('rejects %j as an image id', (value) => {
    expect(ImageIdSchema.safeParse(value).success).toBe(false);
  });

  it('accepts the references engines really use', () => {
    for (const good of [
      'busybox',
      'busybox:1.36',
      'localhost/crossdock-test/busybox:abc',
      'registry.example.org:5000/group/image:v1.2-rc_3',
      `docker.io/library/alpine@sha256:${'a'.repeat(64)}`,
    ]) {
      expect(ImageReferenceSchema.safeParse(good).success, good).toBe(true);
    }
    expect(ImageRefSchema.safeParse({ engineId: 'podman-rootless', imageId: `sha256:${'0'.repeat(64)}` }).success).toBe(true);
  });
});
