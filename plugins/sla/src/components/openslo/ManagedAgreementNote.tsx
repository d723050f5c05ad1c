import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { Link } from '@backstage/core-components';
import type { ManagedBy } from '@opensla/backstage-plugin-sla-common';
import { formatDateTime } from '../../lib/formatDates';

function FileLink(props: { location: string }) {
  const { location } = props;
  return /^https?:\/\//.test(location) ? (
    <Link to={location} target="_blank" rel="noopener noreferrer">
      {location}
    </Link>
  ) : (
    <code>{location}</code>
  );
}

/**
 * Says that an agreement is kept from OpenSLO files (read-only here) and
 * links the files.
 */
export function ManagedAgreementNote(props: { managed: ManagedBy }) {
  const { managed } = props;
  return (
    <Box
      mb={2}
      p={1.5}
      border={1}
      borderColor="divider"
      borderRadius={4}
      aria-label="Managed as code"
    >
      <Typography variant="body2" component="div">
        <strong>Managed as code (OpenSLO).</strong> This agreement is kept from
        the files below and is read-only here: change the files, and the
        agreement follows on the next read (last read{' '}
        {formatDateTime(managed.syncedAt)}).
      </Typography>
      <Box component="ul" mt={1} mb={0}>
        {managed.locations.map(location => (
          <li key={location}>
            <Typography variant="body2" component="span">
              <FileLink location={location} />
            </Typography>
          </li>
        ))}
      </Box>
    </Box>
  );
}
