//! The paired run both benches report: short batches of the baseline and of
//! ours alternate (order flipped each round), and the median of the
//! per-round ratios is reported, so drift of a shared machine cancels out.

/// Median ns per call of `base` and `ours`, and the median of the
/// per-round ratios, over `rounds` rounds of `iters` calls each.
pub fn paired(base: &dyn Fn(), ours: &dyn Fn(), rounds: usize, iters: u32) -> (f64, f64, f64) {
    let time = |op: &dyn Fn()| {
        let t = std::time::Instant::now();
        for _ in 0..iters {
            op();
        }
        t.elapsed().as_nanos() as f64 / f64::from(iters)
    };
    let (mut bs, mut os, mut rs) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let (b, o) = if round % 2 == 0 {
            let b = time(base);
            (b, time(ours))
        } else {
            let o = time(ours);
            (time(base), o)
        };
        bs.push(b);
        os.push(o);
        rs.push(o / b);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    (median(&mut bs), median(&mut os), median(&mut rs))
}
