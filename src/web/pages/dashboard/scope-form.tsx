// The dashboard's choice of municipality (a switcher when several) and Stand date: a GET form
// in KERN's form pattern (label, hint, error text tied by aria-describedby).
import type { DashboardQuery } from './load.js';
import { municipalityName } from '../../words.js';

/** An invalid input the person gave on the dashboard: shown beside the field and in a summary. */
export interface DashboardFieldError {
  field: 'stand' | 'kommune';
  message: string;
}

/** The form choosing municipality and Stand. */
export function ScopeForm(props: { query: DashboardQuery; switcher: string[] | undefined; allLabel: string; fieldError: DashboardFieldError | undefined; enteredStand: string }) {
  const { query, switcher, allLabel, fieldError, enteredStand } = props;
  return (
    <form method="get" action="/" class="vst-filters vst-no-print" aria-label="Kommune und Stand wählen">
      {switcher ? (
        <div class={`kern-form-input${fieldError?.field === 'kommune' ? ' kern-form-input--error' : ''}`}>
          <label class="kern-label" for="kommune">
            Kommune
          </label>
          <div class="kern-form-input__select-wrapper">
            <select class="kern-form-input__select" id="kommune" name="kommune">
              <option value="" selected={!query.municipality}>
                {allLabel}
              </option>
              {switcher.map((agsCode) => (
                <option value={agsCode} selected={query.municipality === agsCode}>
                  {municipalityName(agsCode)}
                </option>
              ))}
            </select>
          </div>
        </div>
      ) : null}
      <div class={`kern-form-input${fieldError?.field === 'stand' ? ' kern-form-input--error' : ''}`}>
        <label class="kern-label" for="stand">
          Stand
        </label>
        <div class="kern-hint" id="stand-hinweis">
          Tag, für den Fristen und Risiken berechnet werden
        </div>
        {fieldError?.field === 'stand' ? (
          <p class="kern-error" id="stand-fehler" role="alert">
            <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true"></span>
            <span class="kern-body">{fieldError.message}</span>
          </p>
        ) : null}
        <input
          class={`kern-form-input__input${fieldError?.field === 'stand' ? ' kern-form-input__input--error' : ''}`}
          type="date"
          id="stand"
          name="stand"
          value={fieldError?.field === 'stand' ? enteredStand : query.asOf}
          aria-describedby={fieldError?.field === 'stand' ? 'stand-hinweis stand-fehler' : 'stand-hinweis'}
        />
      </div>
      <button type="submit" class="kern-btn kern-btn--secondary">
        <span class="kern-label">Anzeigen</span>
      </button>
    </form>
  );
}
