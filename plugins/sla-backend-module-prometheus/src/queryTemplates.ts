/**
 * PromQL query templates that the platform team configures
 * (`sla.prometheus.templates.<name>`) and owners pick by name.
 *
 * A template is PromQL with placeholders:
 *
 * - `{{ annotation "prometheus.io/service" }}`: an annotation of the entity;
 * - `{{ param "job" }}`: a parameter of the target (`source.parameters`);
 * - `{{ entity "name" }}`, `{{ entity "namespace" }}`, `{{ entity "kind" }}`:
 *   parts of the entity's ref;
 * - `{{ range }}`: the step of the query as a PromQL duration (`60s`): the
 *   configured `step` for ratio SLIs, the target's timeslice for threshold
 *   SLIs, e.g. `increase(http_requests_total[{{ range }}])`.
 *
 * Values from entities and targets are written by owners, so they may only
 * stand inside a PromQL string literal ("…" or '…'), where they are escaped:
 * a value can never end the string and add matchers, operators or other
 * queries. Inside a regular expression matcher (`=~`, `!~`) the value is also
 * quoted as a literal, so `.*` or `a|b` cannot widen the selection. A
 * template that puts a value anywhere else is refused when the config is
 * read.
 */

/** Where a value placeholder reads from. */
export type ValueSource = 'annotation' | 'param' | 'entity';

type Segment =
  | { kind: 'text'; text: string }
  | {
      kind: 'value';
      source: ValueSource;
      key: string;
      quote: '"' | "'";
      regex: boolean;
    }
  | { kind: 'range' };

/** One query of a template, parsed once at startup. */
export type ParsedQuery = {
  /** The query as configured, for messages. */
  text: string;
  segments: Segment[];
};

/** A configured template: ratio queries (good, total), a threshold query (value), or both. */
export type QueryTemplate = {
  name: string;
  description?: string;
  good?: ParsedQuery;
  total?: ParsedQuery;
  value?: ParsedQuery;
};

/** What the placeholders of one target are filled from. */
export type TemplateValues = {
  entityRef: string;
  annotations: Record<string, string>;
  parameters: Record<string, string>;
  /** The step of the query in whole seconds. */
  rangeSeconds: number;
};

/** The longest value a placeholder takes; longer ones are refused. */
export const MAX_VALUE_LENGTH = 1024;

const ENTITY_PARTS = ['kind', 'namespace', 'name'];
const PLACEHOLDER =
  /^\{\{\s*(?:(annotation|param|entity)\s+"([^"\\]+)"|(range))\s*\}\}/;

/**
 * Parses one query of a template. Throws an Error naming the problem (the
 * caller adds the config key) when a placeholder is unknown, malformed, or
 * stands where a value could escape its string.
 */
export function parseQueryTemplate(text: string): ParsedQuery {
  const segments: Segment[] = [];
  let literal = '';
  /** The open string's quote, or undefined outside strings. */
  let quote: '"' | "'" | '`' | undefined;
  let stringIsRegex = false;
  let inComment = false;

  const flush = () => {
    if (literal) {
      segments.push({ kind: 'text', text: literal });
      literal = '';
    }
  };

  for (let i = 0; i < text.length; ) {
    if (text.startsWith('{{', i)) {
      const match = PLACEHOLDER.exec(text.slice(i));
      if (!match) {
        throw new Error(
          `unknown placeholder at "${text.slice(
            i,
            i + 40,
          )}"; use {{ annotation "key" }}, {{ param "name" }}, {{ entity "name" }} or {{ range }}`,
        );
      }
      const [whole, source, key, range] = match;
      if (inComment) {
        throw new Error(`placeholder ${whole} stands in a comment`);
      }
      if (range) {
        if (quote) {
          throw new Error(
            `{{ range }} must stand outside strings, e.g. [{{ range }}]`,
          );
        }
        flush();
        segments.push({ kind: 'range' });
      } else {
        if (quote !== '"' && quote !== "'") {
          throw new Error(
            `placeholder ${whole} must stand inside a "…" or '…' string, e.g. job="${whole}"`,
          );
        }
        if (source === 'entity' && !ENTITY_PARTS.includes(key)) {
          throw new Error(
            `placeholder ${whole}: entity has ${ENTITY_PARTS.map(
              p => `"${p}"`,
            ).join(', ')}`,
          );
        }
        flush();
        segments.push({
          kind: 'value',
          source: source as ValueSource,
          key,
          quote,
          regex: stringIsRegex,
        });
      }
      i += whole.length;
      continue;
    }

    const char = text[i];
    literal += char;
    if (inComment) {
      if (char === '\n') {
        inComment = false;
      }
    } else if (quote) {
      if (char === '\\' && quote !== '`') {
        // An escape: the next character cannot close the string.
        if (i + 1 < text.length) {
          literal += text[i + 1];
          i += 1;
        }
      } else if (char === quote) {
        quote = undefined;
      }
    } else if (char === '"' || char === "'" || char === '`') {
      quote = char;
      stringIsRegex = /[=!]~\s*$/.test(text.slice(0, i));
    } else if (char === '#') {
      inComment = true;
    }
    i += 1;
  }
  if (quote) {
    throw new Error(`unterminated string (${quote})`);
  }
  flush();
  return { text, segments };
}

/**
 * The query with its placeholders filled, or throws an Error naming what is
 * missing (an annotation the entity lacks, a parameter the target lacks).
 */
export function renderQueryTemplate(
  query: ParsedQuery,
  values: TemplateValues,
): string {
  return query.segments
    .map(segment => {
      switch (segment.kind) {
        case 'text':
          return segment.text;
        case 'range':
          return `${values.rangeSeconds}s`;
        default: {
          const value = lookUp(segment.source, segment.key, values);
          const literal = segment.regex ? quoteRegex(value) : value;
          return escapeStringContent(literal, segment.quote);
        }
      }
    })
    .join('');
}

/** Every annotation and parameter a template reads, for the editor and for messages. */
export function placeholdersOf(template: QueryTemplate): {
  annotations: string[];
  parameters: string[];
} {
  const annotations = new Set<string>();
  const parameters = new Set<string>();
  for (const query of [template.good, template.total, template.value]) {
    for (const segment of query?.segments ?? []) {
      if (segment.kind === 'value' && segment.source === 'annotation') {
        annotations.add(segment.key);
      } else if (segment.kind === 'value' && segment.source === 'param') {
        parameters.add(segment.key);
      }
    }
  }
  return {
    annotations: [...annotations].sort(),
    parameters: [...parameters].sort(),
  };
}

function lookUp(
  source: ValueSource,
  key: string,
  values: TemplateValues,
): string {
  let value: string | undefined;
  let what: string;
  switch (source) {
    case 'annotation':
      value = values.annotations[key];
      what = `the entity's annotation "${key}"`;
      break;
    case 'param':
      value = values.parameters[key];
      what = `the target's parameter "${key}" (source.parameters.${key})`;
      break;
    default:
      value = entityPart(values.entityRef, key);
      what = `the entity's ${key}`;
  }
  if (typeof value !== 'string' || value.trim() === '') {
    // An empty label value would match every series without the label.
    throw new Error(`${what} is missing or empty`);
  }
  if (value.length > MAX_VALUE_LENGTH) {
    throw new Error(`${what} is longer than ${MAX_VALUE_LENGTH} characters`);
  }
  return value;
}

function entityPart(entityRef: string, part: string): string | undefined {
  const match = /^([^:]+):([^/]+)\/(.+)$/.exec(entityRef);
  if (!match) {
    return undefined;
  }
  const [, kind, namespace, name] = match;
  return { kind, namespace, name }[part];
}

/** RE2 metacharacters, quoted so that the value matches only itself. */
export function quoteRegex(value: string): string {
  return value.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/**
 * The value written inside a PromQL string with the given quote: backslash,
 * both quotes and every control character escaped (PromQL strings follow
 * Go's escapes and may not hold a raw line break).
 */
export function escapeStringContent(value: string, quote: '"' | "'"): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (char === '\\' || char === quote) {
      out += `\\${char}`;
    } else if (code < 0x20 || code === 0x7f) {
      out += `\\x${code.toString(16).padStart(2, '0')}`;
    } else {
      out += char;
    }
  }
  return out;
}
