import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { qrMatrix, qrPng } from "./qr-png";

const ADDRESS = "0xBc0fF067b7740Eff76C1ca93c875Ba6B890d6B50";

/** Reads back our PNG: signature, IHDR, every chunk's CRC (via zlib's crc32), and the greyscale pixels. */
function decode(png: Uint8Array): { width: number; height: number; pixels: Uint8Array } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let at = 8;
  let width = 0;
  let height = 0;
  const idat: Uint8Array[] = [];
  const types: string[] = [];
  while (at < png.length) {
    const len = view.getUint32(at);
    const type = new TextDecoder().decode(png.subarray(at + 4, at + 8));
    const data = png.subarray(at + 8, at + 8 + len);
    types.push(type);
    if (type === "IHDR") {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      expect([...data.subarray(8)]).toEqual([8, 0, 0, 0, 0]);
    }
    if (type === "IDAT") idat.push(data);
    at += 12 + len;
  }
  expect(types).toEqual(["IHDR", "IDAT", "IEND"]);
  return { width, height, pixels: new Uint8Array(inflateSync(Buffer.concat(idat))) };
}

describe("QR PNG", () => {
  it("draws every module of the address's QR code, 8 px each, black on white", async () => {
    const m = qrMatrix(ADDRESS);
    const { width, height, pixels } = decode(await qrPng(ADDRESS));
    expect(width).toBe(m.length * 8);
    expect(height).toBe(width);
    expect(pixels.length).toBe(height * (width + 1));
    for (let y = 0; y < height; y++) {
      expect(pixels[y * (width + 1)]).toBe(0); // filter: none
      for (let x = 0; x < width; x++) expect(pixels[y * (width + 1) + 1 + x]).toBe(m[Math.floor(y / 8)]![Math.floor(x / 8)] ? 0 : 255);
    }
  });

  it("another address gives another code; the border is white", async () => {
    const a = qrMatrix(ADDRESS);
    const b = qrMatrix("0x94bF330955A0b957662fEaF878dE77bf25f76cD9");
    expect(a).not.toEqual(b);
    expect(a[0]!.every((d) => !d)).toBe(true);
    expect(a[2]![2]).toBe(true); // the finder pattern's corner
  });
});
