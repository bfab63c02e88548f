/**
 * The header's file name, in a module of its own so that what reads the
 * header before the engine has loaded (unlock-ahead.ts) need not load the
 * header's schema and zod with it.
 */
export const HEADER_FILE = 'header.json';
