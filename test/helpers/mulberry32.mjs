// A seeded uniform generator on [0, 1) (mulberry32): the analysis fixtures and tests draw from it, so their
// samples are the same on every run. Plain JavaScript, so the fixture script (node) and the tests share it.
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
