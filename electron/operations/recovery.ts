/**
 * Disaster-recovery planning and recovery sessions (exercises and
 * incidents), as both hosts offer them.
 */
export { graphOf, planOf, readinessOf } from '../recovery/recovery-views.js';
export { addJournal, endSession, getSession, listSessions, markStep, recordCheck, serviceOf, startSession } from '../recovery/recovery-sessions.js';
