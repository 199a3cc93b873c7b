export { formatBytes, parseBytes } from './bytes.js';
