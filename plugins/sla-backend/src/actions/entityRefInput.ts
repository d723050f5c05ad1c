import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

/**
 * The entity ref an assistant sends, in full form: `checkout` and
 * `default/checkout` mean `component:default/checkout` (assistants repeat
 * what people say, and people name services); a kind or namespace given is
 * kept.
 */
export function entityRefInput(value: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(value.trim(), {
        defaultKind: 'component',
        defaultNamespace: 'default',
      }),
    ).toLocaleLowerCase('en-US');
  } catch {
    throw new InputError(
      `entityRef must be an entity ref such as component:default/checkout, got "${value}"`,
    );
  }
}

/** The description every action gives its entityRef input. */
export const ENTITY_REF_DESCRIPTION =
  'The catalog entity, e.g. component:default/checkout (a bare name such as "checkout" means a component in the default namespace)';
