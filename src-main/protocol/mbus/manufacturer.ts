/**
 * The 2-byte manufacturer field holds three letters of 5 bits each (A = 1 … Z = 26), the DLMS UA
 * "FLAG" code. Bit 15 is not part of the code (some vendors use it as a flag).
 */
export function decodeManufacturer(code: number): string {
  const letter = (v: number): string => String.fromCharCode((v & 0x1f) + 64);
  return letter(code >> 10) + letter(code >> 5) + letter(code);
}

/** Inverse of decodeManufacturer; undefined unless `text` is three letters A–Z (or `@` for 0). */
export function encodeManufacturer(text: string): number | undefined {
  if (!/^[@A-Z]{3}$/.test(text)) return undefined;
  let code = 0;
  for (let i = 0; i < 3; i++) code = (code << 5) | (text.charCodeAt(i) - 64);
  return code;
}
