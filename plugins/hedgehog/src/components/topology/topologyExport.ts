import { saveBlob } from '../shared/exportFile';

/* The drawn topology as an SVG or PNG file. */

/** The largest side and area of the PNG (Chromium's canvas limits, with room to spare). */
const MAX_SIDE = 16_000;
const MAX_PIXELS = 64_000_000;

/** The PNG's pixels per SVG unit: 2 for a sharp picture, less when that would exceed the canvas limits. */
export function pngScale(width: number, height: number): number {
  if (width <= 0 || height <= 0) return 1;
  return Math.min(
    2,
    MAX_SIDE / width,
    MAX_SIDE / height,
    Math.sqrt(MAX_PIXELS / (width * height)),
  );
}

/** A file name from the fabric's name: `<fabric>-topology.<ext>`. */
export function topologyFileName(fabric: string, ext: 'svg' | 'png'): string {
  return `${fabric.replace(/[^A-Za-z0-9._-]+/g, '_')}-topology.${ext}`;
}

/**
 * The drawing as a standalone SVG document at its natural size (whatever the zoom on screen),
 * on a white background, with the fonts named.
 */
export function topologySvgText(
  svg: SVGSVGElement,
  width: number,
  height: number,
): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  // (XMLSerializer writes the SVG namespace itself; setting it too would repeat the attribute)
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  copy.setAttribute('viewBox', `0 0 ${width} ${height}`);
  copy.setAttribute('font-family', 'Helvetica, Arial, sans-serif');
  const background = copy.ownerDocument.createElementNS(
    'http://www.w3.org/2000/svg',
    'rect',
  );
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', '#ffffff');
  copy.insertBefore(background, copy.firstChild);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(
    copy,
  )}`;
}

export function saveSvg(text: string, fabric: string) {
  saveBlob(
    new Blob([text], { type: 'image/svg+xml' }),
    topologyFileName(fabric, 'svg'),
  );
}

/** Draws the SVG on a canvas and saves the canvas as PNG. */
export async function savePng(
  text: string,
  width: number,
  height: number,
  fabric: string,
): Promise<void> {
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const scale = pngScale(width, height);
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('This browser cannot draw on a canvas');
    context.scale(scale, scale);
    context.drawImage(image, 0, 0, width, height);
    const png = await new Promise<Blob | null>(resolve =>
      canvas.toBlob(resolve, 'image/png'),
    );
    if (!png)
      throw new Error(
        `The topology is too large for a PNG (${canvas.width}×${canvas.height} pixels); export SVG instead`,
      );
    saveBlob(png, topologyFileName(fabric, 'png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}
