/**
 * Reads the text of a QR code from an image file's bytes (a screenshot of a
 * service's "set up your authenticator" page): PNG through pngjs, JPEG
 * through jpeg-js, then jsqr. Runs in main; the window sends the chosen
 * file's bytes. The file is untrusted: its size and pixel count are capped
 * before decoding, and every refusal names the file.
 */
import jpeg from 'jpeg-js';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { LifeboatError } from '../../shared/errors.js';

/** A phone screenshot is a few MiB at most. */
export const MAX_QR_IMAGE_BYTES = 8 * 1024 * 1024;
const MAX_PIXELS = 20_000_000;

type JsQr = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
// jsqr is a UMD bundle: Node hands back the function itself, which also carries it as .default.
const jsQR: JsQr = ((jsQRModule as unknown as { default?: JsQr }).default ?? jsQRModule) as unknown as JsQr;

interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}

function isPng(bytes: Uint8Array): boolean {
  return bytes.length > 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
}

function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

function pixels(bytes: Uint8Array, name: string): Rgba {
  const refuse = (why: string): LifeboatError => new LifeboatError('VAULT_BAD_INPUT', `${name}: ${why}.`);
  if (bytes.length > MAX_QR_IMAGE_BYTES) {
    throw refuse(`the image is ${Math.round(bytes.length / 1024)} KiB, more than ${MAX_QR_IMAGE_BYTES / 1024 / 1024} MiB`);
  }
  try {
    if (isPng(bytes)) {
      // Read the header's size before inflating anything: a small file can claim a huge image.
      const width = Buffer.from(bytes.subarray(16, 20)).readUInt32BE(0);
      const height = Buffer.from(bytes.subarray(20, 24)).readUInt32BE(0);
      if (width * height > MAX_PIXELS) {
        throw refuse(`the image is ${width}×${height} pixels, too large to read`);
      }
      const png = PNG.sync.read(Buffer.from(bytes));
      return { width: png.width, height: png.height, data: png.data };
    }
    if (isJpeg(bytes)) {
      const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_PIXELS / 1_000_000, maxMemoryUsageInMB: 256 });
      return { width: image.width, height: image.height, data: image.data };
    }
  } catch (error) {
    if (error instanceof LifeboatError) {
      throw error;
    }
    throw refuse(`the image could not be read (${error instanceof Error ? error.message.slice(0, 80) : 'damaged file'})`);
  }
  throw refuse('not a PNG or JPEG image');
}

/** The text held by the first QR code found in a PNG or JPEG image. */
export function readQrImage(bytes: Uint8Array, name: string): string {
  const image = pixels(bytes, name);
  const clamped = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.width * image.height * 4);
  const found = jsQR(clamped, image.width, image.height);
  if (!found || found.data === '') {
    throw new LifeboatError('VAULT_BAD_INPUT', `${name}: no QR code found in the image (a sharp, uncropped screenshot of the code works best).`);
  }
  return found.data;
}
