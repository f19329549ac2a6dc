// The run dialog's engine choice for a SIF file: engines that run SIF files through Crossdock
// (HasSIF with SifVia, as Charliecloud advertises once its SIF probe ran) are offered with the SIF
// row's own id and a label saying how; other engines are not, nor are they for a non-SIF image.
import { describe, expect, it } from 'vitest';
import { toRows } from '../../../renderer/lib/image-rows';
import { engineChoices, runsSif } from '../../../renderer/lib/run-form';
import { engineStatus, imageSummary } from '../renderer/fixtures';

describe('engine choices for a SIF file', () => {
  const sifVia = { HasSIF: true, SifVia: 'unpacked by Crossdock (unsquashfs), run by ch-run' };
  const engines = [
    engineStatus({ id: 'apptainer', label: 'Apptainer', state: 'not-installed', message: 'apptainer is not on PATH', attributes: {} }),
    engineStatus({ id: 'charliecloud', label: 'Charliecloud', attributes: sifVia }),
    engineStatus({ id: 'docker', label: 'Docker', attributes: { HasDocker: true } }),
  ];
  const runnable = new Set(['apptainer', 'charliecloud', 'docker']);
  const sif = { ...imageSummary({ engineId: 'apptainer', repository: 'tool.sif', tag: null }), format: 'sif', location: '/data/tool.sif' };
  const docker = imageSummary({ engineId: 'docker', repository: 'busybox', tag: '1.36' });
  const rows = [...toRows('apptainer', 'Apptainer', [sif]), ...toRows('docker', 'Docker', [docker])];

  it('offers Charliecloud for the SIF file, saying Crossdock unpacks it, and not Docker', () => {
    const choices = engineChoices(engines, runnable, rows, { imageId: sif.id, reference: null });
    expect(choices.map((choice) => [choice.engineId, choice.label, choice.disabledReason])).toEqual([
      ['apptainer', 'Apptainer', 'not ready: apptainer is not on PATH'],
      ['charliecloud', 'Charliecloud (SIF file unpacked by Crossdock)', null],
      ['docker', 'Docker', 'does not hold this image'],
    ]);
    expect(choices[1]!.image).toEqual({ imageId: sif.id, reference: null });
  });

  it('does not offer it for an image that is not a SIF file', () => {
    const choices = engineChoices(engines, runnable, rows, { imageId: docker.id, reference: 'busybox:1.36' });
    expect(choices.find((choice) => choice.engineId === 'charliecloud')?.disabledReason).toBe('does not hold this image');
  });

  it('counts only engines that say how they run SIF files (Apptainer runs them itself)', () => {
    expect(runsSif({ attributes: sifVia })).toBe(true);
    expect(runsSif({ attributes: { HasSIF: true } })).toBe(false);
    expect(runsSif({ attributes: {} })).toBe(false);
  });
});
