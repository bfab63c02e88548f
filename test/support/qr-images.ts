/**
 * Real QR images for tests: qrcode-generator lays out the code, pngjs and
 * jpeg-js write it as a file's bytes, as a screenshot of a service's
 * "set up your authenticator" page would be.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import qrcode from 'qrcode-generator';

function qrPixels(text: string, cell: number, margin: number): { width: number; height: number; data: Buffer } {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const modules = qr.getModuleCount();
  const size = (modules + margin * 2) * cell;
  const data = Buffer.alloc(size * size * 4, 255);
  for (let row = 0; row < modules; row++) {
    for (let col = 0; col < modules; col++) {
      if (!qr.isDark(row, col)) {
        continue;
      }
      for (let y = 0; y < cell; y++) {
        for (let x = 0; x < cell; x++) {
          const at = (((row + margin) * cell + y) * size + (col + margin) * cell + x) * 4;
          data[at] = 0;
          data[at + 1] = 0;
          data[at + 2] = 0;
        }
      }
    }
  }
  return { width: size, height: size, data };
}

export function qrPng(text: string, cell = 4, margin = 4): Buffer {
  const pixels = qrPixels(text, cell, margin);
  const png = new PNG({ width: pixels.width, height: pixels.height });
  png.data = pixels.data;
  return PNG.sync.write(png);
}

export function qrJpeg(text: string, cell = 6, margin = 4, quality = 85): Buffer {
  return jpeg.encode(qrPixels(text, cell, margin), quality).data;
}
