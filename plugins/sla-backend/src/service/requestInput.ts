import { InputError } from '@backstage/errors';
import {
  parseFullEntityRef,
  parseInstant,
} from '@opensla/backstage-plugin-sla-common';
import type express from 'express';
import { instantWithinBounds } from '../domain/instantBounds';

/** Query parameters that hold an entity ref, on every route. */
const ENTITY_REF_QUERY = ['entityRef'];
/** Query parameters that hold an instant, on every route. */
const INSTANT_QUERY = ['at', 'from', 'to'];

/** An entity ref from a request, or a 400 naming the field. */
export function entityRefInput(value: unknown, field = 'entityRef'): string {
  if (parseFullEntityRef(value) === undefined) {
    throw new InputError(
      `${field} must be an entity ref (kind:namespace/name, e.g. component:default/checkout)`,
    );
  }
  return value as string;
}

/** An instant from a request in ms, or a 400 naming the field. */
export function instantInput(value: unknown, field = 'at'): number {
  const t = parseInstant(value);
  if (t === undefined) {
    throw new InputError(
      `${field} must be an ISO 8601 instant that exists, with an offset (e.g. 2026-06-01T00:00:00Z)`,
    );
  }
  return t;
}

/**
 * Refuses malformed entity refs and impossible instants in the query of
 * every route with one message per field, before any handler runs: the
 * OpenAPI validator checks only the shape (its date-time format lets
 * 2026-02-30 through, which Date.parse would roll over to March). `at` of
 * a GET is also bounded against `now` (docs/api.md "Instants").
 */
export function refuseMalformedQuery(
  now: () => number,
): express.RequestHandler {
  return (req, _res, next) => {
    try {
      for (const field of ENTITY_REF_QUERY) {
        const value = req.query[field];
        if (value !== undefined) entityRefInput(value, field);
      }
      for (const field of INSTANT_QUERY) {
        const value = req.query[field];
        if (value === undefined) continue;
        const instant = instantInput(value, field);
        if (field === 'at' && req.method === 'GET') {
          instantWithinBounds('at', instant, now());
        }
      }
      next();
    } catch (error) {
      next(error);
    }
  };
}
