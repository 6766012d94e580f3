// POST routes of the programme register: registering a programme, changing it and setting its
// end. Programmes are shared by every municipality: only an administrator for all of them writes.
import { ChangeProgrammeBody, RegisterProgrammeBody, SetProgrammeEndDateBody } from '../../../schemas/index.js';
import { changeProgramme, registerProgramme, setProgrammeEndDate } from '../../commands/index.js';
import type { EventStore } from '../../eventstore/index.js';
import { action, type AnyAction, codeParam, noParams, programmeAdmin } from './support.js';

const tag = 'Förderprogramme';

/** The programme write routes. */
export function programmeActions({ store }: { store: EventStore }): AnyAction[] {
  return [
    action(store, {
      status: 201, path: '/programmes', tag, summary: 'Förderprogramm registrieren', params: noParams, body: RegisterProgrammeBody,
      run: (ctx, _p, body) => registerProgramme(ctx, body), location: (id) => `/api/v1/programmes/${id}`, guard: programmeAdmin,
    }),
    action(store, {
      status: 200, path: '/programmes/{code}/changes', tag, summary: 'Förderprogramm ändern (Name, Laufzeit, Funktionen, Vorgaben)',
      params: codeParam, body: ChangeProgrammeBody, run: (ctx, p, body) => changeProgramme(ctx, p.code, body), guard: programmeAdmin,
    }),
    action(store, {
      status: 200, path: '/programmes/{code}/end-date', tag, summary: 'Programmende setzen', params: codeParam,
      body: SetProgrammeEndDateBody, run: (ctx, p, body) => setProgrammeEndDate(ctx, p.code, body), guard: programmeAdmin,
    }),
  ];
}
