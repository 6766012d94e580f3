// German formatting of money and dates for the messages of rule violations. Written by hand
// rather than with Intl so the output does not depend on the ICU data of the runtime.

/** Cents as German euros: 1200000 → "12.000,00 €" (dot thousands, comma decimals, plain space). */
export function formatEuro(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(cents));
  const euros = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  const rest = (abs % 100).toString().padStart(2, '0');
  return `${sign}${euros},${rest} €`;
}

/** A business date `YYYY-MM-DD` as German "TT.MM.JJJJ": "2019-12-31" → "31.12.2019". */
export function formatDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-');
  return `${d}.${m}.${y}`;
}

/** VZÄ with a German decimal comma: 0.5 → "0,5". */
export function formatFte(fte: number): string {
  return String(Math.round(fte * 100) / 100).replace('.', ',');
}
