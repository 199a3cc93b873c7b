// Readers of /proc files about memory and transparent huge pages.
export { PID_MAX_LIMIT, type ProcessTarget } from './target.js';
export { parseMaps, readMaps, type Vma } from './maps.js';
