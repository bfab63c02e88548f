/**
 * Full-text search of the records, as both hosts call it (records.ts
 * re-exports it). Apart from records.ts so that `lifeboat search`, one
 * process per query, loads none of the Markdown, image and one-time-code
 * modules that opening a record needs (issue #20: the command line's search
 * against keepassxc-cli's).
 */
export { searchRecords, settleSearch } from '../vault/records/vault-records.js';
export type { SearchHit, SearchResult } from '../vault/records/search-index.js';
