import { correction, generate } from 'lean-qr';
import { toPngBuffer } from 'lean-qr/extras/node_export';

/**
 * A QR code PNG of `text`. The background is opaque white: lean-qr's default is
 * transparent, which does not scan on a dark chat background (STACK.md §6).
 */
export function qrPng(text: string): Uint8Array {
  const code = generate(text, { minCorrectionLevel: correction.M });
  return toPngBuffer(code, { on: [0, 0, 0, 255], off: [255, 255, 255, 255], pad: 4, scale: 4 });
}
