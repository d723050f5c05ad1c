import {
  type AgreementKind,
  type Aspect,
  type FieldError,
  type OpenSloDraft,
  type Target,
  validateAgreementInput,
} from '@opensla/backstage-plugin-sla-common';
import { DateTime } from 'luxon';
import { parseAllDocuments } from 'yaml';
import {
  ALERT_POLICY_PREFIX,
  ANNOTATION,
  PUSHED_SOURCE_TYPE,
} from './annotations';
import { openSloName } from './exportOpenSlo';
import { shorthandToIso } from './durationShorthand';
import { validateOpenSlo } from './validateOpenSlo';

export type { OpenSloDraft };

export type OpenSloImportResult =
  | { ok: true; draft: OpenSloDraft }
  | { ok: false; errors: FieldError[] };

export type OpenSloImportOptions = {
  /** Metric source types (modules) the plugin reads, lower case. Default: prometheus. */
  sourceTypes?: string[];
};

const ASPECTS: Aspect[] = [
  'availability',
  'performance',
  'timeliness',
  'support',
  'accuracy',
  'functionality',
  'experience',
];
const CALENDAR_UNITS: Record<string, 'week' | 'month' | 'quarter' | 'year'> = {
  P1W: 'week',
  P7D: 'week',
  P1M: 'month',
  P3M: 'quarter',
  P1Y: 'year',
  P12M: 'year',
};
const METRIC_CHARS = /[^A-Za-z0-9_.:/-]+/g;

type Doc = Record<string, any>;

/**
 * Parses multi-document YAML. A syntax error is one field error
 * `yaml` naming the line; empty documents (a trailing `---`) are dropped.
 */
export function parseOpenSloYaml(text: string): {
  documents: unknown[];
  errors: FieldError[];
} {
  const parsed = parseAllDocuments(text, { prettyErrors: true });
  const list = Array.isArray(parsed) ? parsed : [];
  if (!Array.isArray(parsed)) {
    return {
      documents: [],
      errors: [{ field: 'yaml', message: 'is not YAML documents' }],
    };
  }
  const errors: FieldError[] = [];
  for (const doc of list) {
    for (const e of doc.errors) {
      errors.push({
        field: 'yaml',
        message: `is not valid YAML: ${e.message.split('\n')[0]}`,
      });
    }
  }
  if (errors.length) return { documents: [], errors };
  const documents = list
    .map(doc => doc.toJS({ maxAliasCount: 100 }))
    .filter(doc => doc !== null && doc !== undefined);
  if (documents.length === 0) {
    errors.push({ field: 'yaml', message: 'holds no OpenSLO documents' });
  }
  return { documents, errors };
}

function percentOf(objective: Doc): number {
  return objective.target !== undefined
    ? Number((objective.target * 100).toPrecision(12))
    : objective.targetPercent;
}

function sanitizeMetric(text: string): string {
  return text.replace(METRIC_CHARS, '_').slice(0, 200);
}

class Mapper {
  readonly errors: FieldError[] = [];
  readonly warnings: string[] = [];
  private readonly slis = new Map<string, Doc>();
  private readonly dataSources = new Map<string, Doc>();

  constructor(
    private readonly documents: Doc[],
    private readonly sourceTypes: string[],
  ) {
    for (const doc of documents) {
      if (doc.kind === 'SLI') this.slis.set(doc.metadata.name, doc);
      if (doc.kind === 'DataSource')
        this.dataSources.set(doc.metadata.name, doc);
    }
  }

  private add(field: string, message: string) {
    this.errors.push({ field, message });
  }

  /** The source type of a metric source, from itself or its DataSource. */
  private typeOf(metricSource: Doc): string | undefined {
    if (typeof metricSource.type === 'string') return metricSource.type;
    const ds = this.dataSources.get(metricSource.metricSourceRef);
    return typeof ds?.spec?.type === 'string' ? ds.spec.type : undefined;
  }

  private window(
    field: string,
    timeWindow: unknown,
  ): Target['window'] | undefined {
    if (timeWindow === undefined) {
      this.add(
        field,
        'is required by the plugin: a target is measured over a rolling or calendar window',
      );
      return undefined;
    }
    const w = (timeWindow as Doc[])[0];
    const iso = shorthandToIso(w.duration)!;
    if (!w.calendar) return { type: 'rolling', duration: iso };
    const unit = CALENDAR_UNITS[iso];
    if (!unit) {
      this.add(
        `${field}[0].duration`,
        `is ${w.duration}: calendar windows are one ISO week, month, quarter or year (1w, 1M, 1Q, 1Y)`,
      );
      return undefined;
    }
    const start = w.calendar.startTime;
    if (start !== undefined) {
      const t = DateTime.fromFormat(String(start), 'yyyy-MM-dd HH:mm:ss')
        .isValid
        ? DateTime.fromFormat(String(start), 'yyyy-MM-dd HH:mm:ss')
        : DateTime.fromISO(String(start));
      const aligned =
        t.isValid &&
        t.hour === 0 &&
        t.minute === 0 &&
        t.second === 0 &&
        (unit === 'week'
          ? t.weekday === 1
          : t.day === 1 &&
            (unit === 'month' ||
              (unit === 'quarter' && [1, 4, 7, 10].includes(t.month)) ||
              (unit === 'year' && t.month === 1)));
      if (!aligned) {
        this.add(
          `${field}[0].calendar.startTime`,
          `must be local midnight at the start of a ${
            unit === 'week' ? 'Monday' : unit
          } (e.g. 2024-01-01 00:00:00): the plugin's calendar windows are aligned to calendar ${unit}s`,
        );
        return undefined;
      }
    }
    return { type: 'calendar', unit, timeZone: w.calendar.timeZone };
  }

  /** The series name: annotation, a pushed source's metric, the SLI's name. */
  private metric(slo: Doc, sli: Doc, sources: Doc[]): string {
    const annotated = slo.metadata.annotations?.[ANNOTATION.metric];
    if (annotated) return annotated;
    const pushed = sources.find(
      s =>
        this.typeOf(s) === PUSHED_SOURCE_TYPE &&
        typeof s.spec?.metric === 'string',
    );
    if (pushed) return sanitizeMetric(pushed.spec.metric);
    return sanitizeMetric(sli.metadata?.name ?? slo.metadata.name);
  }

  /**
   * Where a metric source module reads the measurements; undefined when they
   * are pushed, with a warning when the source is one the plugin cannot read.
   */
  private source(
    sloName: string,
    metric: string,
    queries: Record<'good' | 'bad' | 'total' | 'value', Doc | undefined>,
  ): Target['source'] | undefined {
    const present = Object.values(queries).filter((s): s is Doc => !!s);
    const types = [...new Set(present.map(s => this.typeOf(s)?.toLowerCase()))];
    if (types.length === 1 && types[0] === PUSHED_SOURCE_TYPE) return undefined;
    const type = types.length === 1 ? types[0] : undefined;
    const query = (s: Doc | undefined) =>
      typeof s?.spec?.query === 'string' ? s.spec.query : undefined;
    if (type && this.sourceTypes.includes(type) && present.every(query)) {
      if (queries.value) return { type, value: query(queries.value) };
      if (queries.good) {
        return { type, good: query(queries.good), total: query(queries.total) };
      }
      if (type === 'prometheus') {
        // good = total − bad, in PromQL
        return {
          type,
          good: `(${query(queries.total)}) - (${query(queries.bad)})`,
          total: query(queries.total),
        };
      }
    }
    this.warnings.push(
      `SLO ${sloName}: its metric source (${
        types.filter(Boolean).join(', ') || 'no type'
      }) is not one the plugin reads (${this.sourceTypes.join(
        ', ',
      )} with spec.query${
        queries.bad ? ', or good rather than bad' : ''
      }); push measurements of metric "${metric}" to POST /api/sla/measurements`,
    );
    return undefined;
  }

  /** The targets of one SLO document (one per objective) with their paths. */
  slo(
    docIndex: number,
  ): Array<{ target: Target; path: string; objectivePath: string }> {
    const slo = this.documents[docIndex];
    const path = `documents[${docIndex}]`;
    const spec = slo.spec;
    let sli: Doc | undefined;
    let sliPath: string;
    if (spec.indicatorRef !== undefined) {
      sli = this.slis.get(spec.indicatorRef);
      sliPath = `documents[${this.documents.indexOf(sli!)}].spec`;
      if (!sli) {
        this.add(
          `${path}.spec.indicatorRef`,
          `names no SLI document ("${spec.indicatorRef}"); add it to the same file or list its file in the annotation`,
        );
        return [];
      }
    } else {
      sli = spec.indicator;
      sliPath = `${path}.spec.indicator.spec`;
    }
    const sliSpec = sli!.spec;
    const errorsBefore = this.errors.length;
    const annotations = slo.metadata.annotations ?? {};
    let aspect: Aspect = sliSpec.thresholdMetric
      ? 'performance'
      : 'availability';
    if (annotations[ANNOTATION.aspect] !== undefined) {
      if (ASPECTS.includes(annotations[ANNOTATION.aspect])) {
        aspect = annotations[ANNOTATION.aspect];
      } else {
        this.add(
          `${path}.metadata.annotations`,
          `${ANNOTATION.aspect} must be one of ${ASPECTS.join(', ')}`,
        );
      }
    }
    let calendar: Target['calendar'];
    if (annotations[ANNOTATION.businessCalendar] !== undefined) {
      try {
        calendar = JSON.parse(annotations[ANNOTATION.businessCalendar]);
      } catch {
        this.add(
          `${path}.metadata.annotations`,
          `${ANNOTATION.businessCalendar} must be JSON (a business calendar)`,
        );
      }
    }
    const window = this.window(`${path}.spec.timeWindow`, spec.timeWindow);
    let sli2: Target['sli'] | undefined;
    let queries: Record<'good' | 'bad' | 'total' | 'value', Doc | undefined>;
    const method = spec.budgetingMethod;
    if (sliSpec.ratioMetric) {
      const ratio = sliSpec.ratioMetric;
      if (ratio.raw) {
        this.add(
          `${sliPath}.ratioMetric.raw`,
          'is a precomputed ratio, which cannot be summed into Σgood / Σtotal over a window: give good (or bad) and total queries',
        );
      }
      if (method !== 'Occurrences') {
        this.add(
          `${path}.spec.budgetingMethod`,
          `is ${method}: a ratio SLI is counted by Occurrences (Σgood / Σtotal); ratio time slices are not supported`,
        );
      }
      sli2 = { kind: 'ratio' };
      queries = {
        good: ratio.good?.metricSource,
        bad: ratio.bad?.metricSource,
        total: ratio.total?.metricSource,
        value: undefined,
      };
    } else {
      if (method !== 'Timeslices') {
        this.add(
          `${path}.spec.budgetingMethod`,
          `is ${method}: a threshold SLI is judged per time slice (Timeslices); counting single values (Occurrences) is not supported`,
        );
      }
      queries = {
        good: undefined,
        bad: undefined,
        total: undefined,
        value: sliSpec.thresholdMetric.metricSource,
      };
    }
    const results: Array<{
      target: Target;
      path: string;
      objectivePath: string;
    }> = [];
    const objectives: Doc[] = spec.objectives;
    const metric = this.metric(
      slo,
      sli!,
      Object.values(queries).filter(Boolean) as Doc[],
    );
    objectives.forEach((objective, k) => {
      const objectivePath = `${path}.spec.objectives[${k}]`;
      let sli3 = sli2;
      let timeslice: string | undefined;
      if (sliSpec.thresholdMetric) {
        if (objective.op !== 'lte' && objective.op !== 'gte') {
          this.add(
            `${objectivePath}.op`,
            objective.op === undefined
              ? 'is required with a thresholdMetric (lte or gte)'
              : `is ${objective.op}: only lte and gte are supported (a strict comparison has no exact equivalent)`,
          );
        }
        if (objective.value === undefined) {
          this.add(
            `${objectivePath}.value`,
            'is required with a thresholdMetric',
          );
        }
        if (
          objective.timeSliceTarget !== undefined &&
          objective.timeSliceTarget !== 1
        ) {
          this.add(
            `${objectivePath}.timeSliceTarget`,
            `is ${objective.timeSliceTarget}: must be 1, the plugin counts a slice good when its worst value meets the threshold`,
          );
        }
        const w = objective.timeSliceWindow;
        const iso = typeof w === 'number' ? `PT${w}M` : shorthandToIso(w);
        // PT1M is the default slice; leaving it out keeps round trips equal.
        timeslice = iso === 'PT1M' ? undefined : iso;
        const unit = annotations[ANNOTATION.unit];
        sli3 = {
          kind: 'threshold',
          operator: objective.op,
          threshold: objective.value,
          ...(unit ? { unit } : {}),
        };
      }
      const id =
        objectives.length === 1
          ? openSloName(slo.metadata.name)
          : openSloName(`${slo.metadata.name.slice(0, 59)}-${k + 1}`);
      const name =
        objective.displayName ?? slo.metadata.displayName ?? slo.metadata.name;
      if (this.errors.length > errorsBefore || !window || !sli3) return;
      const target: Target = {
        id,
        name: String(name).slice(0, 200),
        aspect,
        metric,
        sli: sli3,
        objective: percentOf(objective),
        window,
        ...(calendar ? { calendar } : {}),
        ...(timeslice ? { timeslice } : {}),
      };
      results.push({ target, path, objectivePath });
    });
    if (this.errors.length > errorsBefore) return [];
    for (const r of results) {
      const source = this.source(slo.metadata.name, r.target.metric, queries);
      if (source) r.target.source = source;
    }
    return results;
  }
}

/** Where a field of a mapped target came from in the documents. */
function originOf(
  field: string,
  origin: { path: string; objectivePath: string },
  objective: Doc,
): string {
  const [head] = field.split('.');
  if (head === 'objective') {
    return `${origin.objectivePath}.${
      objective.target !== undefined ? 'target' : 'targetPercent'
    }`;
  }
  if (head === 'window') return `${origin.path}.spec.timeWindow`;
  if (head === 'timeslice') return `${origin.objectivePath}.timeSliceWindow`;
  if (head === 'sli') return `${origin.objectivePath}`;
  return `${origin.path}.metadata`;
}

/**
 * OpenSLO v1 documents → the fields of a draft agreement. Checks the
 * documents against the spec (validateOpenSlo), maps each SLO objective to
 * a target, and checks the targets with the agreement rules
 * (validateAgreementInput), naming every problem at its document path.
 */
export function openSloToDraft(
  documents: unknown[],
  options: OpenSloImportOptions = {},
): OpenSloImportResult {
  const specErrors = validateOpenSlo(documents);
  if (specErrors.length) return { ok: false, errors: specErrors };
  const docs = documents as Doc[];
  const mapper = new Mapper(docs, options.sourceTypes ?? ['prometheus']);
  const mapped: Array<{ target: Target; path: string; objectivePath: string }> =
    [];
  docs.forEach((doc, i) => {
    if (doc.kind === 'SLO') mapped.push(...mapper.slo(i));
  });
  if (mapper.errors.length) return { ok: false, errors: mapper.errors };
  if (!docs.some(d => d.kind === 'SLO')) {
    return {
      ok: false,
      errors: [{ field: 'documents', message: 'hold no SLO document' }],
    };
  }
  const errors: FieldError[] = [];
  const seen = new Map<string, string>();
  for (const m of mapped) {
    const other = seen.get(m.target.id);
    if (other) {
      errors.push({
        field: `${m.path}.metadata.name`,
        message: `gives target id "${m.target.id}", as ${other} does`,
      });
    }
    seen.set(m.target.id, m.path);
  }
  const services = docs.filter(d => d.kind === 'Service');
  const serviceNames = [
    ...new Set(docs.filter(d => d.kind === 'SLO').map(d => d.spec.service)),
  ];
  const service =
    services.find(s => s.metadata.name === serviceNames[0]) ?? services[0];
  const annotations = service?.metadata.annotations ?? {};
  const kind: AgreementKind = ['SLA', 'OLA', 'UC'].includes(
    annotations[ANNOTATION.agreementKind],
  )
    ? annotations[ANNOTATION.agreementKind]
    : 'SLA';
  const title = String(
    service?.metadata.displayName ?? `${serviceNames.join(', ')} SLOs`,
  ).slice(0, 200);
  const draft: OpenSloDraft = {
    title,
    ...(service?.spec?.description
      ? { description: service.spec.description }
      : {}),
    kind,
    ...(annotations[ANNOTATION.entityRef]
      ? { entityRef: annotations[ANNOTATION.entityRef] }
      : {}),
    targets: mapped.map(m => m.target),
    warnings: mapper.warnings,
  };
  // The agreement rules (objective > 0, windows, timeslices, metric names),
  // named at the document field each target field came from.
  const ruleErrors = validateAgreementInput({
    kind,
    entityRef: 'component:default/openslo',
    title: title || 'OpenSLO',
    targets: draft.targets,
  });
  for (const e of ruleErrors) {
    const m = /^targets\[(\d+)\]\.?(.*)$/.exec(e.field);
    if (!m) continue;
    const origin = mapped[Number(m[1])];
    const objective =
      docs[Number(/^documents\[(\d+)\]/.exec(origin.objectivePath)![1])].spec
        .objectives[
        Number(/objectives\[(\d+)\]$/.exec(origin.objectivePath)![1])
      ];
    errors.push({
      field: originOf(m[2], origin, objective),
      message: `(target ${m[2] || 'itself'}) ${e.message}`,
    });
  }
  if (errors.length) return { ok: false, errors };
  const foreignAlerts = docs.some(
    d =>
      ['AlertPolicy', 'AlertCondition'].includes(d.kind) &&
      !d.metadata.name.startsWith(ALERT_POLICY_PREFIX),
  );
  if (foreignAlerts) {
    draft.warnings.push(
      "Alert policies are not imported: the plugin alerts on the SRE workbook's multi-window burn rates (page at 14.4× over 1h and 5m or 6× over 6h and 30m, ticket at 3× over 1d and 2h or 1× over 3d and 6h)",
    );
  }
  return { ok: true, draft };
}

/** YAML text → draft, or the problems with their document paths. */
export function importOpenSlo(
  text: string,
  options: OpenSloImportOptions = {},
): OpenSloImportResult {
  const { documents, errors } = parseOpenSloYaml(text);
  if (errors.length) return { ok: false, errors };
  return openSloToDraft(documents, options);
}
