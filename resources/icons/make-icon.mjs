#!/usr/bin/env node
// Draws the app icon (a calendar page with a check mark on a blue tile) as a PNG with no image library:
// `node resources/icons/make-icon.mjs` rewrites icon.png (1024 px; electron-builder derives .ico/.icns from it).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const SIZE = 1024;
const SAMPLES = 4; // per axis, for smooth edges

const roundedRect = (x, y, left, top, right, bottom, radius) => {
  const dx = Math.max(left + radius - x, 0, x - (right - radius));
  const dy = Math.max(top + radius - y, 0, y - (bottom - radius));
  return x >= left && x <= right && y >= top && y <= bottom && dx * dx + dy * dy <= radius * radius;
};
const nearSegment = (x, y, [ax, ay], [bx, by], halfWidth) => {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay))) <= halfWidth;
};

/** Colour of one point, or null for transparent; later layers win. */
function paint(x, y) {
  const s = SIZE / 1024;
  if (!roundedRect(x, y, 40 * s, 40 * s, 984 * s, 984 * s, 200 * s)) return null;
  let colour = [37, 99, 235];
  if (roundedRect(x, y, 232 * s, 250 * s, 792 * s, 810 * s, 70 * s)) colour = [255, 255, 255];
  if (roundedRect(x, y, 232 * s, 250 * s, 792 * s, 810 * s, 70 * s) && y <= 380 * s) colour = [191, 219, 254];
  for (const cx of [372, 652]) if (roundedRect(x, y, (cx - 28) * s, 190 * s, (cx + 28) * s, 320 * s, 28 * s)) colour = [30, 64, 175];
  const check = [
    [372 * s, 600 * s],
    [480 * s, 705 * s],
    [672 * s, 480 * s],
  ];
  if (nearSegment(x, y, check[0], check[1], 42 * s) || nearSegment(x, y, check[1], check[2], 42 * s)) colour = [22, 163, 74];
  return colour;
}

const raw = Buffer.alloc((SIZE * 4 + 1) * SIZE);
for (let y = 0; y < SIZE; y += 1) {
  raw[y * (SIZE * 4 + 1)] = 0; // filter: none
  for (let x = 0; x < SIZE; x += 1) {
    const sum = [0, 0, 0, 0];
    for (let sy = 0; sy < SAMPLES; sy += 1) {
      for (let sx = 0; sx < SAMPLES; sx += 1) {
        const colour = paint(x + (sx + 0.5) / SAMPLES, y + (sy + 0.5) / SAMPLES);
        if (!colour) continue;
        sum[0] += colour[0];
        sum[1] += colour[1];
        sum[2] += colour[2];
        sum[3] += 1;
      }
    }
    const offset = y * (SIZE * 4 + 1) + 1 + x * 4;
    const covered = sum[3];
    raw[offset] = covered ? Math.round(sum[0] / covered) : 0;
    raw[offset + 1] = covered ? Math.round(sum[1] / covered) : 0;
    raw[offset + 2] = covered ? Math.round(sum[2] / covered) : 0;
    raw[offset + 3] = Math.round((covered / (SAMPLES * SAMPLES)) * 255);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buffer) => {
  let c = 0xffffffff;
  for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'icon.png');
fs.writeFileSync(out, png);
process.stdout.write(`wrote ${out} (${png.length} bytes)\n`);
