import { readFileSync } from 'node:fs';

/** This eniplane's version, as package.json gives it (metrics name it per replica). */
export const ENIPLANE_VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
