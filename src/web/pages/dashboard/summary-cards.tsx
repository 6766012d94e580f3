// The three cards at the top of the dashboard: positions at high risk, the next budget deadline,
// own funds next budget year if every open decision went "continue".
import { formatDate, formatEuro } from '../../format.js';
import type { Child } from 'hono/jsx';
import type { DashboardData } from './load.js';

/** One KERN card with its heading. */
function Card({ title, children }: { title: string; children: Child }) {
  return (
    <div class="kern-card">
      <div class="kern-card__container">
        <div class="kern-card__body">
          <h2 class="kern-title">{title}</h2>
          {children}
        </div>
      </div>
    </div>
  );
}

/** The summary cards: the answer a Landrat wants first. */
export function SummaryCards({ data }: { data: DashboardData }) {
  const high = data.urgent.filter((r) => r.risk === 'high').length;
  const nextYear = Number(data.query.asOf.slice(0, 4)) + 1;
  return (
    <div class="vst-cards">
      <Card title="Stellen mit hohem Risiko">
        <p class="vst-card-number" data-testid="hohes-risiko">
          {high}
        </p>
        <p class="kern-body vst-no-print">
          <a class="kern-link" href="#handlungsbedarf">
            Zur Liste Handlungsbedarf
          </a>
        </p>
      </Card>
      <Card title="Nächste Haushaltsfrist">
        {data.nextDeadline ? (
          <p class="kern-body kern-body--large">
            Haushaltsfrist {formatDate(data.nextDeadline.date)} — {data.nextDeadline.days === 0 ? 'heute' : `noch ${data.nextDeadline.days} ${data.nextDeadline.days === 1 ? 'Tag' : 'Tage'}`}
          </p>
        ) : (
          <p class="kern-body">Keine offene Entscheidung mit einer kommenden Haushaltsfrist.</p>
        )}
      </Card>
      <Card title={`Eigenmittel ${nextYear}, wenn alles weitergeführt wird`}>
        <p class="vst-card-number">{formatEuro(data.nextYearIfAllContinue)}</p>
        <p class="kern-body kern-body--small">Alle offenen Entscheidungen als Weiterführung aus Eigenmitteln zu 100 %.</p>
      </Card>
    </div>
  );
}
