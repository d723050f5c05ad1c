import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  BoundSource,
  DependencyBound,
  formatPercent,
} from '@opensla/backstage-plugin-sla-common';

/** How each source of a bound reads to a person. */
export const SOURCE_LABELS: Record<BoundSource, string> = {
  agreed: 'agreed',
  unagreed: 'no agreement: from its own dependencies',
  missing: 'missing agreement',
};

/** The dependencies without an agreement of their own that nothing else bounds (leaves). */
export function missingDependencies(tree: DependencyBound[]): string[] {
  const found = new Set<string>();
  const walk = (nodes: DependencyBound[]) => {
    for (const node of nodes) {
      if (node.source === 'missing') found.add(node.entityRef);
      if (node.children) walk(node.children);
    }
  };
  walk(tree);
  return [...found];
}

/**
 * The dependency tree: each dependency with its bound and where the bound
 * comes from; unagreed ones open into their own dependencies; the weakest
 * link is marked.
 */
export function DependencyTree(props: {
  dependencies: DependencyBound[];
  weakestLink?: string;
  depth?: number;
}) {
  const { dependencies, weakestLink, depth = 0 } = props;
  return (
    <Box component="ul" pl={depth ? 3 : 0} m={0} style={{ listStyle: 'none' }}>
      {dependencies.map(d => {
        const weakest = depth === 0 && d.entityRef === weakestLink;
        return (
          <Box component="li" key={d.entityRef} py={0.5}>
            <Box display="flex" alignItems="center" flexWrap="wrap">
              <Typography
                variant="body2"
                component="span"
                style={{ fontWeight: weakest ? 700 : undefined }}
              >
                <EntityRefLink entityRef={d.entityRef} />
                {d.restricted || d.bound === undefined || !d.source
                  ? `: restricted (you may not read its agreements${
                      d.group ? `; redundancy group ${d.group}` : ''
                    })`
                  : `: ${formatPercent(d.bound)} % (${SOURCE_LABELS[d.source]}${
                      d.group ? `, redundancy group ${d.group}` : ''
                    }${d.repeated ? ', shown above' : ''})`}
              </Typography>
              {weakest && (
                <Box ml={1} component="span">
                  <Chip size="small" color="secondary" label="Weakest link" />
                </Box>
              )}
            </Box>
            {d.children && d.children.length > 0 && (
              <DependencyTree dependencies={d.children} depth={depth + 1} />
            )}
          </Box>
        );
      })}
    </Box>
  );
}
