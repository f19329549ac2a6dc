import { describe, expect, it } from 'vitest';
import { bytesText, fractionDone, isFinished, layersText, rateText, timeLeftText } from '../../../renderer/features/transfer/transfer-format';
import { EMPTY_PROGRESS, type TransferProgress } from '../../../shared/transfer';

const progress = (patch: Partial<TransferProgress>): TransferProgress => ({ ...EMPTY_PROGRESS, ...patch });

describe('transfer progress in words', () => {
  it('says bytes done of the total, and the archive running past the image size without a fraction above 1', () => {
    expect(bytesText(progress({ bytesDone: 250e6, bytesTotal: 500e6 }))).toBe('250 MB of 500 MB');
    expect(bytesText(progress({ bytesDone: 2e6, bytesTotal: null }))).toBe('2.00 MB');
    expect(bytesText(progress({ bytesDone: 2.01e6, bytesTotal: 1.98e6 }))).toBe('2.01 MB (image 1.98 MB)');
    expect(fractionDone(progress({ bytesDone: 2.01e6, bytesTotal: 1.98e6 }))).toBe(1);
    expect(fractionDone(progress({ bytesDone: 1, bytesTotal: null }))).toBeNull();
    expect(fractionDone(progress({ bytesDone: 0, bytesTotal: 0 }))).toBeNull();
  });

  it('says layers, rate and time left only when known', () => {
    expect(layersText(progress({}))).toBeNull();
    expect(layersText(progress({ layersDone: 1, layersTotal: 3 }))).toBe('1 of 3 layers');
    expect(layersText(progress({ layersDone: 2 }))).toBe('2 layers');
    expect(rateText(progress({}))).toBeNull();
    expect(rateText(progress({ rateBytesPerSecond: 120e6 }))).toBe('120 MB/s');
    expect(timeLeftText(progress({}))).toBeNull();
    expect(timeLeftText(progress({ secondsLeft: 4.2 }))).toBe('5 s left');
    expect(timeLeftText(progress({ secondsLeft: 125 }))).toBe('2 min 5 s left');
    expect(timeLeftText(progress({ secondsLeft: 7260 }))).toBe('2 h 1 min left');
  });

  it('tells running from finished states', () => {
    expect(isFinished('running')).toBe(false);
    expect(isFinished('pending')).toBe(false);
    for (const state of ['done', 'failed', 'cancelled', 'interrupted'] as const) expect(isFinished(state)).toBe(true);
  });
});
