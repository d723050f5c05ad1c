/**
 * Rewrites the OpenAPI validator's paths ("request/body/targets/0/sli/kind",
 * "request/query/status") into the field paths of our own messages
 * ("targets[0].sli.kind", "status").
 * @internal
 */
export function fieldPathsInValidatorMessage(message: string): string {
  return withFieldPaths(message).replace(
    /\b([\w.[\]]+) must have required property '(\w+)'/g,
    (_, parent: string, property: string) =>
      `${parent === 'body' ? property : `${parent}.${property}`} is required`,
  );
}

function withFieldPaths(message: string): string {
  return message.replace(
    /request\/(?:body|query|params)\/?([\w/-]*)/g,
    (_, path: string) =>
      path
        ? path
            .split('/')
            .map((part, i) => {
              if (/^\d+$/.test(part)) return `[${part}]`;
              return i ? `.${part}` : part;
            })
            .join('')
        : 'body',
  );
}
