// The dashboard (/): its data and its view.
export { URGENT_MONTHS, loadDashboard, urgentPositions, type DashboardData, type DashboardQuery } from './load.js';
export { DashboardView, type DashboardViewProps } from './view.js';
export type { DashboardFieldError } from './scope-form.js';
