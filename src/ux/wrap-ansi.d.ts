// wrap-ansi 7 (the version @oclif/core uses, so the bundle holds one copy) ships no types.
declare module 'wrap-ansi' {
  export default function wrapAnsi(text: string, columns: number, options?: {hard?: boolean; wordWrap?: boolean; trim?: boolean}): string
}
