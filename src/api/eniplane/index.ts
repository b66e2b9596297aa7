import { addFault } from './add-fault.ts';
import { clearFaults } from './clear-faults.ts';
import { listFaults } from './list-faults.ts';
import { removeFault } from './remove-fault.ts';
import { resetAccount } from './reset-account.ts';

/**
 * eniplane's own API (product Eniplane, Version 2026-12-01): not the cloud's, signed like any
 * call and acting on the caller's account. Fault injection and reset, for test suites.
 */
export const eniplaneActions = [addFault, listFaults, removeFault, clearFaults, resetAccount];
