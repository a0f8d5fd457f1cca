//! CPU references for every case, written straight from the definitions in bench/README.md.
//! Sums that the spec compares "vs double" are accumulated in f64.

/// `dst = b + scalar * c` per element, in f64.
pub fn triad(b: &[f32], c: &[f32], scalar: f32) -> Vec<f64> {
    b.iter()
        .zip(c)
        .map(|(&b, &c)| b as f64 + scalar as f64 * c as f64)
        .collect()
}

pub fn sum(values: &[f32]) -> f64 {
    values.iter().map(|&v| v as f64).sum()
}

/// Inclusive prefix sum with u32 wrap-around.
pub fn inclusive_scan(values: &[u32]) -> Vec<u32> {
    let mut acc = 0u32;
    values
        .iter()
        .map(|&v| {
            acc = acc.wrapping_add(v);
            acc
        })
        .collect()
}

/// 256-bin histogram of `key & 255`.
pub fn histogram256(keys: &[u32]) -> Vec<u32> {
    let mut bins = vec![0u32; 256];
    for &k in keys {
        bins[(k & 255) as usize] += 1;
    }
    bins
}

/// One element of `a * b` for row-major n×n matrices, in f64.
pub fn gemm_element(a: &[f32], b: &[f32], n: usize, row: usize, col: usize) -> f64 {
    (0..n)
        .map(|k| a[row * n + k] as f64 * b[k * n + col] as f64)
        .sum()
}

/// Acceleration of body `i` (xyz), in f64. `bodies` is xyzw with w the mass.
pub fn nbody_accel(bodies: &[f32], i: usize, eps2: f32) -> [f64; 3] {
    let p = &bodies[4 * i..4 * i + 3];
    let mut acc = [0.0f64; 3];
    for q in bodies.chunks_exact(4) {
        let d = [
            q[0] as f64 - p[0] as f64,
            q[1] as f64 - p[1] as f64,
            q[2] as f64 - p[2] as f64,
        ];
        let r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2] + eps2 as f64;
        let s = q[3] as f64 / (r2 * r2.sqrt());
        for k in 0..3 {
            acc[k] += s * d[k];
        }
    }
    acc
}

/// One Jacobi step in f32: interior cells average their four neighbours, border cells copy.
pub fn jacobi_step(src: &[f32], dst: &mut [f32], width: usize, height: usize, weight: f32) {
    for y in 0..height {
        for x in 0..width {
            let i = y * width + x;
            dst[i] = if x == 0 || y == 0 || x + 1 == width || y + 1 == height {
                src[i]
            } else {
                weight * (src[i - 1] + src[i + 1] + src[i - width] + src[i + width])
            };
        }
    }
}

/// `iterations` Jacobi steps starting from `input`.
pub fn jacobi(input: &[f32], width: usize, height: usize, iterations: u32, weight: f32) -> Vec<f32> {
    let mut cur = input.to_vec();
    let mut next = vec![0.0f32; cur.len()];
    for _ in 0..iterations {
        jacobi_step(&cur, &mut next, width, height, weight);
        std::mem::swap(&mut cur, &mut next);
    }
    cur
}

#[derive(Clone, Copy, Debug)]
pub struct MandelbrotView {
    pub width: u32,
    pub height: u32,
    pub max_iter: u32,
    pub x0: f32,
    pub y0: f32,
    pub dx: f32,
    pub dy: f32,
}

impl MandelbrotView {
    /// The square view of side `span` from `origin` (suite.json constants x0, y0, span).
    pub fn new(width: u32, height: u32, max_iter: u32, origin: [f32; 2], span: f32) -> Self {
        MandelbrotView {
            width,
            height,
            max_iter,
            x0: origin[0],
            y0: origin[1],
            dx: span / width as f32,
            dy: span / height as f32,
        }
    }

    /// Escape count of pixel (x, y), iterated in f32 like the kernel.
    pub fn count(&self, x: u32, y: u32) -> u32 {
        let cx = self.x0 + x as f32 * self.dx;
        let cy = self.y0 + y as f32 * self.dy;
        let (mut zx, mut zy) = (0.0f32, 0.0f32);
        let mut count = 0;
        while zx * zx + zy * zy <= 4.0 && count < self.max_iter {
            let t = zx * zx - zy * zy + cx;
            zy = 2.0 * zx * zy + cy;
            zx = t;
            count += 1;
        }
        count
    }
}

/// `y = a x + y` per element, in f64.
pub fn saxpy(a: f32, x: &[f32], y: &[f32]) -> Vec<f64> {
    x.iter()
        .zip(y)
        .map(|(&x, &y)| a as f64 * x as f64 + y as f64)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triad_and_saxpy() {
        assert_eq!(triad(&[1.0, 2.0], &[0.5, -1.0], 3.0), [2.5, -1.0]);
        assert_eq!(saxpy(2.0, &[1.0, 0.25], &[1.0, 1.0]), [3.0, 1.5]);
    }

    #[test]
    fn scan_wraps() {
        assert_eq!(inclusive_scan(&[1, 2, 3]), [1, 3, 6]);
        assert_eq!(inclusive_scan(&[u32::MAX, 2]), [u32::MAX, 1]);
    }

    #[test]
    fn histogram_uses_low_byte() {
        let bins = histogram256(&[0, 256, 511, 0xFFFF_FF01]);
        assert_eq!((bins[0], bins[1], bins[255]), (2, 1, 1));
        assert_eq!(bins.iter().sum::<u32>(), 4);
    }

    #[test]
    fn gemm_matches_hand_product() {
        // [1 2; 3 4] * [5 6; 7 8] = [19 22; 43 50]
        let (a, b) = ([1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]);
        assert_eq!(gemm_element(&a, &b, 2, 0, 0), 19.0);
        assert_eq!(gemm_element(&a, &b, 2, 1, 1), 50.0);
    }

    #[test]
    fn nbody_two_bodies() {
        // Unit mass at distance 1 on x, almost no softening: pulled by 1 toward it; the body
        // itself (d = 0) adds 0.
        let bodies = [0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0];
        let a = nbody_accel(&bodies, 0, 1e-12);
        assert!(
            (a[0] - 1.0).abs() < 1e-9 && a[1] == 0.0 && a[2] == 0.0,
            "{a:?}"
        );
        let softened = nbody_accel(&bodies, 1, 0.01);
        assert!((softened[0] + 1.0 / 1.01f64.powf(1.5)).abs() < 1e-6);
    }

    #[test]
    fn jacobi_keeps_border_and_averages_interior() {
        let (w, h) = (3, 3);
        let mut src = vec![0.0f32; 9];
        src[1] = 4.0; // north neighbour of the centre
        let out = jacobi(&src, w, h, 1, 0.25);
        assert_eq!(out[4], 1.0);
        assert_eq!(out[1], 4.0);
        // Two steps: the centre is recomputed from the unchanged border.
        assert_eq!(jacobi(&src, w, h, 2, 0.25)[4], 1.0);
    }

    #[test]
    fn mandelbrot_known_points() {
        let v = MandelbrotView::new(256, 256, 100, [-2.0, -1.25], 2.5);
        // Pixel (0, 0) is c = (-2, -1.25): escapes after one step.
        assert_eq!(v.count(0, 0), 1);
        // c = (-2 + 205*2.5/256, 0) ≈ (0.0019, 0): inside the set.
        assert_eq!(v.count(205, 128), 100);
    }

    #[test]
    fn sums_in_double() {
        assert_eq!(sum(&[0.5, 0.25, 0.125]), 0.875);
    }
}
