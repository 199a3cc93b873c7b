export { formatBytes, parseBytes } from './bytes.js';
export { durationToUs, formatUs, type Duration } from './duration.js';
