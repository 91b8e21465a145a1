/** Distinct, print-safe line colours; a series keeps its colour while it stays selected. */
export const PALETTE = [
  '#1f6feb',
  '#d1242f',
  '#1a7f37',
  '#bf8700',
  '#8250df',
  '#0a7ea4',
  '#cf222e',
  '#57606a',
  '#e16f24',
  '#116329',
  '#6639ba',
  '#953800',
] as const;

export const colorAt = (i: number): string => PALETTE[i % PALETTE.length] ?? '#1f6feb';
