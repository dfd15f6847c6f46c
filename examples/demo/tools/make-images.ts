/**
 * Draws the demo origin's images: a few small PNGs and JPEGs with distinct
 * colours and shapes, plus the 1×1 GIF that lazy images show before they load.
 *
 *   npx tsx examples/demo/tools/make-images.ts
 *
 * writes them to examples/demo/content/img/. The output is deterministic (no
 * clock, no randomness), so running it again changes no byte. The encoders are
 * written here rather than added as dependencies: a PNG is a zlib stream with
 * CRCs, and a JPEG whose blocks carry only their DC coefficient (flat 8×8 tiles)
 * is a baseline JFIF any decoder reads, which is all a demo picture needs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

type Rgb = readonly [number, number, number];
type Painter = (x: number, y: number) => Rgb;

const W = 320;
const H = 180;

// ---------------------------------------------------------------- drawing

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  const k = Math.max(0, Math.min(1, t));
  return [a[0] + (b[0] - a[0]) * k, a[1] + (b[1] - a[1]) * k, a[2] + (b[2] - a[2]) * k];
}

function inCircle(x: number, y: number, cx: number, cy: number, r: number): boolean {
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** A little deterministic texture so the pictures are not flat fills. */
function grain(x: number, y: number, amount: number): number {
  const h = Math.imul(x * 374761393 + y * 668265263, 1274126177) >>> 0;
  return ((h % 1000) / 1000 - 0.5) * amount;
}

function shade(c: Rgb, d: number): Rgb {
  return [c[0] + d, c[1] + d, c[2] + d];
}

const scenes: Record<string, Painter> = {
  // Harbour: sky, sun, sea with waves.
  harbor: (x, y) => {
    if (inCircle(x, y, 250, 55, 24)) return [255, 214, 102];
    const sea = 110 + 6 * Math.sin(x / 14);
    if (y < sea) return mix([135, 190, 235], [214, 236, 250], y / sea);
    const wave = Math.sin(x / 9 + y / 3) > 0.85 ? 40 : 0;
    return shade(mix([40, 110, 170], [15, 55, 105], (y - sea) / 70), wave);
  },
  // City: dusk sky and blocks of buildings with lit windows.
  city: (x, y) => {
    const tops = [70, 40, 95, 55, 80, 30, 65, 100];
    const col = Math.floor(x / 40);
    const top = tops[col % tops.length] ?? 60;
    if (y < top) return mix([250, 170, 120], [120, 110, 170], y / 120);
    const lit = x % 40 > 6 && x % 40 < 34 && x % 10 < 5 && y % 14 < 7 && (col * 7 + Math.floor(y / 14)) % 3 !== 0;
    return lit ? [255, 228, 150] : shade([70, 76, 92], grain(x, y, 8));
  },
  // Leaf: a green leaf with a vein on pale green.
  leaf: (x, y) => {
    const dx = (x - 160) / 120;
    const dy = (y - 90) / 55;
    const inside = dx * dx + dy * dy * (1 + 0.6 * dx) < 1;
    if (inside)
      return Math.abs(y - 90 - (x - 160) * 0.05) < 2
        ? [200, 235, 170]
        : mix([60, 150, 70], [30, 110, 50], (x - 40) / 240);
    return shade([225, 240, 215], grain(x, y, 6));
  },
  // Chart: bars of four colours on white with a baseline.
  chart: (x, y) => {
    const bars: [number, Rgb][] = [
      [60, [66, 133, 244]],
      [95, [234, 67, 53]],
      [40, [251, 188, 5]],
      [120, [52, 168, 83]],
      [80, [66, 133, 244]],
    ];
    if (y === 160 || y === 161) return [60, 60, 60];
    const i = Math.floor((x - 30) / 56);
    const bar = bars[i];
    if (bar && x >= 30 && (x - 30) % 56 < 36 && y < 160 && y > 160 - bar[0]) return bar[1];
    return y % 40 === 0 ? [230, 230, 230] : [250, 250, 248];
  },
  // Ferry: a white boat with a red stripe on a calm sea.
  ferry: (x, y) => {
    if (y > 115 && y < 135 && x > 90 - (135 - y) && x < 240 + (135 - y) / 2)
      return y < 121 ? [200, 40, 40] : [245, 245, 245];
    if (y > 95 && y <= 115 && x > 120 && x < 200)
      return (x - 120) % 16 < 10 && y > 100 && y < 108 ? [60, 80, 110] : [235, 235, 235];
    if (y > 80 && y <= 95 && x > 150 && x < 165) return [220, 180, 40];
    if (y < 130) return mix([190, 220, 240], [240, 248, 252], y / 130);
    return shade(mix([30, 120, 150], [20, 80, 110], (y - 130) / 50), grain(x, y, 12));
  },
  // Night: navy sky, crescent moon, stars.
  stars: (x, y) => {
    if (inCircle(x, y, 70, 50, 26) && !inCircle(x, y, 82, 44, 24)) return [250, 240, 200];
    const h = Math.imul((x * 73856093) ^ (y * 19349663), 83492791) >>> 0;
    if (h % 997 === 0) return [255, 255, 255];
    return mix([10, 16, 48], [40, 30, 90], y / H);
  },
  // Mountains: two ridges under a pale sky.
  mountain: (x, y) => {
    const ridge1 = 60 + Math.abs(((x + 40) % 160) - 80) * 0.9;
    const ridge2 = 100 + Math.abs((x % 110) - 55) * 0.7;
    if (y > ridge2) return shade([60, 100, 80], grain(x, y, 10));
    if (y > ridge1) return y < ridge1 + 10 ? [245, 245, 250] : [110, 120, 140];
    return mix([170, 200, 230], [235, 240, 245], y / 100);
  },
  // Lanterns: red circles on a warm dark background.
  lantern: (x, y) => {
    for (const [cx, cy] of [
      [60, 70],
      [160, 95],
      [260, 65],
    ] as const) {
      if (x === cx && y < cy - 30) return [200, 170, 90];
      if (inCircle(x, (y - cy) * 1.25 + cy, cx, cy, 30)) return (y - cy + 40) % 12 < 2 ? [240, 190, 70] : [215, 40, 35];
    }
    return shade([50, 30, 35], grain(x, y, 8));
  },
  // JPEG scenes (flat 8×8 tiles, so broad shapes).
  sunrise: (x, y) => {
    if (y > 120) return mix([60, 60, 90], [30, 30, 50], (y - 120) / 60);
    if (inCircle(x, y, 160, 125, 50)) return [255, 200, 80];
    return mix([250, 120, 60], [255, 215, 150], y / 120);
  },
  field: (x, y) => {
    if (y < 60) return mix([150, 200, 245], [220, 235, 250], y / 60);
    return Math.floor((x + y * 0.6) / 24) % 2 === 0 ? [200, 180, 60] : [110, 160, 60];
  },
  court: (x, y) => {
    if (x < 16 || x >= 304 || y < 16 || y >= 164) return [30, 120, 60];
    if (Math.abs(x - 160) < 4 || inCircle(x, y, 160, 90, 34) !== inCircle(x, y, 160, 90, 26)) return [245, 245, 245];
    return [200, 110, 60];
  },
  market: (x, y) => {
    if (y < 70) return Math.floor(x / 32) % 2 === 0 ? [220, 60, 60] : [245, 240, 230];
    if (y < 80) return [120, 70, 40];
    const palette: Rgb[] = [
      [240, 160, 40],
      [120, 180, 60],
      [200, 50, 60],
      [250, 220, 80],
    ];
    return palette[Math.floor(x / 40 + y / 40) % palette.length] ?? [0, 0, 0];
  },
};

const pngScenes = ['harbor', 'city', 'leaf', 'chart', 'ferry', 'stars', 'mountain', 'lantern'];
const jpegScenes = ['sunrise', 'field', 'court', 'market'];

function render(painter: Painter): Uint8Array {
  const rgb = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const c = painter(x, y);
      const i = (y * W + x) * 3;
      rgb[i] = clamp(c[0]);
      rgb[i + 1] = clamp(c[1]);
      rgb[i + 2] = clamp(c[2]);
    }
  }
  return rgb;
}

function clamp(v: number): number {
  return Math.max(0, Math.min(255, Math.round(v)));
}

// ---------------------------------------------------------------- PNG

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    // Filter type 1 (Sub) on every row: smaller than none for gradients.
    const row = y * (width * 3 + 1);
    raw[row] = 1;
    for (let i = 0; i < width * 3; i++) {
      const cur = rgb[y * width * 3 + i] ?? 0;
      const left = i >= 3 ? (rgb[y * width * 3 + i - 3] ?? 0) : 0;
      raw[row + 1 + i] = (cur - left) & 0xff;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw, { level: 9 })),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}

// ---------------------------------------------------------------- JPEG (DC only)

/** ITU T.81 Annex K.3, table K.3: luminance DC code lengths and values. */
const DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_VALS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
/** A one-symbol AC table: the only AC symbol we write is EOB (0x00), coded as the single bit 0. */
const AC_BITS = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const AC_VALS = [0];
const DC_QUANT = 8;

function huffmanCodes(bits: number[], vals: number[]): Map<number, { code: number; len: number }> {
  const out = new Map<number, { code: number; len: number }>();
  let code = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    for (let i = 0; i < (bits[len - 1] ?? 0); i++) {
      out.set(vals[k++] ?? 0, { code, len });
      code++;
    }
    code <<= 1;
  }
  return out;
}

class BitWriter {
  private bytes: number[] = [];
  private acc = 0;
  private n = 0;
  write(value: number, len: number): void {
    for (let i = len - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((value >> i) & 1);
      this.n++;
      if (this.n === 8) this.flushByte();
    }
  }
  private flushByte(): void {
    this.bytes.push(this.acc);
    if (this.acc === 0xff) this.bytes.push(0); // byte stuffing
    this.acc = 0;
    this.n = 0;
  }
  finish(): Buffer {
    while (this.n !== 0) this.write(1, 1); // pad with 1-bits
    return Buffer.from(this.bytes);
  }
}

function segment(marker: number, body: number[]): Buffer {
  const len = body.length + 2;
  return Buffer.from([0xff, marker, len >> 8, len & 0xff, ...body]);
}

export function encodeJpeg(width: number, height: number, rgb: Uint8Array): Buffer {
  const dc = huffmanCodes(DC_BITS, DC_VALS);
  const ac = huffmanCodes(AC_BITS, AC_VALS);
  const bw = new BitWriter();
  const pred = [0, 0, 0];
  const bx = Math.ceil(width / 8);
  const by = Math.ceil(height / 8);
  for (let my = 0; my < by; my++) {
    for (let mx = 0; mx < bx; mx++) {
      const sum = [0, 0, 0];
      for (let y = 0; y < 8; y++) {
        for (let x = 0; x < 8; x++) {
          const px = Math.min(width - 1, mx * 8 + x);
          const py = Math.min(height - 1, my * 8 + y);
          const i = (py * width + px) * 3;
          const r = rgb[i] ?? 0;
          const g = rgb[i + 1] ?? 0;
          const b = rgb[i + 2] ?? 0;
          sum[0] = (sum[0] ?? 0) + 0.299 * r + 0.587 * g + 0.114 * b - 128;
          sum[1] = (sum[1] ?? 0) - 0.168736 * r - 0.331264 * g + 0.5 * b;
          sum[2] = (sum[2] ?? 0) + 0.5 * r - 0.418688 * g - 0.081312 * b;
        }
      }
      for (let c = 0; c < 3; c++) {
        // The DCT's DC term is sum/8; quantised by DC_QUANT.
        const q = Math.round((sum[c] ?? 0) / 8 / DC_QUANT);
        const diff = q - (pred[c] ?? 0);
        pred[c] = q;
        const mag = Math.abs(diff);
        const cat = mag === 0 ? 0 : Math.floor(Math.log2(mag)) + 1;
        const h = dc.get(cat);
        if (!h) throw new Error(`DC category ${cat} out of range`);
        bw.write(h.code, h.len);
        if (cat > 0) bw.write(diff > 0 ? diff : diff + (1 << cat) - 1, cat);
        const eob = ac.get(0);
        if (!eob) throw new Error('no EOB code');
        bw.write(eob.code, eob.len);
      }
    }
  }
  const quant = new Array<number>(64).fill(16);
  quant[0] = DC_QUANT;
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    segment(0xdb, [0, ...quant]),
    segment(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0]),
    segment(0xc4, [0x00, ...DC_BITS, ...DC_VALS, 0x10, ...AC_BITS, ...AC_VALS]),
    segment(0xda, [3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0]),
    bw.finish(),
    Buffer.from([0xff, 0xd9]),
  ]);
}

/** A 1×1 transparent GIF, the usual lazy-image placeholder. */
export const PLACEHOLDER_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/** Every image of the demo, by file name. */
export function makeImages(): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const name of pngScenes) {
    const painter = scenes[name];
    if (painter) out.set(`${name}.png`, encodePng(W, H, render(painter)));
  }
  for (const name of jpegScenes) {
    const painter = scenes[name];
    if (painter) out.set(`${name}.jpg`, encodeJpeg(W, H, render(painter)));
  }
  out.set('placeholder.gif', PLACEHOLDER_GIF);
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = fileURLToPath(new URL('../content/img/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of makeImages()) {
    writeFileSync(path.join(dir, name), bytes);
    console.log(`${name}\t${bytes.length} bytes`);
  }
}
