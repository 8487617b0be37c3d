import type { VNode } from 'preact';
import type { EditEntry } from '../../history/history.service.js';
import { formatTimestamp } from '../../lib/datetime.js';

const ENTITY_LABELS: Record<string, string> = {
  package: 'package',
  grid: 'grid',
  category: 'category',
  grid_package: 'grid membership',
  feature: 'feature',
  element: 'cell',
};

const ACTION_LABELS: Record<string, string> = { create: 'created', update: 'changed', delete: 'deleted' };

/** A recorded value as text: null and absent read as an em dash, strings as they are, anything else as JSON. */
export function historyValue(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

function Changes({ changes }: { changes: EditEntry['changes'] }): VNode {
  const fields = Object.entries(changes);
  if (fields.length === 0) return <span class="muted">no field changes</span>;
  return (
    <ul class="plain history-changes">
      {fields.map(([field, [before, after]]) => (
        <li key={field}>
          <strong>{field}</strong>: <span class="before">{historyValue(before)}</span> → <span class="after">{historyValue(after)}</span>
        </li>
      ))}
    </ul>
  );
}

/** The edit history of a package or grid: who changed what, when (in `tz`), field by field; all text escaped by JSX. */
export function EditHistoryPage({
  what,
  title,
  href,
  entries,
  tz,
}: {
  what: 'package' | 'grid';
  title: string;
  href: string;
  entries: EditEntry[];
  tz: string;
}): VNode {
  return (
    <>
      <h1>
        Edit history of <a href={href}>{title}</a>
      </h1>
      {entries.length === 0 ? (
        <p class="muted">No recorded edits for this {what} yet.</p>
      ) : (
        <div style="overflow-x:auto">
          <table class="list history">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">What</th>
                <th scope="col">Changes</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>
                    <time datetime={formatTimestamp(e.created, 'UTC') ?? ''}>{formatTimestamp(e.created, tz) ?? ''}</time>
                  </td>
                  <td>
                    {e.username ? (
                      <a href={`/profiles/${encodeURIComponent(e.username)}/`}>{e.username}</a>
                    ) : (
                      <span class="muted">unknown</span>
                    )}
                  </td>
                  <td>{ACTION_LABELS[e.action] ?? e.action}</td>
                  <td>
                    {ENTITY_LABELS[e.entityType] ?? e.entityType} #{e.entityId}
                  </td>
                  <td>
                    <Changes changes={e.changes} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
