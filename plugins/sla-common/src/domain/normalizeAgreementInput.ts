import type {
  AgreementInput,
  MaintenanceWindow,
  Target,
  TargetSource,
} from '../types';

function slug(name: string): string {
  const s = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50);
  return s || 'target';
}

function pick<T extends object>(source: any, keys: Array<keyof T>): T {
  const out: any = {};
  for (const key of keys) {
    if (source[key] !== undefined) out[key] = source[key];
  }
  return out;
}

function normalizeTarget(t: any, id: string): Target {
  const sliFields: Record<string, string[]> = {
    threshold: ['kind', 'operator', 'threshold', 'unit'],
    duration: ['kind', 'maxDuration', 'priority'],
    ratio: ['kind'],
    ticket: ['kind', 'measure', 'maxDuration', 'priority', 'pauseStates'],
  };
  const sli = pick(t.sli, sliFields[t.sli.kind] as any);
  const window =
    t.window.type === 'rolling'
      ? { type: 'rolling', duration: t.window.duration }
      : { type: 'calendar', unit: t.window.unit, timeZone: t.window.timeZone };
  return {
    id,
    name: t.name.trim(),
    aspect: t.aspect,
    metric: t.metric,
    sli: sli as Target['sli'],
    objective: t.objective,
    window: window as Target['window'],
    ...(t.calendar
      ? {
          calendar: {
            timeZone: t.calendar.timeZone,
            openingHours: t.calendar.openingHours,
            ...(t.calendar.holidays ? { holidays: t.calendar.holidays } : {}),
          },
        }
      : {}),
    ...(t.timeslice ? { timeslice: t.timeslice } : {}),
    ...(t.source
      ? {
          source: pick<TargetSource>(t.source, [
            'type',
            'good',
            'total',
            'value',
            'template',
            'parameters',
          ]),
        }
      : {}),
  };
}

/**
 * The stored form of a validated input: only known fields, trimmed text,
 * and every target with a stable id (kept when given, else derived from the
 * name and made unique).
 * @public
 */
export function normalizeAgreementInput(input: AgreementInput): Omit<
  AgreementInput,
  'targets' | 'version' | 'status'
> & {
  targets: Target[];
} {
  const used = new Set(
    input.targets.map(t => t.id).filter((id): id is string => !!id),
  );
  const targets = input.targets.map(t => {
    let id = t.id;
    if (!id) {
      const base = slug(t.name);
      id = base;
      for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
      used.add(id);
    }
    return normalizeTarget(t, id);
  });
  const base = pick<AgreementInput>(input, [
    'kind',
    'scope',
    'entityRef',
    'description',
    'customer',
    'provider',
    'validFrom',
    'validUntil',
    'reviewInterval',
  ]);
  return {
    ...base,
    title: input.title.trim(),
    maintenanceWindows: (input.maintenanceWindows ?? []).map(w =>
      pick<MaintenanceWindow>(w, [
        'description',
        'start',
        'end',
        'weekly',
        'timeZone',
      ]),
    ),
    targets,
  };
}
