import { ResponseError } from '@backstage/errors';
import { describeApiError } from './describeApiError';

describe('describeApiError', () => {
  it("reads the backend's message and status from a ResponseError", async () => {
    const response = new Response(
      JSON.stringify({
        error: { name: 'ConflictError', message: 'stale version' },
        response: { statusCode: 409 },
      }),
      { status: 409, headers: { 'Content-Type': 'application/json' } },
    );
    const error = await ResponseError.fromResponse(response);
    expect(describeApiError(error)).toEqual({
      status: 409,
      message: 'stale version',
    });
  });

  it('falls back to the message of any other error', () => {
    expect(describeApiError(new TypeError('Failed to fetch'))).toEqual({
      message: 'Failed to fetch',
    });
  });
});
