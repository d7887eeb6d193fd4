// downloadCsv saves CSV text as a browser download (serve mode, where Go has no
// window to ask where to save). A BOM lets spreadsheet programs read Cyrillic and
// umlauts as UTF-8.
export function downloadCsv(name: string, text: string): void {
  downloadBlob(name, new Blob(['\ufeff' + text], { type: 'text/csv;charset=utf-8' }));
}

/** downloadBlob saves a blob as a browser download named name. */
export function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
