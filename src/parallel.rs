//! Work split over the machine's cores, results kept in input order.

/// Maps `work` over `items` split into one chunk per core, each chunk on its own thread, and
/// concatenates the results in order. A panic in a worker is raised again here.
pub fn map_chunks<T: Sync, U: Send>(items: &[T], work: impl Fn(&[T]) -> Vec<U> + Sync) -> Vec<U> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads <= 1 || items.len() < 64 {
        return work(items);
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|c| scope.spawn(|| work(c)))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn order_is_kept() {
        let items: Vec<u32> = (0..1000).collect();
        let doubled = super::map_chunks(&items, |c| c.iter().map(|x| 2 * x).collect());
        assert_eq!(doubled, items.iter().map(|x| 2 * x).collect::<Vec<_>>());
    }
}
