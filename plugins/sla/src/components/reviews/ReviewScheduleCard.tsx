import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { InfoCard, Table, TableColumn } from '@backstage/core-components';
import {
  Agreement,
  ReviewSchedule,
} from '@opensla/backstage-plugin-sla-common';
import { formatDate } from '../../lib/formatDates';
import { AgreementStatusChip } from '../AgreementStatusChip';
import { DueIndicator } from './DueIndicator';

type Row = { agreement: Agreement; schedule?: ReviewSchedule };

/** Whether a review can be recorded for an agreement (not final). */
export const isReviewable = (agreement: Agreement) =>
  agreement.status !== 'withdrawn';

/**
 * The review schedule of each agreement of the entity: when the last review
 * was held, when the next service review and the next review of the
 * agreement itself are due (overdue shown as an error), the intervals in
 * plain words and how many reviews are open. Owners record reviews here.
 */
export function ReviewScheduleCard(props: {
  agreements: Agreement[];
  schedules: ReviewSchedule[];
  now: number;
  canRecord: boolean;
  onRecord: (agreement: Agreement) => void;
}) {
  const { now, canRecord, onRecord } = props;
  const rows: Row[] = props.agreements.map(agreement => ({
    agreement,
    schedule: props.schedules.find(s => s.agreementId === agreement.id),
  }));
  const columns: TableColumn<Row>[] = [
    {
      title: 'Agreement',
      highlight: true,
      render: ({ agreement }) => (
        <>
          <Typography variant="body2" component="div">
            <strong>{agreement.title}</strong>
          </Typography>
          <Typography variant="caption" component="div">
            {agreement.kind}{' '}
            <AgreementStatusChip status={agreement.status} />
          </Typography>
        </>
      ),
    },
    {
      title: 'Last review',
      render: ({ schedule }) =>
        schedule?.lastReviewAt ? formatDate(schedule.lastReviewAt) : 'None yet',
    },
    {
      title: 'Next service review',
      render: ({ agreement, schedule }) => (
        <DueIndicator
          label={`Next service review of ${agreement.title}`}
          due={schedule?.nextServiceReviewDue}
          interval={schedule?.serviceReviewInterval ?? 'P1M'}
          now={now}
        />
      ),
    },
    {
      title: 'Next agreement review',
      render: ({ agreement, schedule }) => (
        <DueIndicator
          label={`Next agreement review of ${agreement.title}`}
          due={schedule?.nextAgreementReviewDue}
          interval={agreement.reviewInterval ?? 'P1Y'}
          now={now}
        />
      ),
    },
    {
      title: 'Open reviews',
      render: ({ schedule }) => String(schedule?.openReviews ?? 0),
    },
  ];
  if (canRecord) {
    columns.push({
      title: '',
      render: ({ agreement }) =>
        isReviewable(agreement) ? (
          <Button
            variant="outlined"
            color="primary"
            size="small"
            onClick={() => onRecord(agreement)}
            aria-label={`Record review of ${agreement.title}`}
          >
            Record review
          </Button>
        ) : null,
    });
  }
  return (
    <InfoCard
      title="Review schedule"
      subheader="Service performance is reviewed with the customer monthly to quarterly; the agreement itself at least yearly."
      noPadding
    >
      <Table<Row>
        columns={columns}
        data={rows}
        options={{
          paging: false,
          search: false,
          toolbar: false,
          padding: 'dense',
          sorting: false,
        }}
      />
    </InfoCard>
  );
}
