import type { TObject } from '@sinclair/typebox';

/** One field as Django REST framework's SimpleMetadata describes it in an OPTIONS answer's `actions`. */
export interface FieldInfo {
  type: string;
  required: boolean;
  read_only: boolean;
  label: string;
  help_text?: string;
  min_length?: number;
  max_length?: number;
  child?: FieldInfo;
}

interface Schema {
  type?: string;
  format?: string;
  pattern?: string;
  description?: string;
  minLength?: number;
  maxLength?: number;
  anyOf?: Schema[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
}

// DRF labels a field with its verbose name, capitalised; Django's automatic primary key is "ID".
function label(name: string): string {
  if (name === 'id') return 'ID';
  const words = name.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

// SimpleMetadata.label_lookup: a hyperlinked relation (URL or id here) is a plain "field".
function typeOf(s: Schema): string {
  const branches = (s.anyOf ?? [s]).filter((b) => b.type !== 'null');
  if (branches.length > 1) return 'field';
  const b = branches[0] ?? s;
  switch (b.type) {
    case 'string':
      if (b.format === 'uri') return 'url';
      if (b.format === 'date-time') return 'datetime';
      return b.pattern !== undefined ? 'slug' : 'string';
    case 'integer':
      return 'integer';
    case 'number':
      return 'float';
    case 'boolean':
      return 'boolean';
    case 'array':
      return b.items && typeOf(b.items) === 'field' ? 'field' : 'list';
    default:
      return 'field';
  }
}

function info(name: string, s: Schema, required: boolean, readOnly: boolean): FieldInfo {
  const type = typeOf(s);
  const out: FieldInfo = { type, required, read_only: readOnly, label: label(name) };
  if (readOnly) return out;
  const plain = (s.anyOf ?? [s]).find((b) => b.type !== 'null') ?? s;
  const help = s.description ?? plain.description;
  if (help !== undefined && help !== '') out.help_text = help;
  // minLength 1 is our "may not be blank" rule (DRF's allow_blank=False), not a declared min_length.
  if (plain.minLength !== undefined && plain.minLength > 1) out.min_length = plain.minLength;
  if (plain.maxLength !== undefined) out.max_length = plain.maxLength;
  if (type === 'list' && plain.items) out.child = info(name, plain.items, false, false);
  return out;
}

/**
 * The field metadata DRF's OPTIONS puts under `actions.POST`/`actions.PUT`, built from the schemas the API already
 * validates with: fields in the response record's order, writable when the write schema takes them (with its
 * `required`, `max_length` and description as `help_text`), read-only otherwise; write-only fields come last.
 */
export function fieldMetadata(record: TObject, write: TObject): Record<string, FieldInfo> {
  const r = record as unknown as Schema;
  const w = write as unknown as Schema;
  const writable = w.properties ?? {};
  const required = new Set(w.required ?? []);
  const out: Record<string, FieldInfo> = {};
  for (const [name, s] of Object.entries(r.properties ?? {})) {
    const ws = writable[name];
    out[name] = ws ? info(name, ws, required.has(name), false) : info(name, s, false, true);
  }
  for (const [name, s] of Object.entries(writable)) if (!(name in out)) out[name] = info(name, s, required.has(name), false);
  return out;
}
