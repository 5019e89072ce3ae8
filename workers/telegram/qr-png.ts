// A QR code as a PNG (Telegram's sendPhoto takes PNG or JPEG, not SVG): uqr gives the module matrix,
// this writes an 8-bit greyscale PNG with the platform's zlib (CompressionStream "deflate" is the zlib
// format PNG's IDAT needs; workerd and Node both have it).
import { encode } from "uqr";

/** Pixels per module: a 33-module code (version 4 with its border) is 264 px, sharp on any phone. */
const SCALE = 8;
/** Quiet zone in modules; the QR standard asks for 4, scanners read 2 fine on a white chat bubble. */
const BORDER = 2;

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
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

async function deflate(raw: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([raw]).stream().pipeThrough(new CompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The QR matrix of `text` (true = dark), with its border: what the PNG draws, one module per SCALE² pixels. */
export function qrMatrix(text: string): boolean[][] {
  return encode(text, { ecc: "M", border: BORDER }).data;
}

/** A PNG of the QR code of `text`: black modules on white. */
export async function qrPng(text: string): Promise<Uint8Array> {
  const m = qrMatrix(text);
  const side = m.length * SCALE;
  // One filter byte (0: none) before each row of `side` greyscale bytes.
  const raw = new Uint8Array(side * (side + 1));
  for (let y = 0; y < side; y++) {
    const row = m[Math.floor(y / SCALE)]!;
    const at = y * (side + 1);
    for (let x = 0; x < side; x++) raw[at + 1 + x] = row[Math.floor(x / SCALE)] ? 0 : 255;
  }
  const header = new Uint8Array(13);
  const hv = new DataView(header.buffer);
  hv.setUint32(0, side);
  hv.setUint32(4, side);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit depth, greyscale, deflate, adaptive filtering, no interlace
  const parts = [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", await deflate(raw)), chunk("IEND", new Uint8Array())];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
}
