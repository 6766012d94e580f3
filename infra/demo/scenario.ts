// The demo scenario: a plausible Thuringian history 2016–2024 of the three programmes, recorded
// through the same command handlers as every other write. Amounts, rates and resolution numbers are
// demo values (DOMAIN.md marks the Thuringian funding rates as unverified). People appear only as
// pseudonymous references. Two ThILIK grants of the current ESF Plus period end relative to today,
// so the continuation-risk view shows every level on whatever day the demo is started.
import { DateTime } from 'luxon';
import {
  AmendGrantBody,
  AwardGrantBody,
  DecideContinuationBody,
  RegisterProgrammeBody,
  EstablishPositionBody,
  StaffPositionBody,
  type AwardGrantInput,
} from '../../schemas/index.js';
import {
  abolishPosition,
  amendGrant,
  awardGrant,
  closeGrant,
  decideContinuation,
  drawFunds,
  establishPosition,
  registerProgramme,
  staffPosition,
  submitProofOfUse,
  vacatePosition,
  type CommandContext,
} from '../../src/commands/index.js';
import type { Clock } from '../../src/clock.js';

const AGS = {
  erfurt: '16051000',
  jena: '16053000',
  weimar: '16055000',
  eisenach: '16056000',
  eichsfeld: '16061000',
  nordhausen: '16062000',
  wartburgkreis: '16063000',
  kyffhaeuserkreis: '16065000',
  soemmerda: '16068000',
  ilmKreis: '16070000',
  weimarerLand: '16071000',
  altenburgerLand: '16077000',
} as const;

const euro = (amount: number) => Math.round(amount * 100);

interface GrantPlan {
  award: AwardGrantInput;
  extendTo?: { amendedOn: string; periodEnd: string; amountCents?: number; reason: string };
  /** Drawdowns every `everyMonths` months from the period start, each this share of the amount. */
  drawEveryMonths?: number;
  interimProofs?: boolean;
  final?: { submittedOn: string; closedOn?: string };
}

/** Records the demo history; returns the number of commands recorded. */
export async function recordDemo(ctx: CommandContext, clock: Clock): Promise<number> {
  const demo: CommandContext = { ...ctx, actor: ctx.actor ?? { sub: 'demo-kaemmerei', role: 'finance' } };
  let commands = 0;
  const today = DateTime.fromISO(clock.today(), { zone: 'utc' });

  async function grant(plan: GrantPlan): Promise<string> {
    const { id } = await awardGrant(demo, AwardGrantBody.parse(plan.award));
    commands++;
    const end = plan.extendTo?.periodEnd ?? plan.award.periodEnd;
    if (plan.extendTo) {
      await amendGrant(demo, id, AmendGrantBody.parse(plan.extendTo));
      commands++;
    }
    const amount = plan.extendTo?.amountCents ?? plan.award.amountCents;
    if (plan.drawEveryMonths) {
      const start = DateTime.fromISO(plan.award.periodStart, { zone: 'utc' });
      const last = DateTime.fromISO(end, { zone: 'utc' });
      const limit = DateTime.min(last, today);
      const dates: string[] = [];
      for (let d = start; d <= limit; d = d.plus({ months: plan.drawEveryMonths })) dates.push(d.toISODate()!);
      const totalMonths = Math.max(1, Math.round(last.diff(start, 'months').months));
      const slice = Math.floor((amount * plan.drawEveryMonths) / totalMonths);
      let drawn = 0;
      for (const drawnOn of dates) {
        const amountCents = Math.min(slice, amount - drawn);
        if (amountCents <= 0) break;
        await drawFunds(demo, id, { drawnOn, amountCents });
        drawn += amountCents;
        commands++;
      }
    }
    if (plan.interimProofs) {
      const startYear = Number(plan.award.periodStart.slice(0, 4));
      const endYear = Number(end.slice(0, 4));
      // Zwischennachweis by 30 April for the previous year (federal practice, DOMAIN.md).
      for (let year = startYear + 1; year <= endYear && `${year}-04-28` <= clock.today(); year++) {
        await submitProofOfUse(demo, id, { submittedOn: `${year}-04-28`, kind: 'interim' });
        commands++;
      }
    }
    if (plan.final) {
      await submitProofOfUse(demo, id, { submittedOn: plan.final.submittedOn, kind: 'final' });
      commands++;
      if (plan.final.closedOn) {
        await closeGrant(demo, id, { closedOn: plan.final.closedOn });
        commands++;
      }
    }
    return id;
  }

  async function position(body: Parameters<typeof EstablishPositionBody.parse>[0], staff: Array<Parameters<typeof StaffPositionBody.parse>[0]>) {
    const { id } = await establishPosition(demo, EstablishPositionBody.parse(body));
    commands++;
    for (const s of staff) {
      await staffPosition(demo, id, StaffPositionBody.parse(s));
      commands++;
    }
    return id;
  }

  async function decide(id: string, body: Parameters<typeof DecideContinuationBody.parse>[0]) {
    await decideContinuation(demo, id, DecideContinuationBody.parse(body));
    commands++;
  }

  // ------------------------------------------------------------ Bildung integriert (BMBF, ESF)
  // Eisenach: Förderkennzeichen 01JL1685, 01.01.2017–31.12.2019, 1.0 + 0.5 VZÄ, extended to 30.06.2021.
  const eisenachGrant = await grant({
    award: {
      municipality: AGS.eisenach, programme: 'bildung-integriert', reference: '01JL1685', awardedOn: '2016-12-12',
      periodStart: '2017-01-01', periodEnd: '2019-12-31', amountCents: euro(306_000), fundingRatePercent: 80,
      financingType: 'anteil', ownShareCents: euro(76_500),
    },
    extendTo: { amendedOn: '2019-10-02', periodEnd: '2021-06-30', amountCents: euro(459_000), reason: 'Verlängerung um 18 Monate (Änderungsbescheid)' },
    drawEveryMonths: 6, interimProofs: true, final: { submittedOn: '2021-12-20', closedOn: '2022-05-16' },
  });
  const eaManagement = await position(
    { municipality: AGS.eisenach, programme: 'bildung-integriert', grantId: eisenachGrant, title: 'Bildungsmanagement', role: 'bildungsmanagement', fte: 1, payGrade: 'E 13', annualCostCents: euro(86_000), establishedOn: '2017-01-01' },
    [{ personRef: 'P-EA-0001', startsOn: '2017-02-01', fte: 1 }],
  );
  await decide(eaManagement, { decision: 'own-funds', effectiveFrom: '2021-07-01', decidedBy: 'council', resolutionRef: 'SR-BV/0457/2020', decidedOn: '2020-11-26' });
  const eaMonitoring = await position(
    { municipality: AGS.eisenach, programme: 'bildung-integriert', grantId: eisenachGrant, title: 'Bildungsmonitoring', role: 'bildungsmonitoring', fte: 0.5, payGrade: 'E 13', annualCostCents: euro(86_000), establishedOn: '2017-01-01' },
    [{ personRef: 'P-EA-0002', startsOn: '2017-04-01', endsOn: '2021-06-30', fte: 0.5 }],
  );
  await decide(eaMonitoring, { decision: 'discontinue', effectiveFrom: '2021-07-01', decidedBy: 'council', resolutionRef: 'SR-BV/0458/2020', decidedOn: '2020-11-26' });

  // Jena: 01.09.2016–31.08.2019, extended to 30.06.2021; management continued, monitoring in part.
  const jenaGrant = await grant({
    award: {
      municipality: AGS.jena, programme: 'bildung-integriert', reference: '01JL1623', awardedOn: '2016-08-10',
      periodStart: '2016-09-01', periodEnd: '2019-08-31', amountCents: euro(412_800), fundingRatePercent: 80,
      financingType: 'anteil', ownShareCents: euro(103_200),
    },
    extendTo: { amendedOn: '2019-06-14', periodEnd: '2021-06-30', amountCents: euro(636_400), reason: 'Verlängerung bis zum Programmende' },
    drawEveryMonths: 6, interimProofs: true, final: { submittedOn: '2021-12-15', closedOn: '2022-04-04' },
  });
  const jenaManagement = await position(
    { municipality: AGS.jena, programme: 'bildung-integriert', grantId: jenaGrant, title: 'Bildungsmanagement', role: 'bildungsmanagement', fte: 1, payGrade: 'E 13', annualCostCents: euro(87_500), establishedOn: '2016-09-01' },
    [{ personRef: 'P-J-0001', startsOn: '2016-10-01', endsOn: '2019-03-31', fte: 1 }, { personRef: 'P-J-0003', startsOn: '2019-05-01', fte: 1 }],
  );
  await decide(jenaManagement, { decision: 'own-funds', effectiveFrom: '2021-07-01', decidedBy: 'council', resolutionRef: 'StR 20/0612-BV', decidedOn: '2020-10-21' });
  const jenaMonitoring = await position(
    { municipality: AGS.jena, programme: 'bildung-integriert', grantId: jenaGrant, title: 'Bildungsmonitoring', role: 'bildungsmonitoring', fte: 1, payGrade: 'E 12', annualCostCents: euro(82_000), establishedOn: '2016-09-01' },
    [{ personRef: 'P-J-0002', startsOn: '2016-11-01', fte: 1 }],
  );
  await decide(jenaMonitoring, { decision: 'partial', effectiveFrom: '2021-07-01', ownFundsSharePercent: 50, decidedBy: 'council', resolutionRef: 'StR 20/0613-BV', decidedOn: '2020-10-21' });

  // Nordhausen: continued through the successor programme (Bildungskommunen, ESF Plus).
  const ndhBiGrant = await grant({
    award: {
      municipality: AGS.nordhausen, programme: 'bildung-integriert', reference: '01JL1641', awardedOn: '2016-10-05',
      periodStart: '2016-11-01', periodEnd: '2019-10-31', amountCents: euro(258_000), fundingRatePercent: 80,
      financingType: 'anteil', ownShareCents: euro(64_500),
    },
    extendTo: { amendedOn: '2019-08-30', periodEnd: '2021-06-30', amountCents: euro(395_000), reason: 'Verlängerung (Änderungsbescheid)' },
    drawEveryMonths: 6, interimProofs: true, final: { submittedOn: '2021-12-22' },
  });
  const ndhManagement = await position(
    { municipality: AGS.nordhausen, programme: 'bildung-integriert', grantId: ndhBiGrant, title: 'Bildungsmanagement', role: 'bildungsmanagement', fte: 1, payGrade: 'E 13', annualCostCents: euro(85_000), establishedOn: '2016-11-01' },
    [{ personRef: 'P-NDH-0001', startsOn: '2016-12-01', fte: 1 }],
  );
  // The follow-up period is a demo value (the successor programme's four years, unverified).
  await decide(ndhManagement, {
    decision: 'follow-up-funding', effectiveFrom: '2021-07-01', followUpEndsOn: '2025-06-30', ownFundsSharePercent: 40,
    decidedBy: 'council', resolutionRef: 'KT 112/2021', decidedOn: '2021-03-24',
  });

  // Sömmerda: monitoring continued from own funds, but only from 1 October 2021 — a gap.
  const soemmerdaGrant = await grant({
    award: {
      municipality: AGS.soemmerda, programme: 'bildung-integriert', reference: '01JL1702', awardedOn: '2017-02-03',
      periodStart: '2017-03-01', periodEnd: '2020-02-29', amountCents: euro(198_000), fundingRatePercent: 80,
      financingType: 'anteil', ownShareCents: euro(49_500),
    },
    extendTo: { amendedOn: '2019-12-09', periodEnd: '2021-06-30', amountCents: euro(290_400), reason: 'Verlängerung (Änderungsbescheid)' },
    drawEveryMonths: 6, interimProofs: true, final: { submittedOn: '2021-12-28', closedOn: '2022-06-30' },
  });
  const soemmerdaMonitoring = await position(
    { municipality: AGS.soemmerda, programme: 'bildung-integriert', grantId: soemmerdaGrant, title: 'Bildungsmonitoring', role: 'bildungsmonitoring', fte: 1, payGrade: 'E 12', annualCostCents: euro(81_000), establishedOn: '2017-03-01' },
    [{ personRef: 'P-SOEM-0001', startsOn: '2017-04-01', endsOn: '2021-06-30', fte: 1 }, { personRef: 'P-SOEM-0002', startsOn: '2021-10-01', fte: 1 }],
  );
  await decide(soemmerdaMonitoring, { decision: 'own-funds', effectiveFrom: '2021-10-01', decidedBy: 'council', resolutionRef: 'KT 57/2021', decidedOn: '2021-06-30' });

  // ------------------------------------------------------------ Neuzugewanderte (BMBF, 100 %)
  const ndhNzGrant = await grant({
    award: {
      municipality: AGS.nordhausen, programme: 'neuzugewanderte', reference: '01NZ1612', awardedOn: '2016-08-22',
      periodStart: '2016-09-01', periodEnd: '2018-08-31', amountCents: euro(304_000), fundingRatePercent: 100,
      financingType: 'voll', ownShareCents: 0,
    },
    extendTo: { amendedOn: '2018-03-12', periodEnd: '2020-08-31', amountCents: euro(608_000), reason: 'Verlängerung um zwei Jahre (Antrag November 2017)' },
    drawEveryMonths: 3, interimProofs: true, final: { submittedOn: '2021-02-26', closedOn: '2021-07-15' },
  });
  const ndhCoord1 = await position(
    { municipality: AGS.nordhausen, programme: 'neuzugewanderte', grantId: ndhNzGrant, title: 'Bildungskoordination für Neuzugewanderte', role: 'bildungskoordination', fte: 1, payGrade: 'E 11', annualCostCents: euro(76_000), establishedOn: '2016-09-01' },
    [{ personRef: 'P-NDH-0101', startsOn: '2016-10-01', fte: 1 }],
  );
  await decide(ndhCoord1, { decision: 'own-funds', effectiveFrom: '2020-09-01', decidedBy: 'council', resolutionRef: 'KT 48/2020', decidedOn: '2020-05-27' });
  const ndhCoord2 = await position(
    { municipality: AGS.nordhausen, programme: 'neuzugewanderte', grantId: ndhNzGrant, title: 'Bildungskoordination für Neuzugewanderte', role: 'bildungskoordination', fte: 1, payGrade: 'E 11', annualCostCents: euro(76_000), establishedOn: '2016-09-01' },
    [{ personRef: 'P-NDH-0102', startsOn: '2016-11-01', fte: 1 }],
  );
  await vacatePosition(demo, ndhCoord2, { vacatedOn: '2019-06-30', reason: 'Kündigung durch die Beschäftigte' });
  await abolishPosition(demo, ndhCoord2, { abolishedOn: '2020-09-01', reason: 'kw-Vermerk: entfällt mit Förderende' });
  commands += 2;

  // Weimar: extended, then nothing decided — the position still exists after funding ended.
  const weimarGrant = await grant({
    award: {
      municipality: AGS.weimar, programme: 'neuzugewanderte', reference: '01NZ1655', awardedOn: '2016-09-19',
      periodStart: '2016-10-01', periodEnd: '2018-09-30', amountCents: euro(152_000), fundingRatePercent: 100,
      financingType: 'voll', ownShareCents: 0,
    },
    extendTo: { amendedOn: '2018-05-02', periodEnd: '2020-09-30', reason: 'kostenneutrale Verlängerung' },
    drawEveryMonths: 3, interimProofs: true,
  });
  await position(
    { municipality: AGS.weimar, programme: 'neuzugewanderte', grantId: weimarGrant, title: 'Bildungskoordination für Neuzugewanderte', role: 'bildungskoordination', fte: 1, payGrade: 'E 11', annualCostCents: euro(75_500), establishedOn: '2016-10-01' },
    [{ personRef: 'P-WE-0001', startsOn: '2016-11-15', fte: 1 }],
  );

  // ------------------------------------------------------------ ThILIK (Land Thüringen)
  // Kyffhäuserkreis: ESF period 2016–2021, integration management continued from own funds.
  const kyfGrant = await grant({
    award: {
      municipality: AGS.kyffhaeuserkreis, programme: 'thilik', reference: 'ThILIK-2016-07', awardedOn: '2016-05-20',
      periodStart: '2016-06-01', periodEnd: '2017-12-31', amountCents: euro(98_000), fundingRatePercent: 100,
      financingType: 'fehlbedarf', ownShareCents: 0, spendWithinDays: 60,
    },
    extendTo: { amendedOn: '2017-11-08', periodEnd: '2021-12-31', amountCents: euro(380_000), reason: 'Weiterförderung 2018–2021' },
    drawEveryMonths: 3, final: { submittedOn: '2022-06-24' },
  });
  const kyfManager = await position(
    { municipality: AGS.kyffhaeuserkreis, programme: 'thilik', grantId: kyfGrant, title: 'Integrationsmanagement', role: 'integrationsmanagement', fte: 1, payGrade: 'E 10', annualCostCents: euro(72_000), establishedOn: '2016-06-01' },
    [{ personRef: 'P-KYF-0001', startsOn: '2016-07-01', fte: 1 }],
  );
  await decide(kyfManager, { decision: 'own-funds', effectiveFrom: '2022-01-01', decidedBy: 'council', resolutionRef: 'KT-Beschl. 2021/089', decidedOn: '2021-09-29' });

  // Ilm-Kreis: 100 % Land, contract first limited to 31.12.2017; today under ESF Plus, ending soon.
  const endsSoon = today.plus({ months: 4 }).endOf('month').toISODate()!;
  const ilmGrant = await grant({
    award: {
      municipality: AGS.ilmKreis, programme: 'thilik', reference: 'SSR-2022-IK-01', awardedOn: '2021-12-10',
      periodStart: '2022-01-01', periodEnd: endsSoon, amountCents: euro(76_000 * 5), fundingRatePercent: 100,
      financingType: 'voll', ownShareCents: 0, spendWithinDays: 60,
    },
    drawEveryMonths: 6, interimProofs: true,
  });
  await position(
    { municipality: AGS.ilmKreis, programme: 'thilik', grantId: ilmGrant, title: 'Lokales Integrationsmanagement', role: 'integrationsmanagement', fte: 1, payGrade: 'E 10', annualCostCents: euro(73_000), establishedOn: '2022-01-01' },
    [{ personRef: 'P-IK-0001', startsOn: '2022-01-01', endsOn: endsSoon, fte: 1 }],
  );

  // Altenburger Land: ESF Plus grant with more than a year to run — no decision needed yet.
  const endsLater = today.plus({ years: 2 }).endOf('year').toISODate()!;
  const ablGrant = await grant({
    award: {
      municipality: AGS.altenburgerLand, programme: 'thilik', reference: 'SSR-2023-ABG-02', awardedOn: '2022-12-14',
      periodStart: '2023-01-01', periodEnd: endsLater, amountCents: euro(70_000 * 6), fundingRatePercent: 90,
      financingType: 'anteil', ownShareCents: euro(46_700), spendWithinDays: 60,
    },
    drawEveryMonths: 6, interimProofs: true,
  });
  await position(
    { municipality: AGS.altenburgerLand, programme: 'thilik', grantId: ablGrant, title: 'Lokales Integrationsmanagement', role: 'integrationsmanagement', fte: 0.75, payGrade: 'E 10', annualCostCents: euro(72_500), establishedOn: '2023-01-01' },
    [{ personRef: 'P-ABG-0001', startsOn: '2023-02-01', fte: 0.75 }],
  );

  // ------------------------------------------------------------ Bildungskommunen (BMBF, ESF Plus)
  // The successor of "Bildung integriert", registered by an administrator. Facts seen in Eisenach:
  // ESF Plus, 4 years, 60 % Anteilfinanzierung. Unverified: the guideline's exact title and date,
  // the programme's first and last possible day (taken as 01.01.2022 and 31.12.2028).
  await registerProgramme(
    { ...ctx, actor: { sub: 'demo-admin', role: 'admin' } },
    RegisterProgrammeBody.parse({
      code: 'bildungskommunen',
      name: 'Bildungskommunen',
      funderKind: 'bund',
      funderName: 'BMBF (ESF Plus)',
      legalBasis: 'Förderrichtlinie „Bildungskommunen“ im ESF Plus (Titel und Datum unbestätigt)',
      startsOn: '2022-01-01',
      endsOn: '2028-12-31',
      fundedRoles: ['bildungsmanagement', 'bildungsmonitoring'],
      grantDefaults: { financingType: 'anteil', fundingRatePercent: 60 },
    }),
  );
  commands++;
  // Wartburgkreis (with Eisenach since 01.07.2021): 4 years from 2023, one E 13 post; 60 % of
  // 4 × 86.000 € = 344.000 € eligible → 206.400 € grant, 137.600 € own share (= 206.400 × 40/60).
  const kommunenEnd = '2026-12-31';
  const kommunenGrant = await grant({
    award: {
      municipality: AGS.wartburgkreis, programme: 'bildungskommunen', reference: '01JL2302', awardedOn: '2022-11-28',
      periodStart: '2023-01-01', periodEnd: kommunenEnd, amountCents: euro(206_400), ownShareCents: euro(137_600),
    },
    drawEveryMonths: 6, interimProofs: true,
  });
  await position(
    { municipality: AGS.wartburgkreis, programme: 'bildungskommunen', grantId: kommunenGrant, title: 'Bildungsmanagement (Bildungskommunen)', role: 'bildungsmanagement', fte: 1, payGrade: 'E 13', annualCostCents: euro(86_000), establishedOn: '2023-01-01' },
    [{ personRef: 'P-WAK-0101', startsOn: '2023-01-01', endsOn: kommunenEnd, fte: 1 }],
  );

  return commands;
}
