/** Files handed to the browser's download: names made safe for every file system, bytes as they are. */

/** A file name without path separators, control characters or characters Windows refuses; at most 120 characters. */
export function safeFileName(name: string): string {
  const clean = name
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed.
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]+/g, '_')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 120);
  return clean || 'download';
}

export function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = safeFileName(name);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The base of an export's file name: the data file's name without its extension. */
export function baseName(fileName: string): string {
  return fileName.replace(/\.[^.]+$/, '').replace(/ \(bundled sample\)$/, '');
}
