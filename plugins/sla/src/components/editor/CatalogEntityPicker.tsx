import { useEffect, useMemo, useState } from 'react';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import CircularProgress from '@material-ui/core/CircularProgress';
import Autocomplete from '@material-ui/lab/Autocomplete';
import useAsync from 'react-use/esm/useAsync';
import useDebounce from 'react-use/esm/useDebounce';
import { useApiHolder } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { parseFullEntityRef } from '@opensla/backstage-plugin-sla-common';
import { FieldTextField } from '../FieldTextField';

/** One entity the picker offers: what is stored and what is shown. */
export type EntityOption = {
  ref: string;
  displayName: string;
  /** "Group · team", "User" */
  detail: string;
  /** Set on the option that takes a typed entity ref as it is. */
  typed?: boolean;
};

/** How many matches one search shows. */
const SEARCH_LIMIT = 20;

const FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'spec.type',
  'spec.profile.displayName',
];

/** Display name of a group or user: its profile's name, its title, its name. */
export function entityOption(entity: Entity): EntityOption {
  const profile = (entity.spec?.profile ?? {}) as { displayName?: string };
  const type = typeof entity.spec?.type === 'string' ? entity.spec.type : '';
  return {
    ref: stringifyEntityRef(entity),
    displayName:
      profile.displayName || entity.metadata.title || entity.metadata.name,
    detail: [entity.kind, type].filter(Boolean).join(' · '),
  };
}

/** A stored ref shown before (or without) its entity: its name in words. */
function refOption(ref: string): EntityOption {
  try {
    const parsed = parseEntityRef(ref);
    return { ref, displayName: parsed.name, detail: parsed.kind, typed: true };
  } catch {
    return { ref, displayName: ref, detail: '', typed: true };
  }
}

/**
 * Picks a group or user from the catalog, searching as the owner types
 * (display names, titles and names), and stores its entity ref. Typing a
 * full entity ref (`group:default/checkout`) offers it as it is, for
 * entities the catalog does not hold; it is never needed otherwise.
 * Without a catalog API (an app that does not install the catalog) it is
 * a plain text field for the ref.
 */
export function CatalogEntityPicker(props: {
  path: string;
  idPrefix: string;
  errors: Record<string, string>;
  label: string;
  hint: string;
  value: string;
  onChange: (ref: string) => void;
  /** Entity kinds to search, e.g. ['Group', 'User']. */
  kinds: string[];
}) {
  const { path, idPrefix, errors, label, hint, value, onChange, kinds } = props;
  const catalogApi = useApiHolder().get(catalogApiRef);
  const id = `${idPrefix}-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;
  const [open, setOpen] = useState(false);
  const [input, setInput] = useState('');
  const [term, setTerm] = useState('');
  useDebounce(() => setTerm(input.trim()), 250, [input]);
  const [known, setKnown] = useState<Record<string, EntityOption>>({});
  const kindsKey = kinds.join(',');

  // Searches only while the list is open: typing a display name, not a ref.
  const search = useAsync(async () => {
    if (!catalogApi || !open) return [];
    const response = await catalogApi.queryEntities({
      filter: { kind: kindsKey.split(',') },
      ...(term
        ? {
            fullTextFilter: {
              term,
              fields: [
                'metadata.name',
                'metadata.title',
                'spec.profile.displayName',
              ],
            },
          }
        : {}),
      orderFields: { field: 'metadata.name', order: 'asc' },
      fields: FIELDS,
      limit: SEARCH_LIMIT,
    });
    return response.items.map(entityOption);
  }, [catalogApi, open, term, kindsKey]);

  // The stored ref's display name, read once per ref.
  const stored = useAsync(async () => {
    if (!catalogApi || !value || known[value.toLocaleLowerCase('en-US')]) {
      return undefined;
    }
    const { items } = await catalogApi.getEntitiesByRefs({
      entityRefs: [value],
      fields: FIELDS,
    });
    return items[0] ? entityOption(items[0]) : undefined;
  }, [catalogApi, value]);

  useEffect(() => {
    const found = [
      ...(search.value ?? []),
      ...(stored.value ? [stored.value] : []),
    ];
    if (found.length === 0) return;
    setKnown(current => {
      const next = { ...current };
      for (const option of found) {
        next[option.ref.toLocaleLowerCase('en-US')] = option;
      }
      return next;
    });
  }, [search.value, stored.value]);

  const selected: EntityOption | null = value
    ? known[value.toLocaleLowerCase('en-US')] ?? refOption(value)
    : null;

  const options = useMemo(() => {
    const found = search.value ?? [];
    const typedRef = parseFullEntityRef(input.trim());
    const typed =
      typedRef &&
      !found.some(o => o.ref === typedRef.toLocaleLowerCase('en-US'))
        ? [{ ...refOption(typedRef), displayName: `Use ${typedRef}` }]
        : [];
    return [...typed, ...found];
  }, [search.value, input]);

  const message = errors[path];
  if (!catalogApi) {
    return (
      <FieldTextField
        path={path}
        idPrefix={idPrefix}
        errors={errors}
        label={label}
        hint={`${hint} (an entity ref, e.g. group:default/checkout)`}
        value={value}
        onChange={e => onChange(e.target.value)}
      />
    );
  }
  const searchFailed = search.error
    ? `Could not search the catalog (${search.error.message}); type an entity ref such as group:default/checkout`
    : undefined;

  return (
    <Autocomplete<EntityOption>
      id={id}
      open={open}
      onOpen={() => setOpen(true)}
      onClose={() => setOpen(false)}
      options={options}
      value={selected}
      // The catalog filters; the list shows what it answered.
      filterOptions={x => x}
      getOptionLabel={option => option.displayName}
      getOptionSelected={(a, b) => a.ref === b.ref}
      onChange={(_event, option) => onChange(option ? option.ref : '')}
      onInputChange={(_event, text, reason) => {
        if (reason === 'input' || reason === 'clear') setInput(text);
        else setInput('');
      }}
      loading={search.loading || (open && input.trim() !== term)}
      loadingText="Searching the catalog…"
      noOptionsText={
        term
          ? `No team or person in the catalog matches "${term}"`
          : 'No teams or people in the catalog'
      }
      renderOption={option => (
        <div>
          <Typography variant="body2">{option.displayName}</Typography>
          <Typography variant="caption" color="textSecondary">
            {option.typed ? 'Entity ref typed by hand' : option.detail}
          </Typography>
        </div>
      )}
      renderInput={params => (
        <TextField
          {...params}
          label={label}
          margin="dense"
          fullWidth
          error={Boolean(message || searchFailed)}
          helperText={message ?? searchFailed ?? selectedHint(selected, hint)}
          InputProps={{
            ...params.InputProps,
            endAdornment: (
              <>
                {search.loading && open ? (
                  <CircularProgress color="inherit" size={16} />
                ) : null}
                {params.InputProps.endAdornment}
              </>
            ),
          }}
        />
      )}
    />
  );
}

/** Under a chosen entity: which one it is (kind and ref), for the curious. */
function selectedHint(selected: EntityOption | null, hint: string): string {
  if (!selected) return hint;
  return selected.detail ? `${selected.detail}: ${selected.ref}` : selected.ref;
}
