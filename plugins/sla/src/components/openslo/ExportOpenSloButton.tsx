import { useState } from 'react';
import Button from '@material-ui/core/Button';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import type { Agreement } from '@opensla/backstage-plugin-sla-common';
import { slaApiRef } from '../../api';
import { saveDownload } from '../report/saveDownload';

/** The name the backend gives the file: the title as an RFC 1123 name. */
export function openSloFileName(title: string): string {
  const name = title
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return `${name || 'unnamed'}.openslo.yaml`;
}

/** Downloads the agreement as OpenSLO v1 YAML (with the user's credentials). */
export function ExportOpenSloButton(props: { agreement: Agreement }) {
  const slaApi = useApi(slaApiRef);
  const alertApi = useApi(alertApiRef);
  const [busy, setBusy] = useState(false);
  const exportYaml = async () => {
    setBusy(true);
    try {
      const download = await slaApi.downloadAgreementOpenSlo(
        props.agreement.id,
      );
      // The backend's file name, when its header is readable (same origin).
      saveDownload(download, openSloFileName(props.agreement.title));
    } catch (error) {
      alertApi.post({
        message: `Export as OpenSLO failed: ${(error as Error).message}`,
        severity: 'error',
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button variant="outlined" disabled={busy} onClick={exportYaml}>
      Export as OpenSLO
    </Button>
  );
}
