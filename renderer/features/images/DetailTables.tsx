// The small building blocks of the detail pane: facts, key/value tables, lists that say "none".
import type { ReactNode } from 'react';

export function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children ?? <span className="muted">—</span>}</dd>
    </>
  );
}

export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="detail-section">
      <h3>{title}</h3>
      {children}
    </section>
  );
}

export function KeyValueTable({ caption, rows }: { caption: string; rows: Array<[string, string]> }) {
  if (rows.length === 0) return <p className="muted">None</p>;
  return (
    <table className="kv-table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([key, value], index) => (
          <tr key={`${key}-${index}`}>
            <th scope="row" className="mono">
              {key}
            </th>
            <td className="mono">{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function PlainList({ items, mono = true }: { items: string[]; mono?: boolean }) {
  if (items.length === 0) return <p className="muted">None</p>;
  return (
    <ul className={`plain-list${mono ? ' mono' : ''}`}>
      {items.map((item, index) => (
        <li key={`${item}-${index}`}>{item}</li>
      ))}
    </ul>
  );
}

/** "KEY=value" pairs split at the first "=". */
export function splitEnv(env: string[]): Array<[string, string]> {
  return env.map((entry) => {
    const at = entry.indexOf('=');
    return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
  });
}

/** An exec-form command as a person would type it. */
export function commandLine(parts: string[] | null): string | null {
  if (parts === null || parts.length === 0) return null;
  return parts.map((part) => (/^[\w@%+=:,./-]+$/.test(part) ? part : JSON.stringify(part))).join(' ');
}
