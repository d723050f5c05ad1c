import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useApi } from '@backstage/core-plugin-api';
import {
  OpenSloDraft,
  parseFieldErrors,
} from '@opensla/backstage-plugin-sla-common';
import { slaApiRef } from '../../api';
import { describeApiError } from '../../lib/describeApiError';
import { AgreementTargetsTable } from '../AgreementTargetsTable';

/**
 * Paste OpenSLO v1 YAML, preview what it becomes (targets, warnings, or the
 * problems at their document paths), then create a draft agreement from it.
 */
export function OpenSloImportDialog(props: {
  entityRef: string;
  onClose: () => void;
  onCreated: () => void;
}) {
  const slaApi = useApi(slaApiRef);
  const [yaml, setYaml] = useState('');
  const [draft, setDraft] = useState<OpenSloDraft>();
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  const fail = (error: unknown) => {
    const { message } = describeApiError(error);
    const fields = parseFieldErrors(message);
    setProblems(
      fields.length ? fields.map(f => `${f.field} ${f.message}`) : [message],
    );
  };

  const preview = async () => {
    setBusy(true);
    setDraft(undefined);
    setProblems([]);
    try {
      setDraft(
        await slaApi.previewOpenSlo({ entityRef: props.entityRef, yaml }),
      );
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  };

  const create = async () => {
    if (!draft) return;
    setBusy(true);
    try {
      const { warnings: _warnings, ...fields } = draft;
      await slaApi.createAgreement({
        ...fields,
        entityRef: props.entityRef,
        status: 'draft',
      });
      props.onCreated();
    } catch (error) {
      fail(error);
      setBusy(false);
    }
  };

  return (
    <Dialog
      open
      onClose={busy ? undefined : props.onClose}
      maxWidth="md"
      fullWidth
      scroll="body"
      aria-labelledby="openslo-import-title"
    >
      <DialogTitle id="openslo-import-title">Import OpenSLO</DialogTitle>
      <DialogContent>
        <Typography variant="body2" paragraph>
          Paste OpenSLO v1 documents (SLO, SLI, Service, …; several separated by
          ---). Preview shows the targets they become; Create draft stores them
          as a draft agreement of this entity.
        </Typography>
        <TextField
          id="openslo-yaml"
          label="OpenSLO YAML"
          value={yaml}
          onChange={e => {
            setYaml(e.target.value);
            setDraft(undefined);
          }}
          multiline
          minRows={10}
          maxRows={24}
          fullWidth
          variant="outlined"
          inputProps={{ spellCheck: false, style: { fontFamily: 'monospace' } }}
        />
        {problems.length > 0 && (
          <Box mt={2}>
            <Alert severity="error">
              <Typography variant="body2">
                The YAML cannot be imported:
              </Typography>
              <ul aria-label="Import problems">
                {problems.map(p => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            </Alert>
          </Box>
        )}
        {draft && (
          <Box mt={2} aria-label="Preview">
            <Typography variant="h6" component="h3">
              {draft.title} ({draft.kind})
            </Typography>
            {draft.warnings.map(w => (
              <Box mt={1} key={w}>
                <Alert severity="warning">{w}</Alert>
              </Box>
            ))}
            <Box mt={2}>
              <AgreementTargetsTable targets={draft.targets} />
            </Box>
          </Box>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose} disabled={busy}>
          Cancel
        </Button>
        <Button onClick={preview} disabled={busy || !yaml.trim()}>
          Preview
        </Button>
        <Button
          onClick={create}
          color="primary"
          variant="contained"
          disabled={busy || !draft}
        >
          Create draft
        </Button>
      </DialogActions>
    </Dialog>
  );
}
