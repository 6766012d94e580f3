// Impressum, Datenschutz, Barrierefreiheit: the municipality fills in the text through settings;
// until then the page says so instead of inventing anything.
export const LEGAL_PAGES = {
  impressum: { title: 'Impressum', setting: 'LEGAL_IMPRESSUM' },
  datenschutz: { title: 'Datenschutz', setting: 'LEGAL_DATENSCHUTZ' },
  barrierefreiheit: { title: 'Erklärung zur Barrierefreiheit', setting: 'LEGAL_BARRIEREFREIHEIT' },
} as const;

export type LegalPage = keyof typeof LEGAL_PAGES;

/** One legal page: the configured text, paragraph by paragraph, or a placeholder naming the setting. */
export function LegalView({ page, text }: { page: LegalPage; text: string | undefined }) {
  const { title, setting } = LEGAL_PAGES[page];
  return (
    <>
      <h1 class="kern-heading-large">{title}</h1>
      {text ? (
        text.split(/\n\s*\n|\\n\\n/).map((p) => <p class="kern-body">{p}</p>)
      ) : (
        <p class="kern-body">
          Dieser Text ist noch nicht hinterlegt. Die betreibende Stelle trägt ihn in der Einstellung <code>{setting}</code> ein.
        </p>
      )}
    </>
  );
}
