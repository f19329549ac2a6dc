// Everything images.inspect answers about one image, laid out for reading.
import type { ImageDetail } from '../../../shared/model';
import { formatAbsoluteTime, formatBytes, formatRelativeTime, shortImageId } from '../../lib/format';
import { isCrossdockTestImage, TEST_IMAGE_EXPLANATION } from '../../lib/test-image';
import { commandLine, Fact, KeyValueTable, PlainList, Section, splitEnv } from './DetailTables';
import { TestImageTag } from './TestImageTag';

export function ImageDetailBody({ detail, engineLabel }: { detail: ImageDetail; engineLabel: string }) {
  const { summary } = detail;
  const platform = [detail.os, detail.architecture, detail.variant].filter(Boolean).join('/');
  // The listing's labels and the inspected ones should agree; either is enough to recognise it.
  const testImage = isCrossdockTestImage(summary.labels) || isCrossdockTestImage(detail.labels);
  return (
    <>
      {testImage ? (
        <p className="test-image-note" data-testid="test-image-note">
          <TestImageTag /> <span className="muted">{TEST_IMAGE_EXPLANATION}</span>
        </p>
      ) : null}
      <dl className="facts">
        <Fact term="Image ID">
          <span className="mono" title={summary.id}>
            {shortImageId(summary.id)}
          </span>
        </Fact>
        <Fact term="Engine">{engineLabel}</Fact>
        <Fact term="Size">{formatBytes(summary.sizeBytes)}</Fact>
        {/* Only file and folder images have these; an engine's store says nothing of them. */}
        {summary.format ? <Fact term="Format">{summary.format}</Fact> : null}
        {summary.location ? (
          <Fact term="Location">
            <span className="mono">{summary.location}</span>
          </Fact>
        ) : null}
        <Fact term="Created">
          <span title={formatAbsoluteTime(summary.createdAt)}>{formatRelativeTime(summary.createdAt)}</span>
        </Fact>
        <Fact term="Platform">{platform || null}</Fact>
        <Fact term="Entrypoint">{commandLine(detail.entrypoint) && <code>{commandLine(detail.entrypoint)}</code>}</Fact>
        <Fact term="Cmd">{commandLine(detail.cmd) && <code>{commandLine(detail.cmd)}</code>}</Fact>
        <Fact term="Working dir">{detail.workingDir || null}</Fact>
        <Fact term="User">{detail.user || null}</Fact>
        <Fact term="Author">{detail.author || null}</Fact>
        <Fact term="Exposed ports">{detail.exposedPorts.length > 0 ? detail.exposedPorts.join(', ') : null}</Fact>
      </dl>
      <Section title="Tags">
        <PlainList items={summary.repoTags} />
      </Section>
      <Section title="Digests">
        <PlainList items={summary.repoDigests} />
      </Section>
      <Section title="Environment">
        <KeyValueTable caption="Environment variables" rows={splitEnv(detail.env)} />
      </Section>
      <Section title="Labels">
        <KeyValueTable caption="Labels" rows={Object.entries(detail.labels)} />
      </Section>
      <Section title={`Layers (${detail.layers.length})`}>
        <PlainList items={detail.layers} />
      </Section>
      {detail.containers ? (
        <Section title={`Containers (${detail.containers.length})`}>
          <PlainList items={detail.containers.map((container) => (container.name ? `${container.name} (${container.id})` : container.id))} />
        </Section>
      ) : null}
      <Section title="History">
        <HistoryTable history={detail.history} />
      </Section>
    </>
  );
}

function HistoryTable({ history }: { history: ImageDetail['history'] }) {
  if (history.length === 0) return <p className="muted">None</p>;
  return (
    <table className="history-table">
      <caption className="visually-hidden">Build history, newest first (as the engine gives it)</caption>
      <thead>
        <tr>
          <th scope="col">Created</th>
          <th scope="col">Created by</th>
          <th scope="col">Size</th>
        </tr>
      </thead>
      <tbody>
        {history.map((entry, index) => (
          <tr key={index}>
            <td title={formatAbsoluteTime(entry.createdAt)}>{formatRelativeTime(entry.createdAt)}</td>
            <td className="mono history-table__command">{entry.createdBy}</td>
            <td className="numeric">{entry.emptyLayer ? '—' : formatBytes(entry.sizeBytes)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
