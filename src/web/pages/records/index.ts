// The record pages: a position (/stellen/{id}) and a grant (/zuwendungen/{id}).
export { loadGrantPage, loadPositionPage, type GrantPageData, type PositionPageData } from './load.js';
export { GrantView } from './grant.js';
export { PositionView } from './position.js';
