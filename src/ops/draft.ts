/**
 * The one `produce` every step uses: immer's, from a private Immer instance so that its
 * settings never touch another user of immer in the same process. autoFreeze stays on: the
 * states handed to the checker are frozen plain data (it costs about 20% of a transition).
 */
import { Immer } from 'immer';

const immer = new Immer({ autoFreeze: true });

export const produce = immer.produce;
