import { describe, expect, it, vi } from 'vitest';
import { chunkText, createInputBatcher } from '../../../renderer/lib/input-batcher';
import { terminalTextOf } from '../../../renderer/lib/terminal-text';

describe('terminalTextOf', () => {
  it('writes stdout and tty as they are, stderr in red and notices dimmed, each reset after', () => {
    expect(terminalTextOf({ type: 'output', stream: 'stdout', text: 'hello\n', offset: 6 })).toBe('hello\n');
    expect(terminalTextOf({ type: 'output', stream: 'tty', text: '\x1b[1mbold', offset: 6 })).toBe('\x1b[1mbold');
    expect(terminalTextOf({ type: 'output', stream: 'stderr', text: 'oops\n', offset: 11 })).toBe('\x1b[31moops\n\x1b[0m');
    expect(terminalTextOf({ type: 'output', stream: 'notice', text: 'exited 0', offset: 19 })).toBe('\x1b[2mexited 0\x1b[0m');
  });

  it('says how much was skipped, on a line of its own', () => {
    const text = terminalTextOf({ type: 'skipped', bytes: 12_400_000, offset: 99 });
    expect(text).toContain('… skipped 12 MB (kept in the saved output)');
    expect(text?.startsWith('\r\n')).toBe(true);
    expect(terminalTextOf({ type: 'skipped', bytes: 2_500_000, offset: 99 })).toContain('skipped 2.5 MB');
  });

  it('writes nothing for caught-up and empty output', () => {
    expect(terminalTextOf({ type: 'caught-up', offset: 3 })).toBeNull();
    expect(terminalTextOf({ type: 'output', stream: 'stdout', text: '', offset: 3 })).toBeNull();
  });
});

describe('chunkText', () => {
  it('cuts at the limit and never between the halves of a surrogate pair', () => {
    expect(chunkText('abcdefg', 3)).toEqual(['abc', 'def', 'g']);
    expect(chunkText('ab🐳cd', 3)).toEqual(['ab', '🐳c', 'd']);
    expect(chunkText('', 3)).toEqual([]);
    expect(chunkText('x'.repeat(65536 * 2 + 1), 65536).map((piece) => piece.length)).toEqual([65536, 65536, 1]);
  });
});

describe('createInputBatcher', () => {
  const manualFrames = () => {
    const frames: Array<() => void> = [];
    return {
      frames,
      schedule: (flush: () => void) => frames.push(flush),
      cancel: vi.fn(),
      runFrame: () => frames.splice(0).forEach((flush) => flush()),
    };
  };

  it('sends what was typed within one frame as one call', async () => {
    const clock = manualFrames();
    const send = vi.fn(async () => undefined);
    const batcher = createInputBatcher({ maxChars: 10, send, schedule: clock.schedule, cancel: clock.cancel });
    for (const key of ['e', 'c', 'h', 'o', '\r']) batcher.push(key);
    expect(clock.frames).toHaveLength(1);
    clock.runFrame();
    await vi.waitFor(() => expect(send).toHaveBeenCalledWith('echo\r'));
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('cuts a large paste into pieces and sends them in order, one after the other', async () => {
    const clock = manualFrames();
    const log: string[] = [];
    let release: (() => void) | null = null;
    const send = vi.fn((data: string) => {
      log.push(`start ${data}`);
      return new Promise<void>((resolve) => {
        release = () => {
          log.push(`end ${data}`);
          resolve();
        };
      });
    });
    const batcher = createInputBatcher({ maxChars: 4, send, schedule: clock.schedule, cancel: clock.cancel });
    batcher.push('abcdefghij');
    clock.runFrame();
    for (let i = 0; i < 3; i += 1) {
      await vi.waitFor(() => expect(release).not.toBeNull());
      const next = release!;
      release = null;
      next();
    }
    expect(log).toEqual(['start abcd', 'end abcd', 'start efgh', 'end efgh', 'start ij', 'end ij']);
  });

  it('keeps going after a failed call, reporting it', async () => {
    const clock = manualFrames();
    const onError = vi.fn();
    const send = vi.fn().mockRejectedValueOnce(new Error('gone')).mockResolvedValue(undefined);
    const batcher = createInputBatcher({ maxChars: 10, send, schedule: clock.schedule, cancel: clock.cancel, onError });
    batcher.push('\x03');
    clock.runFrame();
    batcher.push('ls\r');
    clock.runFrame();
    await vi.waitFor(() => expect(send).toHaveBeenCalledTimes(2));
    expect(send).toHaveBeenNthCalledWith(1, '\x03');
    expect(onError).toHaveBeenCalledOnce();
  });

  it('sends nothing once disposed', async () => {
    const clock = manualFrames();
    const send = vi.fn(async () => undefined);
    const batcher = createInputBatcher({ maxChars: 10, send, schedule: clock.schedule, cancel: clock.cancel });
    batcher.push('x');
    batcher.dispose();
    expect(clock.cancel).toHaveBeenCalled();
    clock.runFrame();
    batcher.push('y');
    await new Promise((done) => setTimeout(done, 0));
    expect(send).not.toHaveBeenCalled();
  });
});
