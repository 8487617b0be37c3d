import { describe, expect, it } from 'vitest';
import { formatInstant, formatTimestamp, normalizeTimestamp, parseTimestamp, zoneOffsetSeconds } from './datetime.js';

describe('exact timestamps', () => {
  it('keeps microseconds from PostgreSQL text through to New York time', () => {
    expect(formatTimestamp('2026-02-15 16:07:46.826281+00', 'America/New_York')).toBe('2026-02-15T11:07:46.826281-05:00');
  });

  it('omits the fraction when microseconds are zero, as Python isoformat does', () => {
    expect(formatTimestamp('2025-05-30 13:14:19+00', 'America/New_York')).toBe('2025-05-30T09:14:19-04:00');
  });

  it('prints Z for UTC, as Django REST framework does', () => {
    expect(formatTimestamp('2026-02-15 16:07:46.000001+00', 'UTC')).toBe('2026-02-15T16:07:46.000001Z');
    expect(formatTimestamp('2026-01-15 12:00:00+00', 'Europe/London')).toBe('2026-01-15T12:00:00Z');
  });

  it('switches offset across daylight saving time', () => {
    expect(formatTimestamp('2026-03-08 06:59:59+00', 'America/New_York')).toBe('2026-03-08T01:59:59-05:00');
    expect(formatTimestamp('2026-03-08 07:00:00+00', 'America/New_York')).toBe('2026-03-08T03:00:00-04:00');
    expect(zoneOffsetSeconds(Date.UTC(2026, 6, 1) / 1000, 'America/New_York')).toBe(-4 * 3600);
  });

  it('handles half-hour zones', () => {
    expect(formatTimestamp('2026-02-15 00:00:00.5+00', 'Asia/Kolkata')).toBe('2026-02-15T05:30:00.500000+05:30');
  });

  it('round-trips an offset timestamp to an exact UTC literal and back', () => {
    const utc = normalizeTimestamp('2026-02-15T11:07:46.826281-05:00');
    expect(utc).toBe('2026-02-15T16:07:46.826281Z');
    const parsed = parseTimestamp(utc ?? '');
    expect(parsed).not.toBeNull();
    if (parsed) expect(formatInstant(parsed, 'America/New_York')).toBe('2026-02-15T11:07:46.826281-05:00');
  });

  it('reads naive datetimes in the given zone', () => {
    expect(normalizeTimestamp('2010-08-14 19:50:35', 'America/New_York')).toBe('2010-08-14T23:50:35.000000Z');
    expect(normalizeTimestamp('2010-08-14 19:50:35')).toBe('2010-08-14T19:50:35.000000Z');
  });

  it('rejects what is not a datetime', () => {
    expect(normalizeTimestamp('yesterday')).toBeNull();
    expect(normalizeTimestamp('2026-13-45T99:00:00Z')).not.toBe('2026-13-45T99:00:00Z');
    expect(formatTimestamp(null, 'UTC')).toBeNull();
  });
});
