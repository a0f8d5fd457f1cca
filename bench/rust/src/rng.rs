//! The runner's own random generator (the spec lets every runner use its own).

/// SplitMix64: tiny, fast, and good enough for benchmark inputs.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// A generator whose stream depends on `seed` and `label`, so every case gets its own
    /// inputs while a run stays reproducible for a given seed.
    pub fn for_label(seed: u64, label: &str) -> Self {
        // FNV-1a over the label, mixed with the seed.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in label.bytes() {
            h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
        Rng(seed ^ h)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }

    /// Uniform in [0, 1) with 24 bits, so every value is exactly representable in f32.
    pub fn unit_f32(&mut self) -> f32 {
        (self.next_u32() >> 8) as f32 * (1.0 / 16_777_216.0)
    }

    /// Uniform in [lo, hi).
    pub fn range_f32(&mut self, lo: f32, hi: f32) -> f32 {
        // Clamp guards against rounding up to `hi` for wide ranges.
        let v = lo + (hi - lo) * self.unit_f32();
        if v < hi { v } else { lo }
    }

    /// Uniform integer in [0, bound).
    pub fn below(&mut self, bound: u32) -> u32 {
        ((self.next_u32() as u64 * bound as u64) >> 32) as u32
    }

    pub fn vec_f32(&mut self, len: usize, lo: f32, hi: f32) -> Vec<f32> {
        (0..len).map(|_| self.range_f32(lo, hi)).collect()
    }

    pub fn vec_u32_below(&mut self, len: usize, bound: u32) -> Vec<u32> {
        (0..len).map(|_| self.below(bound)).collect()
    }

    pub fn vec_u32(&mut self, len: usize) -> Vec<u32> {
        (0..len).map(|_| self.next_u32()).collect()
    }

    /// Random bytes that are neither zero nor the 0xFF poison, so a copy that writes nothing
    /// (or leaves the poison in place) can't pass.
    pub fn vec_marked_bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| (self.below(254) + 1) as u8).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_hold() {
        let mut r = Rng::new(1);
        for _ in 0..10_000 {
            let u = r.unit_f32();
            assert!((0.0..1.0).contains(&u));
            let v = r.range_f32(-1.0, 1.0);
            assert!((-1.0..1.0).contains(&v));
            assert!(r.below(256) < 256);
        }
        assert!(
            r.vec_marked_bytes(4096)
                .iter()
                .all(|&b| b != 0 && b != 0xFF)
        );
    }

    #[test]
    fn labels_give_distinct_streams() {
        let a = Rng::for_label(7, "copy").next_u64();
        let b = Rng::for_label(7, "triad").next_u64();
        assert_ne!(a, b);
        assert_eq!(a, Rng::for_label(7, "copy").next_u64());
    }
}
