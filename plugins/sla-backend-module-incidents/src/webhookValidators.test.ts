import { createHmac } from 'node:crypto';
import {
  createHeaderTokenValidator,
  createPagerDutySignatureValidator,
} from './webhookValidators';

function run(
  validator: ReturnType<typeof createHeaderTokenValidator>,
  headers: Record<string, string | string[]>,
  body = '{"event":{}}',
) {
  const reject = jest.fn();
  return validator(
    {
      body: JSON.parse(body),
      headers,
      raw: { body: Buffer.from(body), encoding: 'utf-8' },
    },
    { reject },
  ).then(() => reject);
}

describe('webhook validators', () => {
  const body = '{"event":{"id":"1"}}';
  const sig = (secret: string) =>
    `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;

  it('accepts a PagerDuty delivery signed with any configured secret', async () => {
    const validator = createPagerDutySignatureValidator(['a', 'b']);
    expect(
      await run(validator, { 'x-pagerduty-signature': sig('b') }, body),
    ).not.toHaveBeenCalled();
    expect(
      await run(
        validator,
        { 'x-pagerduty-signature': `v1=00, ${sig('a')}` },
        body,
      ),
    ).not.toHaveBeenCalled();
  });

  it.each([
    ['no header', {}],
    ['a wrong secret', { 'x-pagerduty-signature': sig('c') }],
    [
      'a signature of another body',
      { 'x-pagerduty-signature': sig('a').replace(/.$/, '0') },
    ],
    ['no v1 prefix', { 'x-pagerduty-signature': sig('a').slice(3) }],
  ])('refuses a PagerDuty delivery with %s', async (_, headers) => {
    const reject = await run(
      createPagerDutySignatureValidator(['a']),
      headers,
      body,
    );
    expect(reject).toHaveBeenCalledWith({
      status: 401,
      payload: { message: 'missing or invalid X-PagerDuty-Signature' },
    });
  });

  it('checks a shared header for Opsgenie', async () => {
    const validator = createHeaderTokenValidator('x-webhook-token', 'secret');
    expect(
      await run(validator, { 'x-webhook-token': 'secret' }),
    ).not.toHaveBeenCalled();
    expect(
      await run(validator, { 'x-webhook-token': 'secreT' }),
    ).toHaveBeenCalledWith({
      status: 401,
      payload: { message: 'missing or invalid x-webhook-token header' },
    });
    expect(await run(validator, {})).toHaveBeenCalled();
  });
});
