// PNG from the heatmap SVG through resvg (@resvg/resvg-js: prebuilt binaries from npm, loaded
// only when a PNG is asked for, so the rest of the package never pays for it).
import { createRequire } from 'node:module';
import { NotSupportedError } from '../errors.js';

interface ResvgModule {
  Resvg: new (svg: string, options?: { fitTo?: { mode: 'original' }; font?: { loadSystemFonts?: boolean } }) => { render(): { width: number; height: number; asPng(): Buffer } };
}

/** Rasterizes `svg` at its own size: the PNG's bytes and its dimensions. */
export function svgToPng(svg: string): { png: Buffer; width: number; height: number } {
  let resvg: ResvgModule;
  try {
    resvg = createRequire(import.meta.url)('@resvg/resvg-js') as ResvgModule;
  } catch (e) {
    throw new NotSupportedError('PNG output', `the rasterizer @resvg/resvg-js could not be loaded (${(e as Error).message}); write an SVG instead`, { cause: e });
  }
  const image = new resvg.Resvg(svg, { fitTo: { mode: 'original' }, font: { loadSystemFonts: true } }).render();
  return { png: image.asPng(), width: image.width, height: image.height };
}
