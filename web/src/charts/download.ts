// Saving a chart's data as a file.

export function download(filename: string, content: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A file name made of `parts`, safe on every platform. */
export function fileName(parts: string[], extension: string): string {
  return `${parts.join("_").replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^_+|_+$/g, "")}.${extension}`;
}

export function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
