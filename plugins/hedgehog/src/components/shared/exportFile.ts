/** Saves a blob as a file through a temporary link (the browser's download). */
export function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    document.body.appendChild(a);
    a.click();
    a.remove();
  } finally {
    // after the click has started the download
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}
