import useAsync from 'react-use/esm/useAsync';
import Box from '@material-ui/core/Box';
import { WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { slaApiRef } from '../../api';
import { formatDateTime } from '../../lib/formatDates';

/**
 * The last error reading the entity's OpenSLO files (sla/openslo), if any.
 * The agreement keeps its last good version meanwhile.
 */
export function OpenSloSourceErrors(props: {
  entityRef: string;
  reloadKey?: number;
}) {
  const slaApi = useApi(slaApiRef);
  const { value } = useAsync(
    () => slaApi.listOpenSloSources(props.entityRef),
    [slaApi, props.entityRef, props.reloadKey],
  );
  const failing = (value?.items ?? []).filter(s => s.error);
  if (failing.length === 0) return null;
  return (
    <>
      {failing.map(source => (
        <Box mb={3} key={source.entityRef}>
          <WarningPanel
            severity="error"
            title="The OpenSLO files of this entity could not be applied"
            message={`Read ${formatDateTime(source.checkedAt)}. ${
              source.agreementId
                ? 'The managed agreement keeps its last good version.'
                : 'No managed agreement has been created yet.'
            }`}
            defaultExpanded
          >
            <Box component="pre" whiteSpace="pre-wrap" m={0}>
              {source.error!.split('; ').join('\n')}
            </Box>
          </WarningPanel>
        </Box>
      ))}
    </>
  );
}
