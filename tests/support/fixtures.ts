// Request bodies that are valid on their own, for HTTP tests; override fields per test.
export const JENA = '16053000';
export const WEIMAR = '16055000';

export const grantBody = (over: Record<string, unknown> = {}) => ({
  municipality: JENA,
  programme: 'bildung-integriert',
  reference: '01JL1623',
  awardedOn: '2016-08-10',
  periodStart: '2016-09-01',
  periodEnd: '2019-08-31',
  amountCents: 41_280_000,
  fundingRatePercent: 80,
  financingType: 'anteil',
  ownShareCents: 10_320_000,
  ...over,
});

export const positionBody = (grantId: string, over: Record<string, unknown> = {}) => ({
  municipality: JENA,
  programme: 'bildung-integriert',
  grantId,
  title: 'Bildungsmanagement',
  role: 'bildungsmanagement',
  fte: 1,
  payGrade: 'E 13',
  annualCostCents: 8_750_000,
  establishedOn: '2016-09-01',
  ...over,
});
