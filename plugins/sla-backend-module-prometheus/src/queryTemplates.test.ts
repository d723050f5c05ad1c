import {
  escapeStringContent,
  parseQueryTemplate,
  quoteRegex,
  renderQueryTemplate,
  TemplateValues,
} from './queryTemplates';

const values: TemplateValues = {
  entityRef: 'component:shop/checkout',
  annotations: { 'prometheus.io/job': 'checkout-api' },
  parameters: { code: '200' },
  rangeSeconds: 60,
};

function render(template: string, overrides: Partial<TemplateValues> = {}) {
  return renderQueryTemplate(parseQueryTemplate(template), {
    ...values,
    ...overrides,
  });
}

describe('query templates', () => {
  it('fills annotations, parameters, entity parts and the range', () => {
    expect(
      render(
        'sum(increase(http_requests_total{job="{{ annotation "prometheus.io/job" }}", code=\'{{param "code"}}\', ns="{{ entity "namespace" }}", svc="{{ entity "name" }}"}[{{ range }}]))',
      ),
    ).toBe(
      'sum(increase(http_requests_total{job="checkout-api", code=\'200\', ns="shop", svc="checkout"}[60s]))',
    );
  });

  it('leaves a template without placeholders as written', () => {
    const text = 'sum(rate(x{a="b\\"c"}[5m])) # a comment with "quotes"';
    expect(render(text)).toBe(text);
  });

  it.each([
    ['a value outside a string', 'up{job={{ annotation "job" }}}'],
    ['a value in a raw string', 'up{job=`{{ annotation "job" }}`}'],
    ['a value in a comment', 'up # {{ annotation "job" }}'],
    ['the range inside a string', 'up{job="{{ range }}"}'],
    ['an unknown placeholder', 'up{job="{{ env "HOME" }}"}'],
    ['an unknown entity part', 'up{job="{{ entity "owner" }}"}'],
    ['an unterminated string', 'up{job="{{ annotation "job" }}}'],
  ])('refuses %s', (_, template) => {
    expect(() => parseQueryTemplate(template)).toThrow();
  });

  it('names what is missing', () => {
    expect(() =>
      render('up{job="{{ annotation "prometheus.io/service" }}"}'),
    ).toThrow(
      `the entity's annotation "prometheus.io/service" is missing or empty`,
    );
    expect(() => render('up{job="{{ param "job" }}"}')).toThrow(
      `the target's parameter "job" (source.parameters.job) is missing or empty`,
    );
    // An empty label value would select every series without the label.
    expect(() =>
      render('up{job="{{ param "code" }}"}', { parameters: { code: ' ' } }),
    ).toThrow('is missing or empty');
  });

  describe('values that try to break out of their string', () => {
    const template = 'sum(up{job="{{ annotation "job" }}"})';
    it.each([
      ['a closing quote and a new matcher', 'x", job=~".*'],
      ['a closing brace and another query', 'x"}) or vector(1) #'],
      ['a backslash before the closing quote', 'x\\'],
      ['a line break', 'x\n"}) or up{a="'],
    ])('keeps %s inside the string', (_, value) => {
      const query = render(template, { annotations: { job: value } });
      // The only unescaped quotes are the template's own two.
      const stripped = query.replace(/\\./g, '');
      expect(stripped.match(/"/g)).toHaveLength(2);
      expect(query.startsWith('sum(up{job="')).toBe(true);
      expect(query.endsWith('"})')).toBe(true);
      expect(query).not.toContain('\n');
    });

    it('escapes exactly as PromQL unquotes', () => {
      expect(escapeStringContent('a"b\\c\nd\'e', '"')).toBe(
        'a\\"b\\\\c\\x0ad\'e',
      );
      expect(escapeStringContent('a"b\'c', "'")).toBe('a"b\\\'c');
    });

    it('quotes regular expression metacharacters in =~ and !~ matchers', () => {
      expect(quoteRegex('a.b|c*')).toBe('a\\.b\\|c\\*');
      expect(
        render(
          'up{job=~"{{ annotation "job" }}", x!~ \'{{ param "code" }}\'}',
          {
            annotations: { job: '.*|payments' },
            parameters: { code: '5..' },
          },
        ),
      ).toBe('up{job=~"\\\\.\\\\*\\\\|payments", x!~ \'5\\\\.\\\\.\'}');
      // A plain matcher keeps the dot as it is.
      expect(
        render('up{job="{{ param "code" }}"}', { parameters: { code: '5..' } }),
      ).toBe('up{job="5.."}');
    });
  });
});
