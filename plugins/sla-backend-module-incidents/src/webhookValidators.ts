import type {
  RequestDetails,
  RequestValidationContext,
  RequestValidator,
} from '@backstage/plugin-events-node';
import { createHmac, timingSafeEqual } from 'node:crypto';

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function header(details: RequestDetails, name: string): string[] {
  const value = details.headers[name.toLowerCase()];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * Accepts a PagerDuty V3 webhook only if `X-PagerDuty-Signature` holds a
 * `v1=<hex>` HMAC-SHA256 of the raw body with one of the secrets (PagerDuty
 * sends several signatures while a secret is rotated).
 */
export function createPagerDutySignatureValidator(
  secrets: string[],
): RequestValidator {
  return async (details: RequestDetails, context: RequestValidationContext) => {
    const signatures = header(details, 'x-pagerduty-signature')
      .flatMap(v => v.split(','))
      .map(v => v.trim())
      .filter(v => v.startsWith('v1='))
      .map(v => v.slice(3));
    const expected = secrets.map(secret =>
      createHmac('sha256', secret).update(details.raw.body).digest('hex'),
    );
    if (!signatures.some(s => expected.some(e => safeEqual(s, e)))) {
      context.reject({
        status: 401,
        payload: { message: 'missing or invalid X-PagerDuty-Signature' },
      });
    }
  };
}

/**
 * Accepts a webhook only if the named header carries the shared token (the
 * Opsgenie webhook integration can send custom headers).
 */
export function createHeaderTokenValidator(
  name: string,
  token: string,
): RequestValidator {
  return async (details: RequestDetails, context: RequestValidationContext) => {
    if (!header(details, name).some(v => safeEqual(v, token))) {
      context.reject({
        status: 401,
        payload: { message: `missing or invalid ${name} header` },
      });
    }
  };
}
