import type { TSchema } from '@sinclair/typebox';
import { ValidationError } from '../errors.js';

/** Extra keyword on a schema: the message DRF gives when `pattern` fails. */
export const PATTERN_MESSAGE = 'x-pattern-message';

interface JsonSchema {
  type?: string;
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  [PATTERN_MESSAGE]?: string;
}

function typeName(v: unknown): string {
  if (v === null) return 'NoneType';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'boolean') return 'bool';
  return 'dict';
}

function check(schema: JsonSchema, v: unknown): string | null {
  if (schema.anyOf) {
    if (v === null && schema.anyOf.some((s) => s.type === 'null')) return null;
    const errors = schema.anyOf.filter((s) => s.type !== 'null').map((s) => check(s, v));
    if (errors.some((e) => e === null)) return null;
    if (v === null) return 'This field may not be null.';
    return errors[0] ?? 'Invalid value.';
  }
  if (v === null) return 'This field may not be null.';
  switch (schema.type) {
    case 'string': {
      if (typeof v !== 'string') return 'Not a valid string.';
      if ((schema.minLength ?? 0) > 0 && v.trim() === '') return 'This field may not be blank.';
      if (schema.maxLength !== undefined && v.length > schema.maxLength)
        return `Ensure this field has no more than ${schema.maxLength} characters.`;
      if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(v)) return schema[PATTERN_MESSAGE] ?? 'Invalid value.';
      return null;
    }
    case 'integer':
      return typeof v === 'number' && Number.isSafeInteger(v) ? null : 'A valid integer is required.';
    case 'boolean':
      return typeof v === 'boolean' ? null : 'Must be a valid boolean.';
    case 'array': {
      if (!Array.isArray(v)) return `Expected a list of items but got type "${typeName(v)}".`;
      for (const item of v) {
        const e = schema.items ? check(schema.items, item) : null;
        if (e !== null) return e;
      }
      return null;
    }
    default:
      return null;
  }
}

/**
 * Validates a request body against a TypeBox object schema and reports in Django REST framework's shape
 * (`{"field": ["message"]}`, DRF's wording). `partial` (PATCH) skips required fields. Unknown keys are ignored,
 * as DRF ignores them. Returns only the known keys.
 */
export function validateBody<T extends Record<string, unknown>>(schema: TSchema, body: unknown, partial: boolean): Partial<T> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ValidationError({ non_field_errors: [`Invalid data. Expected a dictionary, but got ${typeName(body)}.`] });
  }
  const s = schema as JsonSchema;
  const input = body as Record<string, unknown>;
  const errors: Record<string, string[]> = {};
  const out: Record<string, unknown> = {};
  const required = new Set(s.required ?? []);
  for (const [key, prop] of Object.entries(s.properties ?? {})) {
    if (!(key in input) || input[key] === undefined) {
      if (!partial && required.has(key)) errors[key] = ['This field is required.'];
      continue;
    }
    const e = check(prop, input[key]);
    if (e !== null) errors[key] = [e];
    else out[key] = input[key];
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  return out as Partial<T>;
}
