// Counts for people, grouped by thousands as en-US writes them ("20,000"), without Intl: the first
// Intl formatter of a process sets up ICU's data, ~20 ms (bench P7, src/ux/time.ts).

/** 20000 as "20,000"; what toLocaleString('en-US') gives for an integer (test/ux/time.test.ts). */
export function grouped(count: number): string {
  return Number.isSafeInteger(count) ? String(count).replace(/\B(?=(\d{3})+$)/g, ',') : count.toLocaleString('en-US')
}
