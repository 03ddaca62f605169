//! Latency percentiles and the printed tables.

use std::time::Duration;

/// What one (stack, clients) run measured.
pub(crate) struct Measured {
    pub(crate) stack: &'static str,
    pub(crate) clients: usize,
    pub(crate) commands: usize,
    pub(crate) elapsed: Duration,
    /// Every command's latency, sorted.
    pub(crate) latencies: Vec<Duration>,
}

impl Measured {
    pub(crate) fn per_second(&self) -> f64 {
        self.commands as f64 / self.elapsed.as_secs_f64()
    }

    /// The latency below which `quantile` of the commands finished, in milliseconds.
    pub(crate) fn percentile_ms(&self, quantile: f64) -> f64 {
        if self.latencies.is_empty() {
            return f64::NAN;
        }
        let rank = ((self.latencies.len() as f64 * quantile).ceil() as usize)
            .clamp(1, self.latencies.len());
        self.latencies[rank - 1].as_secs_f64() * 1000.0
    }
}

/// Prints the runs as a Markdown table, with this store's throughput as ratios to the two
/// references at the same client count.
pub(crate) fn print_commands(runs: &[Measured]) {
    println!(
        "| stack | clients | commands/s | p50 ms | p99 ms | p99.9 ms | vs bare cqrs-es | vs raw insert |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for run in runs {
        let reference = |stack: &str| {
            runs.iter()
                .find(|r| r.stack == stack && r.clients == run.clients)
                .map(Measured::per_second)
        };
        let ratio = |stack: &str| match reference(stack) {
            Some(base) if run.stack != stack => format!("{:.2}", run.per_second() / base),
            _ => "-".to_owned(),
        };
        println!(
            "| {} | {} | {:.0} | {:.2} | {:.2} | {:.2} | {} | {} |",
            run.stack,
            run.clients,
            run.per_second(),
            run.percentile_ms(0.50),
            run.percentile_ms(0.99),
            run.percentile_ms(0.999),
            ratio("bare cqrs-es"),
            ratio("raw insert"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_ranks_of_the_sorted_latencies() {
        let run = Measured {
            stack: "x",
            clients: 1,
            commands: 100,
            elapsed: Duration::from_secs(2),
            latencies: (1..=100).map(Duration::from_millis).collect(),
        };
        assert!((run.per_second() - 50.0).abs() < 1e-9);
        assert!((run.percentile_ms(0.5) - 50.0).abs() < 1e-9);
        assert!((run.percentile_ms(0.99) - 99.0).abs() < 1e-9);
        assert!((run.percentile_ms(0.999) - 100.0).abs() < 1e-9);
    }
}
