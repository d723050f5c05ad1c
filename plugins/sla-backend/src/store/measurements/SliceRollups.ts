import type { Knex } from 'knex';
import { Interval, mergeIntervals } from '../../domain';
import {
  MINUTE_MS,
  ROLLUP_RESOLUTIONS,
  floorTo,
  parseSliceKey,
} from '../rollupLevels';
import {
  BySeriesAndTime,
  chunks,
  isGood,
  num,
  rangeWhere,
  worst,
} from './common';

/**
 * Slice rollups of threshold series: the per-minute extremes
 * (`sla_threshold_minutes`) and, per slice definition
 * (`sla_slice_definitions`), the good/bad slice counts by hour, day and
 * week (`sla_slice_rollups`). Ingest folds new samples in
 * (updateMinutesAndSlices, inside its transaction); a definition read for
 * the first time is built once from what is stored.
 */
export class SliceRollups {
  constructor(private readonly db: Knex) {}

  /**
   * Folds new threshold samples into the per-minute extremes and into the
   * good/bad slice counts of every slice definition kept for their series:
   * a slice whose worst value changes side moves from one count to the other.
   */
  async updateMinutesAndSlices(
    tx: Knex.Transaction,
    added: Array<{ series: number; ts: number; value: number }>,
  ) {
    const seriesIds = [...new Set(added.map(a => a.series))];
    const definitions = await tx('sla_slice_definitions')
      .whereIn('series_id', seriesIds)
      .select('series_id', 'slice_key');
    const keysBySeries = new Map<number, string[]>();
    for (const d of definitions) {
      const id = num(d.series_id);
      keysBySeries.set(id, [...(keysBySeries.get(id) ?? []), d.slice_key]);
    }

    // New extremes per minute from this batch.
    const minutes = new Map<
      string,
      { series: number; minute: number; min: number; max: number }
    >();
    for (const a of added) {
      const minute = floorTo(a.ts, MINUTE_MS);
      const key = `${a.series}:${minute}`;
      const m = minutes.get(key);
      if (m) {
        m.min = Math.min(m.min, a.value);
        m.max = Math.max(m.max, a.value);
      } else {
        minutes.set(key, {
          series: a.series,
          minute,
          min: a.value,
          max: a.value,
        });
      }
    }

    // For slices of kept definitions: their state before this batch.
    type SliceRef = {
      series: number;
      key: string;
      start: number;
      sliceMs: number;
    };
    const slices = new Map<string, SliceRef>();
    for (const m of minutes.values()) {
      for (const key of keysBySeries.get(m.series) ?? []) {
        const { sliceMs } = parseSliceKey(key);
        if (sliceMs % MINUTE_MS !== 0) continue;
        const start = floorTo(m.minute, sliceMs);
        slices.set(`${m.series}|${key}|${start}`, {
          series: m.series,
          key,
          start,
          sliceMs,
        });
      }
    }
    // Slices that are not whole minutes (PT90S) cut minutes in two: they
    // are judged on their samples, by the slice each new sample falls in.
    const sampleSlices = new Map<string, SliceRef>();
    for (const a of added) {
      for (const key of keysBySeries.get(a.series) ?? []) {
        const { sliceMs } = parseSliceKey(key);
        if (sliceMs % MINUTE_MS === 0) continue;
        const start = floorTo(a.ts, sliceMs);
        sampleSlices.set(`${a.series}|${key}|${start}`, {
          series: a.series,
          key,
          start,
          sliceMs,
        });
      }
    }
    const deltas = new Map<
      string,
      {
        series_id: number;
        slice_key: string;
        resolution: number;
        bucket: number;
        good: number;
        bad: number;
      }
    >();
    /** Moves a slice from one count to the other when its verdict changed. */
    const move = (
      s: SliceRef,
      old: { min: number; max: number } | undefined,
      now: { min: number; max: number },
    ) => {
      const { operator, threshold } = parseSliceKey(s.key);
      const wasGood = old
        ? isGood(operator, threshold, worst(operator, old.min, old.max))
        : undefined;
      const isGoodNow = isGood(
        operator,
        threshold,
        worst(operator, now.min, now.max),
      );
      if (wasGood === isGoodNow) return;
      for (const resolution of ROLLUP_RESOLUTIONS) {
        const bucket = floorTo(s.start, resolution);
        const key = `${s.series}|${s.key}|${resolution}|${bucket}`;
        const d = deltas.get(key) ?? {
          series_id: s.series,
          slice_key: s.key,
          resolution,
          bucket,
          good: 0,
          bad: 0,
        };
        if (wasGood === true) d.good--;
        if (wasGood === false) d.bad--;
        if (isGoodNow) d.good++;
        else d.bad++;
        deltas.set(key, d);
      }
    };
    if (sampleSlices.size) {
      // The new samples are stored already: "before" is the slice without
      // them, "now" the slice with them.
      const fresh = new BySeriesAndTime<true>();
      for (const a of added) fresh.set(a.series, a.ts, true);
      const ranges = new Map<number, Interval[]>();
      for (const s of sampleSlices.values()) {
        ranges.set(s.series, [
          ...(ranges.get(s.series) ?? []),
          { start: s.start, end: s.start + s.sliceMs },
        ]);
      }
      const stored = new Map<number, Array<{ ts: number; value: number }>>();
      for (const [series, list] of ranges) {
        const merged = mergeIntervals(list);
        const values: Array<{ ts: number; value: number }> = [];
        for (const part of chunks(merged, 200)) {
          const rows = await tx('sla_threshold_samples')
            .where('series_id', series)
            .andWhere(rangeWhere('ts', part))
            .select('ts', 'value');
          for (const row of rows) {
            values.push({ ts: num(row.ts), value: num(row.value) });
          }
        }
        values.sort((a, b) => a.ts - b.ts);
        stored.set(series, values);
      }
      const extend = (
        into: { min: number; max: number } | undefined,
        value: number,
      ) =>
        into
          ? { min: Math.min(into.min, value), max: Math.max(into.max, value) }
          : { min: value, max: value };
      for (const s of sampleSlices.values()) {
        let old: { min: number; max: number } | undefined;
        let now: { min: number; max: number } | undefined;
        const values = stored.get(s.series) ?? [];
        let lo = 0;
        let hi = values.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (values[mid].ts < s.start) lo = mid + 1;
          else hi = mid;
        }
        for (let i = lo; i < values.length; i++) {
          const v = values[i];
          if (v.ts >= s.start + s.sliceMs) break;
          now = extend(now, v.value);
          if (!fresh.get(s.series, v.ts)) old = extend(old, v.value);
        }
        if (now) move(s, old, now);
      }
    }
    if (slices.size) {
      const ranges = new Map<number, Interval[]>();
      for (const s of slices.values()) {
        ranges.set(s.series, [
          ...(ranges.get(s.series) ?? []),
          { start: s.start, end: s.start + s.sliceMs },
        ]);
      }
      const existing = new Map<string, { min: number; max: number }>();
      for (const [series, list] of ranges) {
        for (const part of chunks(list, 200)) {
          const rows = await tx('sla_threshold_minutes')
            .where('series_id', series)
            .andWhere(rangeWhere('minute', part))
            .select('minute', 'min', 'max');
          for (const row of rows) {
            existing.set(`${series}:${num(row.minute)}`, {
              min: num(row.min),
              max: num(row.max),
            });
          }
        }
      }
      const extremes = (
        series: number,
        start: number,
        sliceMs: number,
        extra: boolean,
      ) => {
        let result: { min: number; max: number } | undefined;
        for (
          let minute = start;
          minute < start + sliceMs;
          minute += MINUTE_MS
        ) {
          const parts = [existing.get(`${series}:${minute}`)];
          if (extra) parts.push(minutes.get(`${series}:${minute}`));
          for (const p of parts) {
            if (!p) continue;
            result = result
              ? {
                  min: Math.min(result.min, p.min),
                  max: Math.max(result.max, p.max),
                }
              : { ...p };
          }
        }
        return result;
      };
      for (const s of slices.values()) {
        const old = extremes(s.series, s.start, s.sliceMs, false);
        const now = extremes(s.series, s.start, s.sliceMs, true)!;
        move(s, old, now);
      }
    }
    if (deltas.size) {
      for (const part of chunks([...deltas.values()])) {
        await tx('sla_slice_rollups')
          .insert(part)
          .onConflict(['series_id', 'slice_key', 'resolution', 'bucket'])
          .merge({
            good: tx.raw('?? + excluded.??', [
              'sla_slice_rollups.good',
              'good',
            ]),
            bad: tx.raw('?? + excluded.??', ['sla_slice_rollups.bad', 'bad']),
          });
      }
    }

    for (const part of chunks([...minutes.values()])) {
      await tx('sla_threshold_minutes')
        .insert(
          part.map(m => ({
            series_id: m.series,
            minute: m.minute,
            min: m.min,
            max: m.max,
          })),
        )
        .onConflict(['series_id', 'minute'])
        .merge({
          min: tx.raw(
            'CASE WHEN ?? < excluded.?? THEN ?? ELSE excluded.?? END',
            [
              'sla_threshold_minutes.min',
              'min',
              'sla_threshold_minutes.min',
              'min',
            ],
          ),
          max: tx.raw(
            'CASE WHEN ?? > excluded.?? THEN ?? ELSE excluded.?? END',
            [
              'sla_threshold_minutes.max',
              'max',
              'sla_threshold_minutes.max',
              'max',
            ],
          ),
        });
    }
  }

  /** Definitions known to exist, with where their rollups start (see below). */
  private readonly knownDefinitions = new Map<string, number | undefined>();

  /** ensureSliceDefinition for several at once; known ones cost nothing. */
  async ensureSliceDefinitions(
    list: Array<{ seriesId: number; key: string }>,
  ): Promise<Map<string, number | undefined>> {
    const out = new Map<string, number | undefined>();
    for (const d of list) {
      const id = `${d.seriesId}|${d.key}`;
      if (!this.knownDefinitions.has(id)) {
        const completeFrom = await this.ensureSliceDefinition(
          d.seriesId,
          d.key,
        );
        if (this.knownDefinitions.size > 100_000) this.knownDefinitions.clear();
        this.knownDefinitions.set(id, completeFrom);
      }
      out.set(id, this.knownDefinitions.get(id));
    }
    return out;
  }

  /** Makes sure slice rollups exist for a definition, building them once. */
  /**
   * Makes sure slice rollups exist for a definition, building them once;
   * answers where they start when built after raw detail was pruned
   * (`complete_from`: the series' `raw_kept_from` read after the minutes the
   * rollups were built from), undefined when they cover all stored time.
   */
  async ensureSliceDefinition(
    seriesId: number,
    key: string,
  ): Promise<number | undefined> {
    const completeFrom = (row: { complete_from?: unknown } | undefined) =>
      row?.complete_from === null || row?.complete_from === undefined
        ? undefined
        : num(row.complete_from);
    const exists = await this.db('sla_slice_definitions')
      .where({ series_id: seriesId, slice_key: key })
      .first('slice_key', 'complete_from');
    if (exists) return completeFrom(exists);
    await this.db.transaction(async tx => {
      const inserted = await tx('sla_slice_definitions')
        .insert({ series_id: seriesId, slice_key: key })
        .onConflict(['series_id', 'slice_key'])
        .ignore()
        .returning('slice_key');
      if (!inserted.length) return;
      const { operator, threshold, sliceMs } = parseSliceKey(key);
      const slices = new Map<number, { min: number; max: number }>();
      // Slices that are not whole minutes (PT90S) cut minutes in two: they
      // are built from the samples themselves.
      const rows =
        sliceMs % MINUTE_MS === 0
          ? await tx('sla_threshold_minutes')
              .where('series_id', seriesId)
              .select('minute AS t', 'min', 'max')
          : await tx('sla_threshold_samples')
              .where('series_id', seriesId)
              .select('ts AS t', 'value AS min', 'value AS max');
      for (const row of rows) {
        const start = floorTo(num(row.t), sliceMs);
        const s = slices.get(start);
        const min = num(row.min);
        const max = num(row.max);
        slices.set(
          start,
          s
            ? { min: Math.min(s.min, min), max: Math.max(s.max, max) }
            : { min, max },
        );
      }
      const counts = new Map<
        string,
        {
          series_id: number;
          slice_key: string;
          resolution: number;
          bucket: number;
          good: number;
          bad: number;
        }
      >();
      for (const [start, s] of slices) {
        const good = isGood(operator, threshold, worst(operator, s.min, s.max));
        for (const resolution of ROLLUP_RESOLUTIONS) {
          const bucket = floorTo(start, resolution);
          const k = `${resolution}:${bucket}`;
          const c = counts.get(k) ?? {
            series_id: seriesId,
            slice_key: key,
            resolution,
            bucket,
            good: 0,
            bad: 0,
          };
          if (good) c.good++;
          else c.bad++;
          counts.set(k, c);
        }
      }
      for (const part of chunks([...counts.values()])) {
        await tx('sla_slice_rollups').insert(part);
      }
      // Read after the minutes: a pruning that took some of them has moved
      // the stamp already.
      const series = await tx('sla_series')
        .where('id', seriesId)
        .first('raw_kept_from');
      if (
        series?.raw_kept_from !== null &&
        series?.raw_kept_from !== undefined
      ) {
        await tx('sla_slice_definitions')
          .where({ series_id: seriesId, slice_key: key })
          .update({ complete_from: num(series.raw_kept_from) });
      }
    });
    return completeFrom(
      await this.db('sla_slice_definitions')
        .where({ series_id: seriesId, slice_key: key })
        .first('complete_from'),
    );
  }
}
