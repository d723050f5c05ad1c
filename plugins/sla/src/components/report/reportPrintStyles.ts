import { makeStyles } from '@material-ui/core/styles';

/** Class names the print stylesheet keys on (stable, not generated). */
export const PRINT_ROOT = 'sla-report';
export const NO_PRINT = 'sla-report-no-print';
export const AGREEMENT_SECTION = 'sla-report-agreement';

/**
 * The print stylesheet of the service report, so that the browser's "Save
 * as PDF" gives a clean document: Backstage's sidebar, the entity page's
 * tabs and every button are hidden; the scroll containers around the report
 * (Backstage's page is a 100vh scroll box) are opened so nothing is clipped
 * to one screen; tables may break between rows, not inside one; each
 * agreement after the first starts a new page. Keyed on the sidebar's
 * aria-label, MUI's global class names and Backstage UI's `bui-` class
 * names (the entity page's tabs), which production builds keep.
 */
export const usePrintStyles = makeStyles({
  '@global': {
    '@media print': {
      'nav[aria-label="sidebar nav"], .MuiTabs-root, [role="tablist"], [class*="bui-HeaderNav"], button, .sla-report-no-print':
        { display: 'none !important' },
      ':has(> nav[aria-label="sidebar nav"])': {
        paddingLeft: '0 !important',
      },
      'html, body, #root, :has(.sla-report)': {
        height: 'auto !important',
        minHeight: '0 !important',
        overflow: 'visible !important',
        position: 'static !important',
      },
      '.sla-report, .sla-report *': {
        overflow: 'visible !important',
        maxHeight: 'none !important',
      },
      '.sla-report table': {
        width: '100% !important',
        minWidth: '0 !important',
      },
      '.sla-report tr, .sla-report figure': { breakInside: 'avoid' },
      '.sla-report-agreement + .sla-report-agreement': {
        breakBefore: 'page',
      },
      '.sla-report .MuiPaper-root': { boxShadow: 'none !important' },
    },
  },
});
