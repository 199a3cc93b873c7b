// A small PNG decoder for tests (8-bit greyscale, RGB or RGBA, non-interlaced: what resvg and
// Chromium write): the size and the pixels, to check images without a dependency.
import { inflateSync } from 'node:zlib';

export interface DecodedPng {
  width: number;
  height: number;
  channels: number;
  pixels: Uint8Array;
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

export function decodePng(data: Buffer): DecodedPng {
  if (!data.subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]))) throw new Error('not a PNG');
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (offset < data.length) {
    const length = data.readUInt32BE(offset);
    const type = data.toString('latin1', offset + 4, offset + 8);
    const body = data.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      if (body[8] !== 8 || body[12] !== 0) throw new Error(`unsupported PNG: bit depth ${body[8]}, interlace ${body[12]}`);
      channels = CHANNELS[body[9]!] ?? 0;
      if (channels === 0) throw new Error(`unsupported PNG colour type ${body[9]}`);
    } else if (type === 'IDAT') {
      idat.push(body);
    }
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[y * stride + x - channels]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels]! : 0;
      const p = a + b - c;
      const pa = Math.abs(p - a);
      const pb = Math.abs(p - b);
      const pc = Math.abs(p - c);
      const predictor = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter];
      if (predictor === undefined) throw new Error(`unknown PNG filter ${filter}`);
      pixels[y * stride + x] = (line[x]! + predictor) & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

/** Variance of the pixels' brightness (mean of the colour channels): 0 for a blank image. */
export function brightnessVariance(png: DecodedPng): number {
  const colours = Math.min(3, png.channels);
  let sum = 0;
  let squares = 0;
  const n = png.width * png.height;
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let k = 0; k < colours; k++) v += png.pixels[i * png.channels + k]!;
    v /= colours;
    sum += v;
    squares += v * v;
  }
  return squares / n - (sum / n) ** 2;
}
