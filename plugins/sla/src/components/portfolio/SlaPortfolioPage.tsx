import { Content, Header, Page } from '@backstage/core-components';
import { PortfolioContent } from './PortfolioContent';

/**
 * The portfolio as a page of its own, with Backstage's header: what the
 * legacy export `SlaPortfolioPage` renders at `/sla`.
 */
export function SlaPortfolioPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Service levels"
        subtitle="Every service with agreements, and how the practice is doing"
      />
      <Content>
        <PortfolioContent />
      </Content>
    </Page>
  );
}
