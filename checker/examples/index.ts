/** The anchor models: classic models with known state counts, the engine's yardstick. */
export { peterson, type PetersonState } from './peterson.ts';
export { naiveMutex, type NaiveMutexState } from './naive-mutex.ts';
export { philosophers, type PhilosophersState } from './philosophers.ts';
export { referenceFigures, type ReferenceFigures } from './reference.ts';
export { philosophersPlain, type PhilosophersPlainState, type PhilosopherAction } from './philosophers-plain.ts';
export { petersonPlain, type PetersonPlainState, type PetersonAction } from './peterson-plain.ts';
