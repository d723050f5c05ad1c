import type { Knex } from 'knex';
import type { ParsedMeasurement } from '@opensla/backstage-plugin-sla-common';
import { KeptSums } from './measurements/KeptSums';
import {
  IngestCounts,
  MeasurementWrites,
} from './measurements/MeasurementWrites';
import { PlanReader, PlanReads } from './measurements/PlanReader';
import {
  readFirstRatioHour,
  readRatioBuckets,
  readRatioBucketsMany,
} from './measurements/RatioBuckets';
import { SeriesRegistry } from './measurements/SeriesRegistry';
import { SliceRollups } from './measurements/SliceRollups';

export { SeriesKindError } from './measurements/common';
export type { SeriesKindConflict } from './measurements/common';
export type { IngestCounts } from './measurements/MeasurementWrites';
export type {
  AgreementVersion,
  KeptFrom,
  MinutePoint,
  PlanReads,
  SumRange,
} from './measurements/PlanReader';

/**
 * Measurements and their rollups, one facade over the rooms in
 * `./measurements`: series (SeriesRegistry), writes (MeasurementWrites:
 * `ingest`, one transaction that stores new samples and events, skips
 * duplicates and updates the rollups by exactly what it added), slice
 * rollups (SliceRollups), plan reads (PlanReader: only what a coverage plan
 * asks for) and kept sums (KeptSums, the range-sum cache).
 */
export class MeasurementStore {
  private readonly series: SeriesRegistry;
  private readonly slices: SliceRollups;
  private readonly writes: MeasurementWrites;
  private readonly reader: PlanReader;

  constructor(
    private readonly db: Knex,
    options?: {
      /** Sums over ranges kept for reuse (0: none); default 100,000. */
      rangeSumCapacity?: number;
    },
  ) {
    this.series = new SeriesRegistry(db);
    this.slices = new SliceRollups(db);
    this.writes = new MeasurementWrites(db, this.series, this.slices);
    this.reader = new PlanReader(
      db,
      new KeptSums(options?.rangeSumCapacity ?? 100_000),
    );
  }

  /** Stores a validated batch; all or nothing. */
  ingest(items: ParsedMeasurement[]): Promise<IngestCounts> {
    return this.writes.ingest(items);
  }

  getSeries(entityRef: string, metric: string) {
    return this.series.getSeries(entityRef, metric);
  }

  /** Series by "entityRef\u0000metric" (entity refs lower-cased), in one query. */
  getSeriesMany(pairs: Array<{ entityRef: string; metric: string }>) {
    return this.series.getSeriesMany(pairs);
  }

  /** See PlanReader.readPlans. */
  readPlans(
    request: PlanReads,
    options?: {
      /** false: use sums kept already but keep no new ones (bulk reads). */
      keep?: boolean;
    },
  ) {
    return this.reader.readPlans(request, options);
  }

  /**
   * ensureSliceDefinition for several at once; known ones cost nothing.
   * Answers, by "seriesId|key", where each definition's rollups start when
   * it was built after raw detail was pruned.
   */
  ensureSliceDefinitions(list: Array<{ seriesId: number; key: string }>) {
    return this.slices.ensureSliceDefinitions(list);
  }

  /** Makes sure slice rollups exist for a definition, building them once. */
  ensureSliceDefinition(
    seriesId: number,
    key: string,
  ): Promise<number | undefined> {
    return this.slices.ensureSliceDefinition(seriesId, key);
  }

  /** Events that may count in a window ending at `at`: closed since `since`, or open. */
  events(seriesId: number, since: number, at: number) {
    return this.reader.events(seriesId, since, at);
  }

  /** Where the series' kept detail starts (retention); read after the data. */
  keptFrom(seriesIds: number[]) {
    return this.reader.keptFrom(seriesIds);
  }

  /** See readRatioBuckets (what a ratio series' figures lose over time). */
  ratioBuckets(seriesId: number, from: number, at: number) {
    return readRatioBuckets(this.db, seriesId, from, at);
  }

  /** See readFirstRatioHour (no sample of the ratio series is earlier). */
  firstRatioHour(seriesId: number) {
    return readFirstRatioHour(this.db, seriesId);
  }

  /** ratioBuckets of several series over the same span, in one read. */
  ratioBucketsMany(seriesIds: number[], from: number, at: number) {
    return readRatioBucketsMany(this.db, seriesIds, from, at);
  }
}
