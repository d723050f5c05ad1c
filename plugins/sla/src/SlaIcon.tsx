import AssessmentIcon from '@material-ui/icons/Assessment';

/**
 * The plugin's icon, as in the new frontend system's nav item; exported so
 * that hosts that wire plugins by configuration (Red Hat Developer Hub's
 * `appIcons`) can show the same icon beside "Service levels".
 * @public
 */
export const SlaIcon = AssessmentIcon;
