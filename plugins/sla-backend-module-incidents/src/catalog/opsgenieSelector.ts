import type { OpsgenieSubject } from '../translate/opsgenie';

type Term = (subject: OpsgenieSubject) => boolean;

/** A parsed `opsgenie.com/component-selector`, or why it cannot be used. */
export type OpsgenieSelector =
  | { ok: true; matches: (subject: OpsgenieSubject) => boolean }
  | { ok: false; reason: string };

const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function unquote(value: string): string {
  const v = value.trim();
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"')
    ? v.slice(1, -1)
    : v;
}

/** Splits on whitespace outside double quotes and parentheses. */
function tokenize(query: string): string[] | undefined {
  const tokens: string[] = [];
  let current = '';
  let quoted = false;
  let depth = 0;
  for (const ch of query) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '(') depth += 1;
    else if (!quoted && ch === ')') depth -= 1;
    if (depth < 0) return undefined;
    if (!quoted && depth === 0 && /\s/.test(ch)) {
      if (current) tokens.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  if (quoted || depth !== 0) return undefined;
  if (current) tokens.push(current);
  // `tag: "x"` (a space after the colon) is one term
  const merged: string[] = [];
  for (const token of tokens) {
    const last = merged[merged.length - 1];
    if (last && /[:=]$/.test(last) && !/^(AND|OR)$/i.test(token)) {
      merged[merged.length - 1] = last + token;
    } else {
      merged.push(token);
    }
  }
  return merged;
}

function parseTerm(token: string): Term | undefined {
  const pair = /^detailsPair\(\s*("[^"]*"|[^:=\s]+)\s*[:=]\s*(.+?)\s*\)$/i.exec(
    token,
  );
  if (pair) {
    const key = unquote(pair[1]);
    const value = unquote(pair[2]);
    return s =>
      Object.entries(s.details).some(([k, v]) => eq(k, key) && eq(v, value));
  }
  const field = /^([A-Za-z.]+)\s*[:=]\s*(.+)$/.exec(token);
  if (!field) return undefined;
  const name = field[1].toLowerCase();
  const value = unquote(field[2]);
  if (!value) return undefined;
  switch (name) {
    case 'tag':
    case 'tags':
      return s => s.tags.some(t => eq(t, value));
    case 'team':
    case 'teams':
      return s => s.teams.some(t => eq(t, value));
    case 'entity':
    case 'source':
    case 'alias':
      return s => {
        const actual = s[name];
        return actual !== undefined && eq(actual, value);
      };
    case 'integration.name':
      return s =>
        s.integrationName !== undefined && eq(s.integrationName, value);
    default:
      return undefined;
  }
}

/**
 * Parses the subset of Opsgenie's alert search query language that can be
 * decided from a webhook payload: `tag:x` (also `tags:`), `detailsPair(k:v)`,
 * `teams:x`, `entity:x`, `source:x`, `alias:x`, `integration.name:x`, values
 * optionally in double quotes, joined by `AND` and `OR` (AND binds tighter; a
 * missing operator means AND). Comparisons are exact and case-insensitive.
 * Anything else (free text, wildcards, `NOT`, parentheses, other fields) is
 * refused with a reason, so the entity is skipped rather than guessed.
 */
export function parseOpsgenieSelector(query: string): OpsgenieSelector {
  const tokens = tokenize(query.trim());
  if (!tokens || tokens.length === 0) {
    return { ok: false, reason: 'empty or unbalanced query' };
  }
  const disjuncts: Term[][] = [[]];
  let expectTerm = true;
  for (const token of tokens) {
    if (/^OR$/i.test(token) || /^AND$/i.test(token)) {
      if (expectTerm) return { ok: false, reason: `misplaced ${token}` };
      if (/^OR$/i.test(token)) disjuncts.push([]);
      expectTerm = true;
      continue;
    }
    const term = parseTerm(token);
    if (!term) {
      return { ok: false, reason: `unsupported term ${JSON.stringify(token)}` };
    }
    disjuncts[disjuncts.length - 1].push(term);
    expectTerm = false;
  }
  if (expectTerm) return { ok: false, reason: 'query ends with an operator' };
  return {
    ok: true,
    matches: subject => disjuncts.some(terms => terms.every(t => t(subject))),
  };
}
