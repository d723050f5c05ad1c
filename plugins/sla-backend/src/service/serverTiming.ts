import type { NextFunction, Request, Response } from 'express';
import { performance } from 'node:perf_hooks';

/**
 * The parts of a read a `Server-Timing` header reports (docs/api.md
 * "Server-Timing"): the caller's credentials, the permission decision, the
 * catalog, the agreements in force, planning the reads, the database, the
 * figures computed from what it answered, the JSON text of the answer.
 */
export type TimingPart =
  | 'auth'
  | 'permission'
  | 'catalog'
  | 'agreements'
  | 'planning'
  | 'database'
  | 'compute'
  | 'json';

/**
 * Times parts of one request, when the installation asks for it
 * (`sla.debug.serverTiming`); NO_TIMER otherwise, which only calls through.
 * Routes and services time themselves with it; the pure domain never does.
 */
export interface RequestTimer {
  time<T>(part: TimingPart, fn: () => Promise<T>): Promise<T>;
  timeSync<T>(part: TimingPart, fn: () => T): T;
}

/** A timer that times nothing. */
export const NO_TIMER: RequestTimer = {
  time: (_, fn) => fn(),
  timeSync: (_, fn) => fn(),
};

class PartTimer implements RequestTimer {
  readonly parts = new Map<TimingPart, number>();

  private add(part: TimingPart, ms: number) {
    this.parts.set(part, (this.parts.get(part) ?? 0) + ms);
  }

  async time<T>(part: TimingPart, fn: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await fn();
    } finally {
      this.add(part, performance.now() - start);
    }
  }

  timeSync<T>(part: TimingPart, fn: () => T): T {
    const start = performance.now();
    try {
      return fn();
    } finally {
      this.add(part, performance.now() - start);
    }
  }
}

const TIMER = Symbol('slaRequestTimer');

/** The request's timer: NO_TIMER unless serverTiming() gave it one. */
export function timerOf(res: Response): RequestTimer {
  return (res.locals as { [TIMER]?: RequestTimer })[TIMER] ?? NO_TIMER;
}

/**
 * Middleware that gives each request a timer and answers what it measured
 * as a `Server-Timing` header (milliseconds; `total` from this middleware to
 * the headers, which for JSON answers is after the text is made). JSON
 * answers are serialized here so their text is timed (`json`), as
 * express's `res.json` would: same text, same content type.
 */
export function serverTiming() {
  return (_req: Request, res: Response, next: NextFunction) => {
    const start = performance.now();
    const timer = new PartTimer();
    (res.locals as { [TIMER]?: RequestTimer })[TIMER] = timer;
    res.json = function json(body: unknown) {
      const text = timer.timeSync('json', () => JSON.stringify(body));
      if (!res.get('Content-Type')) {
        res.set('Content-Type', 'application/json; charset=utf-8');
      }
      return res.send(text);
    };
    const writeHead = res.writeHead;
    res.writeHead = function head(this: Response, ...args: any[]) {
      if (!res.headersSent) {
        const parts = [...timer.parts].map(
          ([part, ms]) => `${part};dur=${ms.toFixed(3)}`,
        );
        parts.push(`total;dur=${(performance.now() - start).toFixed(3)}`);
        res.setHeader('Server-Timing', parts.join(', '));
      }
      return (writeHead as (...a: any[]) => Response).apply(this, args);
    } as Response['writeHead'];
    next();
  };
}
