// The SUNAT simulator's public surface.
export { startSimulator, faultXml, type LedgerView, type Simulator, type SimulatorFaults, type SimulatorOptions, type SimulatorStats } from './server';
export type { LedgerEntry } from './state';
export { createSimulatorIdentity, verifyEmbeddedSignature, parseForSignature, signCanonicalTemplate, type SimulatorIdentity } from './xmlsig';
export { signedCdrXml } from './cdr-writer';
