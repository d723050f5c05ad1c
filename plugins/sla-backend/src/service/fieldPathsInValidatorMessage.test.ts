import { fieldPathsInValidatorMessage } from './fieldPathsInValidatorMessage';

describe('fieldPathsInValidatorMessage', () => {
  it.each([
    [
      "request/body/targets/0 must have required property 'metric'",
      'targets[0].metric is required',
    ],
    [
      'request/body/targets/0/sli/kind must be equal to one of the allowed values',
      'targets[0].sli.kind must be equal to one of the allowed values',
    ],
    ['request/query/status must be one of', 'status must be one of'],
    ["request/body must have required property 'kind'", 'kind is required'],
    ['Unexpected token } in JSON', 'Unexpected token } in JSON'],
  ])('%s', (input, expected) => {
    expect(fieldPathsInValidatorMessage(input)).toBe(expected);
  });
});
