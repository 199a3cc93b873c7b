export { accessReport, formatAccessReport, type AccessReport } from './access.js';
export { wssReport, formatWssReport, type WssReport } from './wss.js';
export { hugeReport, formatHugeReport, type HugeReport, type HugeRow } from './huge.js';
export { heatGrid, type HeatCell, type HeatGrid } from './heatmap.js';
export { heatmapSvg, svgLayout } from './svg.js';
export { svgToPng } from './png.js';
export { terminalHeatmap } from './terminal.js';
