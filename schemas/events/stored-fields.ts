// The structural field types of stored events. Stored events are validated by structure only
// (shape and types): a known AGS, a registered programme or a text limit are business rules of
// the commands (schemas/commands.ts), so a territorial reform or a tighter input rule never makes
// an old event unreadable. Optional facts are stored as explicit `null`, so every stored event
// shows all its fields.
import { agsCode, storedText } from '../primitives.js';

export const ags = agsCode;
export const nameText = storedText;
export const reasonText = storedText;
export const referenceText = storedText;
export const payGrade = storedText;
