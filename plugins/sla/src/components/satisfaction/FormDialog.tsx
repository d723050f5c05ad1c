import { ReactNode, useId } from 'react';
import { useApiForm } from '../../form/useApiForm';
import { FormDialogShell } from '../FormDialogShell';

/** The satisfaction forms have no per-field inputs to place messages at. */
const NO_FIELDS: string[] = [];

/**
 * A dialog with a form and one action: runs `onSubmit`, shows the backend's
 * message when it fails (it names the field) and keeps the form open. The
 * plugin's shared dialog frame (FormDialogShell) with the save states of
 * useApiForm.
 */
export function FormDialog(props: {
  title: string;
  submitLabel: string;
  onSubmit: () => Promise<void>;
  onClose: () => void;
  children: ReactNode;
}) {
  const idPrefix = `sla-form${useId().replace(/:/g, '')}`;
  const form = useApiForm(NO_FIELDS);
  return (
    <FormDialogShell
      idPrefix={idPrefix}
      title={props.title}
      form={form}
      submitLabel={props.submitLabel}
      onSubmit={() => form.run(props.onSubmit)}
      onClose={props.onClose}
      maxWidth="sm"
    >
      {props.children}
    </FormDialogShell>
  );
}
