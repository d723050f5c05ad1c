import { useState } from 'react';
import Button from '@material-ui/core/Button';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import type { Agreement } from '@opensla/backstage-plugin-sla-common';
import { slaApiRef } from '../../api';
import { saveDownload } from '../report/saveDownload';

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
      saveDownload(download, `${props.agreement.id}.openslo.yaml`);
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
